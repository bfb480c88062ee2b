#!/usr/bin/env node
// Builds a Node app with Nx (cached) and runs its bundle: `node tools/run-app.mjs <app> [args...]`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [app, ...args] = process.argv.slice(2);
if (!app) {
  console.error('usage: run-app.mjs <app> [args...]');
  process.exit(2);
}
const build = spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'build', app, '--output-style=static'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) {
  console.error(`build of ${app} failed; run \`npx nx build ${app}\` to see why`);
  process.exit(1);
}
const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps', app, 'main.js'), ...args], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
