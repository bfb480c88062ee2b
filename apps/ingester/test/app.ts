import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createIngesterApp } from '../src/app';
import { loadConfig, type IngesterConfig } from '../src/config/config';

/** The ingester's configuration for tests: loadConfig over a test environment (never process.env). */
export function testConfig(env: Record<string, string> = {}): IngesterConfig {
  // No dashboard unless a test asks for one: whether `nx build dashboard` ran must not change what tests see.
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', DASHBOARD_DIR: '/nonexistent/dashboard', ...env });
}

export interface TestApp {
  app: INestApplication;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  close(): Promise<void>;
}

/** The real app (createIngesterApp, as main.ts builds it) listening on a free port. */
export async function startTestApp(databaseUrl: string, config: IngesterConfig = testConfig()): Promise<TestApp> {
  const app = await createIngesterApp(config, databaseUrl);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
