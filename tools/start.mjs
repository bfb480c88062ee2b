#!/usr/bin/env node
// `npm start`: builds and runs the whole product on its embedded defaults: the gateway simulator, the ingester
// (embedded PostgreSQL under .data/, serving the dashboard, demo mode), the demo shop and a gentle live trickle
// of shoppers. Ctrl-C stops every child.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ports = {
  ingester: process.env.PORT ?? '3000',
  simulator: process.env.SIMULATOR_PORT ?? '3100',
  shop: process.env.SHOP_PORT ?? '3200',
};
const url = (port) => `http://127.0.0.1:${port}`;
const trickleRate = process.env.TRICKLE_RATE ?? '0.2';

const apps = ['gateway-simulator', 'ingester', 'dashboard', 'demo-shop'];
console.log(`building ${apps.join(', ')} (cached after the first time) …`);
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
function run(name, app, args, env, { optional = false } = {}) {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps', app, 'main.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  child.on('exit', (code, signal) => {
    if (stopping || optional) return;
    console.error(`${name} exited (${code ?? signal}); stopping everything`);
    stop(1);
  });
  children.push(child);
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
  setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    process.exit(code || 1);
  }, 15_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function ready(target, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !stopping) {
    try {
      if ((await fetch(target)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const started = Date.now();
run('gateway simulator', 'gateway-simulator', [], { PORT: ports.simulator, SIMULATOR_PUBLIC_URL: url(ports.simulator), SIMULATOR_LOG_REQUESTS: 'false' });
run('ingester', 'ingester', [], {
  PORT: ports.ingester,
  QENTA_BASE_URL: `${url(ports.simulator)}/seamless`,
  DEMO_MODE: 'on',
  DEMO_SHOP_URL: url(ports.shop),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
run('demo shop', 'demo-shop', [], { PORT: ports.shop, INGESTER_URL: url(ports.ingester), DEMO_SHOP_PUBLIC_URL: url(ports.shop), SHOP_LOG_REQUESTS: process.env.SHOP_LOG_REQUESTS ?? 'false' });

const up = (await ready(`${url(ports.ingester)}/health/ready`)) && (await ready(`${url(ports.shop)}/health`)) && (await ready(`${url(ports.simulator)}/health`));
if (!up) {
  if (!stopping) console.error('the services did not become ready within 90 s; stopping');
  stop(1);
} else {
  if (trickleRate !== '0') {
    run('shopper trickle', 'demo-shop', ['traffic', '--forever', '--rate', trickleRate, '--quiet', '--shop', url(ports.shop), '--ingester', url(ports.ingester), '--simulator', url(ports.simulator)], {}, { optional: true });
  }
  console.log(`
  Seamless Ops is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s):
    dashboard          ${url(ports.ingester)}   (sign in with the demo admin printed above on first start)
    demo shop          ${url(ports.shop)}   (pay with the demo card 9500000000000001)
    gateway simulator  ${url(ports.simulator)}   (deliveries: /simulator/deliveries)
    checkout API       ${url(ports.ingester)}/api/checkout   (Bearer demo-shop-api-key)
  A trickle of ${trickleRate} shoppers/s keeps the dashboard alive (TRICKLE_RATE=0 turns it off). Ctrl-C stops everything.
`);
}
