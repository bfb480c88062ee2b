import { defineConfig } from 'vitest/config';

// One run over every project; `npm test` wraps it (tools/test.mjs) to print the plain summary line CI reads.
export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.mts', 'apps/*/vitest.config.mts'],
  },
});
