#!/usr/bin/env node
// `npm run test:faults`: the fault suite (vitest, its own config), then a plain `faults: N passed, N failed` line.
// Judged by vitest's JSON report as well as its exit code, so a run that executes no test fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const report = join(root, 'tmp', 'faults-report.json');
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true });

const run = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    join(root, 'apps/ingester/test/faults/vitest.config.mts'),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: process.env },
);

if (!existsSync(report)) {
  console.log('faults: 0 passed, 1 failed');
  console.error(`vitest wrote no report (exit ${run.status ?? run.signal})`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(report, 'utf8'));
const passed = r.numPassedTests ?? 0;
const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
const failed = (r.numFailedTests ?? 0) + brokenFiles;
console.log(`faults: ${passed} passed, ${failed} failed`);
if (run.status !== 0 || failed > 0 || passed === 0 || r.success === false) process.exit(1);
