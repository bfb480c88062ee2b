import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The monorepo root: the nearest directory above the running code that holds `nx.json`.
 * Starts from this module's directory (the bundle in dist/, or the source under vitest) and falls back to
 * the working directory, so `node dist/apps/ingester/main.js` works from anywhere inside a checkout.
 */
export function findRepoRoot(): string {
  const starts = [typeof __dirname === 'string' ? __dirname : undefined, process.cwd()];
  for (const start of starts) {
    for (let dir = start; dir; ) {
      if (existsSync(join(dir, 'nx.json'))) return dir;
      const parent = dirname(dir);
      dir = parent === dir ? undefined : parent;
    }
  }
  return process.cwd();
}
