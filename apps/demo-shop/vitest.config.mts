import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';

export default defineProject({
  // The integration tests start the real ingester in-process: NestJS needs decorator metadata, which Vite's own
  // transform (oxc) does not emit.
  oxc: false,
  plugins: [swc.vite()],
  resolve: { tsconfigPaths: true },
  test: {
    name: 'demo-shop',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    // The ingester's: one PostgreSQL server (DATABASE_URL's, or a throwaway embedded one) and a migrated template.
    globalSetup: ['../ingester/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
