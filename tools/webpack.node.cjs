// Bundles a Node app (ingester, simulator) with the workspace libs inlined and node_modules left external.
// ts-loader keeps TypeScript's decorator metadata, which NestJS's dependency injection needs.
const path = require('node:path');

module.exports = function nodeAppConfig(appRoot, name) {
  const root = path.resolve(__dirname, '..');
  const tsconfig = path.join(root, appRoot, 'tsconfig.app.json');
  const { paths } = require(path.join(root, 'tsconfig.base.json')).compilerOptions;
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
      // The workspace libs by their tsconfig.base.json paths (exact imports only, e.g. `@seamless-ops/qenta`).
      alias: Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [`${name}$`, path.join(root, target)])),
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
