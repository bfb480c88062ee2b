module.exports = require('../../tools/webpack.node.cjs')('apps/demo-shop', 'demo-shop');
