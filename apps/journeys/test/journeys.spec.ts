import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelResponse } from '@seamless-ops/contracts';
import { runTraffic } from '../../demo-shop/src/traffic/traffic';
import { startShopHarness, type ShopHarness } from '../../demo-shop/test/harness';
import { createOperator, logIn, type TestOperator } from '../../ingester/test/auth-helpers';
import { launchChromium } from './browser';

/**
 * What a person does, in a real headless Chromium against the real stack (ingester serving the built dashboard,
 * demo shop, gateway simulator, PostgreSQL), with data produced through the simulator.
 */
describe('browser journeys', () => {
  let h: ShopHarness;
  let browser: Browser;
  let operator: TestOperator;

  beforeAll(async () => {
    // The ingester serves the dashboard that the global setup built.
    h = await startShopHarness({}, { DASHBOARD_DIR: join(__dirname, '..', '..', '..', 'dist', 'apps', 'dashboard') });
    browser = await launchChromium();
    operator = await createOperator({ app: h.ingester }, 'operator');
    // Some history first: a seeded mix of shoppers through shop → ingester → simulator.
    const report = await runTraffic({ shopUrl: h.shop.url, simulatorUrl: h.sim.url, ingesterUrl: h.ingesterUrl, shoppers: 16, ratePerSecond: 0, concurrency: 8, seed: 'journeys', thinkTimeMs: 5 });
    expect(report.httpErrors ?? 0).toBe(0);
    await h.sim.idle();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${h.ingesterUrl}/`);
    await page.getByLabel('Email').fill(operator.email);
    await page.getByLabel('Password').fill(operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'Key figures' }).waitFor();
  }

  it('an operator logs in, reads the funnel, filters payments, opens a timeline and logs out', async () => {
    const page = await browser.newPage();
    try {
      await signIn(page);

      // The funnel on screen shows the numbers the API computes from the rollup.
      const api = await logIn({ baseUrl: h.ingesterUrl }, operator);
      const funnel = (await (await api.fetch('/api/ops/funnel')).json()) as FunnelResponse;
      expect(funnel.totals.paymentsInitiated).toBeGreaterThan(0);
      const funnelTable = page.getByRole('table', { name: 'Funnel steps' });
      await funnelTable.waitFor();
      await expect.poll(async () => funnelTable.innerText()).toContain(String(funnel.totals.paymentsInitiated));

      // Payments, filtered to SUCCESS: the filter lands in the URL, every row shown is SUCCESS.
      await page.getByRole('link', { name: 'Payments' }).first().click();
      await page.getByLabel('State').selectOption('SUCCESS');
      await expect.poll(() => new URL(page.url()).searchParams.get('state')).toBe('SUCCESS');
      const rows = page.locator('table tbody tr');
      await rows.first().waitFor();
      const states = await rows.evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
      expect(states.length).toBeGreaterThan(0);
      expect(states.every((t) => /success/i.test(t))).toBe(true);

      // A payment's timeline, in order, with the confirmation in it.
      await rows.first().getByRole('link').first().click();
      const timeline = page.getByRole('list', { name: 'Timeline' });
      await timeline.waitFor();
      const text = await timeline.innerText();
      expect(text.toLowerCase()).toContain('confirmation');
      expect(text.toLowerCase().indexOf('payment initiated')).toBeLessThan(text.toLowerCase().indexOf('confirmation received'));

      // The bookmarkable URL survives a reload.
      await page.goBack();
      await page.reload();
      expect(await page.getByLabel('State').inputValue()).toBe('SUCCESS');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Password').waitFor();
      const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
      expect(me).toBe(401);
    } finally {
      await page.close();
    }
  });

  it('a person buys with the demo card; the operator sees the payment as SUCCESS within seconds', async () => {
    const shopper = await browser.newPage();
    let paymentId = '';
    try {
      await shopper.goto(`${h.shop.url}/`);
      await shopper.locator('[data-testid^="add-to-cart-"]').first().click();
      await shopper.getByTestId('checkout-button').click();
      await shopper.getByTestId('continue-to-payment').click();
      // The card goes from the browser straight to the gateway through its JavaScript.
      await shopper.locator('[data-testid="card-form"][data-ready="true"]').waitFor();
      await shopper.getByTestId('use-demo-card-9500000000000001').click();
      await shopper.getByTestId('store-card').click();
      await expect.poll(async () => shopper.getByTestId('masked-pan').innerText(), { timeout: 15_000 }).toContain('0001');
      await shopper.getByTestId('pay-button').click();
      // The simulator's hosted payment page: the person pays.
      await shopper.getByRole('button', { name: 'Pay (SUCCESS)' }).click();
      const result = shopper.getByTestId('payment-result');
      await result.waitFor();
      await expect.poll(async () => result.getAttribute('data-state'), { timeout: 15_000 }).toBe('SUCCESS');
      paymentId = new URL(shopper.url()).searchParams.get('paymentId') ?? '';
      expect(paymentId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await shopper.close();
    }

    const page = await browser.newPage();
    try {
      await signIn(page);
      await page.goto(`${h.ingesterUrl}/payments?q=${paymentId}`);
      const row = page.locator('table tbody tr', { hasText: /success/i });
      await expect.poll(async () => row.count(), { timeout: 10_000 }).toBe(1);
      await row.getByRole('link').first().click();
      await page.getByRole('list', { name: 'Timeline' }).waitFor();
      expect((await page.getByRole('region', { name: 'Payment summary' }).innerText()).toUpperCase()).toContain('SUCCESS');
    } finally {
      await page.close();
    }
  });
});
