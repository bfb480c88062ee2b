import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createIngesterApp } from '../../ingester/src/app';
import { ReturnService } from '../../ingester/src/returns/return.service';
import { StorageSweeper } from '../../ingester/src/storages/storage-sweeper';
import { testConfig } from '../../ingester/test/app';
import { createTestDatabase, type TestDatabase } from '../../ingester/test/database';
import { freePort } from '../../ingester/test/postgres-server';
import { startSimulator, type RunningSimulator } from '../../gateway-simulator/src/simulator';
import { startDemoShop, type DemoShopOptions, type RunningDemoShop } from '../src/shop';

/** The ingester's default demo shop key (no SHOPS configured: its demoShop() applies). */
export const DEMO_API_KEY = 'demo-shop-api-key';

export interface ShopHarness {
  db: TestDatabase;
  sim: RunningSimulator;
  ingester: INestApplication;
  ingesterUrl: string;
  shop: RunningDemoShop;
  sweeper: StorageSweeper;
  returns: ReturnService;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Sets knobs on the simulator for one orderIdent (as the traffic command does). */
  knobs(orderIdent: string, knobs: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real flow in one process, over HTTP: a fresh test database, the gateway simulator, the real ingester
 * (its default demo shop, pointed at this shop; jobs off so tests drive the sweepers) and the demo shop.
 */
export async function startShopHarness(shopOptions: DemoShopOptions = {}, ingesterEnv: Record<string, string> = {}): Promise<ShopHarness> {
  const db = await createTestDatabase();
  const sim = await startSimulator({ port: 0, retryScheduleMs: [50, 100], confirmationTimeoutMs: 2000, knobs: { pendingDelayMs: 30 } });
  const ingesterPort = await freePort();
  const ingesterUrl = `http://127.0.0.1:${ingesterPort}`;
  const shop = await startDemoShop({ port: 0, ingesterUrl, resultPollSeconds: 5, ...shopOptions });
  const config = testConfig({
    PORT: String(ingesterPort),
    PUBLIC_BASE_URL: ingesterUrl,
    JOBS: 'off',
    QENTA_BASE_URL: `${sim.url}/seamless`,
    QENTA_TIMEOUT_MS: '5000',
    DEMO_SHOP_URL: shop.url,
    ...ingesterEnv,
  });
  const ingester = await createIngesterApp(config, db.url);
  await ingester.listen(ingesterPort, '127.0.0.1');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  return {
    db,
    sim,
    ingester,
    ingesterUrl,
    shop,
    sweeper: ingester.get(StorageSweeper),
    returns: ingester.get(ReturnService),
    async sql(text, params = []) {
      return (await client.query(text, params)).rows;
    },
    async knobs(orderIdent, knobs) {
      const res = await fetch(`${sim.url}/simulator/knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: { orderIdent }, knobs }) });
      if (res.status !== 201) throw new Error(`knobs refused: ${await res.text()}`);
    },
    async close() {
      await client.end().catch(() => undefined);
      await shop.close();
      await ingester.close();
      await sim.close();
      await db.drop();
    },
  };
}
