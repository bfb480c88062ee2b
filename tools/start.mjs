#!/usr/bin/env node
// `npm start`: builds and runs the whole product on its embedded defaults (gateway simulator + ingester with an
// embedded PostgreSQL, serving the dashboard). Ctrl-C stops every child.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const simulatorPort = process.env.SIMULATOR_PORT ?? '3100';
const ingesterPort = process.env.PORT ?? '3000';
const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;

const apps = ['gateway-simulator', 'ingester', 'dashboard'];
console.log(`building ${apps.join(', ')} …`);
const build = spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', 'build', '-p', ...apps, '--output-style=static'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) {
  console.error('build failed; run `npx nx run-many -t build` to see why');
  process.exit(1);
}

const children = [];
let stopping = false;
function run(name, env) {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps', name, 'main.js')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${code ?? signal}); stopping everything`);
      stop(1);
    }
  });
  children.push(child);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
  setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(code || 1);
  }, 15_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('gateway-simulator', { PORT: simulatorPort, SIMULATOR_PUBLIC_URL: simulatorUrl });
run('ingester', { PORT: ingesterPort, QENTA_BASE_URL: `${simulatorUrl}/seamless`, DEMO_MODE: 'on' });

console.log(`
  Seamless Ops is starting:
    dashboard          http://127.0.0.1:${ingesterPort}   (served by the ingester; the demo admin is printed below on first start)
    checkout API       http://127.0.0.1:${ingesterPort}/api/checkout   (health: /health/ready)
    gateway simulator  ${simulatorUrl}
  Ctrl-C stops everything.
`);
