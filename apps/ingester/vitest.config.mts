import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';

export default defineProject({
  // Vite's own transform (oxc) emits no decorator metadata, which Nest's injection and TypeORM need.
  oxc: false,
  plugins: [swc.vite()],
  resolve: { tsconfigPaths: true },
  test: {
    name: 'ingester',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    // One PostgreSQL server and one migrated template database per run (see test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
