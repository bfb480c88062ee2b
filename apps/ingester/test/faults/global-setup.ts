import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../../src/config/repo-root';

/** Builds the ingester bundle once (Nx caches it): the fault tests run dist/apps/ingester/main.js as the real process. */
export default function setup(): void {
  const root = findRepoRoot();
  const build = spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'build', 'ingester', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0 || !existsSync(join(root, 'dist/apps/ingester/main.js'))) {
    throw new Error('the ingester did not build; run `npx nx build ingester` to see why');
  }
}
