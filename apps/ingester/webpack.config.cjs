module.exports = require('../../tools/webpack.node.cjs')('apps/ingester', 'ingester');
