import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';

// Browser journeys: a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against the
// real ingester serving the built dashboard, the demo shop and the gateway simulator, all on loopback.
export default defineProject({
  oxc: false,
  plugins: [swc.vite()],
  resolve: { tsconfigPaths: true },
  test: {
    name: 'journeys',
    include: ['test/**/*.spec.ts'],
    environment: 'node',
    globalSetup: ['../ingester/test/global-setup.ts', './test/build-dashboard.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
