// Bundles a Node app (ingester, simulator) with the workspace libs inlined and node_modules left external.
// ts-loader keeps TypeScript's decorator metadata, which NestJS's dependency injection needs.
const path = require('node:path');
const TsconfigPathsPlugin = require('tsconfig-paths-webpack-plugin');

module.exports = function nodeAppConfig(appRoot, name) {
  const root = path.resolve(__dirname, '..');
  const tsconfig = path.join(root, appRoot, 'tsconfig.app.json');
  return {
    mode: 'production',
    target: 'node20',
    context: root,
    entry: { main: path.join(root, appRoot, 'src/main.ts') },
    output: { path: path.join(root, 'dist/apps', name), filename: '[name].js', clean: true },
    devtool: 'source-map',
    optimization: { minimize: false, nodeEnv: false },
    node: { __dirname: false, __filename: false },
    resolve: {
      extensions: ['.ts', '.js', '.json'],
      plugins: [new TsconfigPathsPlugin({ configFile: tsconfig })],
    },
    externalsPresets: { node: true },
    externals: [
      ({ request }, callback) => {
        const bare = request && !request.startsWith('.') && !path.isAbsolute(request) && !request.startsWith('@seamless-ops/');
        return bare ? callback(null, 'commonjs ' + request) : callback();
      },
    ],
    module: {
      rules: [{ test: /\.ts$/, loader: 'ts-loader', options: { configFile: tsconfig, transpileOnly: true }, exclude: /node_modules/ }],
    },
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
