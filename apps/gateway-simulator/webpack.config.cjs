const path = require('node:path');
const config = require('../../tools/webpack.node.cjs')('apps/gateway-simulator', 'gateway-simulator');

// Workaround: tsconfig-paths-webpack-plugin resolves the `./libs/...` paths of tsconfig.base.json relative to the
// app's tsconfig directory (there is no baseUrl since TypeScript 6), so `@seamless-ops/qenta` is not found.
// An explicit alias to the library's entry keeps the build working until tools/webpack.node.cjs is fixed.
config.resolve.alias = {
  ...(config.resolve.alias || {}),
  '@seamless-ops/qenta$': path.resolve(__dirname, '../../libs/qenta/src/index.ts'),
};

module.exports = config;
