import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// The fault suite (`npm run test:faults`): the built ingester as separate processes, each test file on an
// embedded PostgreSQL of its own. Files run one after another: they load the machine and measure answer times.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  oxc: false,
  plugins: [swc.vite()],
  resolve: { tsconfigPaths: true },
  test: {
    name: 'ingester-faults',
    include: ['test/faults/**/*.faults.ts'],
    environment: 'node',
    globalSetup: ['test/faults/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
