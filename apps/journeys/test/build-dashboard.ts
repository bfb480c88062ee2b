import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath } from './browser';

/** The journeys need the built dashboard (the ingester serves dist/apps/dashboard) and a Chromium. */
export default function setup(): void {
  const root = join(__dirname, '..', '..', '..');
  chromiumPath(); // fails early with the install hint
  const build = spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'build', 'dashboard', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0 || !existsSync(join(root, 'dist/apps/dashboard/index.html'))) throw new Error('building the dashboard failed: run `npx nx build dashboard`');
}
