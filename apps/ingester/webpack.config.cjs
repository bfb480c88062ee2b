const path = require('node:path');

const config = require('../../tools/webpack.node.cjs')('apps/ingester', 'ingester');

// tsconfig-paths (inside TsconfigPathsPlugin) resolves the base config's `./libs/...` paths from this app's
// directory, as there is no baseUrl (TypeScript 6). Map `@seamless-ops/*` from the repository root instead.
// Remove once tools/webpack.node.cjs resolves them itself.
const root = path.resolve(__dirname, '../..');
const { paths } = require(path.join(root, 'tsconfig.base.json')).compilerOptions;
config.resolve.alias = Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [`${name}$`, path.join(root, target)]));

module.exports = config;
