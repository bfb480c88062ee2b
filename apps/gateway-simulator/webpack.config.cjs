module.exports = require('../../tools/webpack.node.cjs')('apps/gateway-simulator', 'gateway-simulator');
