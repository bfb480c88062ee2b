import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attribute, ShopperBrowser } from '../src/traffic/browser';
import { startDemoShop } from '../src/shop';
import { openPage, waitUntil } from './dom';
import { startShopHarness, type ShopHarness } from './harness';

const DETAILS = { email: 'anna.gruber@example.com', firstname: 'Anna', lastname: 'Gruber', address1: 'Hauptstraße 7', zipCode: '8010', city: 'Graz', country: 'AT' };
const UA = 'Mozilla/5.0 (X11; Linux x86_64) demo-shop-test';

describe('demo shop: the purchase through its pages, the real ingester and the simulator', () => {
  let h: ShopHarness;
  beforeAll(async () => {
    h = await startShopHarness();
  });
  afterAll(() => h?.close());

  const browser = () => new ShopperBrowser(h.shop.url, UA);

  /** Cart → checkout → details → card form: answers what the card form page names. */
  async function toCardForm(b: ShopperBrowser, items: Array<[string, string]> = [['beans-ethiopia', '2'], ['kettle', '1']]) {
    for (const [productId, quantity] of items) await b.redirect('add', `${h.shop.url}/cart/items`, { form: { productId, quantity } });
    expect(await b.redirect('checkout', `${h.shop.url}/checkout`, { method: 'POST', form: {} })).toBe(`${h.shop.url}/checkout/details`);
    await b.request('details page', `${h.shop.url}/checkout/details`);
    expect(await b.redirect('details', `${h.shop.url}/checkout/details`, { form: DETAILS })).toBe(`${h.shop.url}/checkout/payment`);
    const page = await b.request('card form', `${h.shop.url}/checkout/payment`);
    return {
      page,
      storageId: attribute(page.text, 'data-storage-id') as string,
      orderIdent: attribute(page.text, 'data-order-ident') as string,
      javascriptUrl: attribute(page.text, 'data-javascript-url') as string,
    };
  }

  /** What the gateway's JavaScript does: card data straight to the simulator. */
  async function storeCard(storageId: string, pan = '9500000000000001'): Promise<void> {
    const body = new URLSearchParams({ paymentType: 'CCARD', pan, expirationMonth: '11', expirationYear: String(new Date().getUTCFullYear() + 2), cardholdername: 'Anna Gruber', cardverifycode: '123' });
    const res = await fetch(`${h.sim.url}/seamless/dataStorage/store/${storageId}`, { method: 'POST', body });
    expect(((await res.json()) as { status: number }).status).toBe(0);
  }

  /** The card form and review, then pay: answers the gateway's payment page URL and the SID. */
  async function toGateway(b: ShopperBrowser, items?: Array<[string, string]>) {
    const form = await toCardForm(b, items);
    await storeCard(form.storageId);
    await b.request('review', `${h.shop.url}/checkout/review`);
    const redirectUrl = await b.redirect('pay', `${h.shop.url}/checkout/pay`, { method: 'POST', form: {} });
    return { ...form, redirectUrl, sid: new URL(redirectUrl).searchParams.get('SID') as string };
  }

  /** The gateway sends the browser to the ingester, which records the return and sends it to the shop. */
  async function returnToShop(b: ShopperBrowser, location: string): Promise<string> {
    const shopUrl = await b.redirect('return', location);
    expect(shopUrl.startsWith(`${h.shop.url}/checkout/result?`)).toBe(true);
    return shopUrl;
  }

  it('buys: storage → card stored at the gateway → review → pay → SUCCESS → return → result page', async () => {
    const b = browser();
    const catalogue = await b.request('catalogue', `${h.shop.url}/`);
    expect(catalogue.text).toContain('data-testid="add-to-cart-beans-ethiopia"');

    const { page, storageId, orderIdent, javascriptUrl } = await toCardForm(b);
    // 2 × 12.50 + 64.90 in cents
    const cart = await b.request('cart', `${h.shop.url}/cart`);
    expect(attribute(cart.text, 'data-amount-cents')).toBe('8990');
    expect(javascriptUrl).toBe(`${h.sim.url}/seamless/dataStorage/js/D200001/seamless/${storageId}/dataStorage.js`);
    expect(page.text).toContain(`<script src="${javascriptUrl}"></script>`);
    // Only the gateway's script may run besides the shop's, and it may talk only to the gateway.
    expect(page.headers.get('content-security-policy')).toContain(`script-src 'self' ${h.sim.url}`);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${h.sim.url}`);
    // Card inputs have no name: a form post could never carry card data to the shop.
    for (const id of ['card-number', 'card-cvc', 'card-holder']) expect(page.text).toMatch(new RegExp(`<input id="${id}"(?![^>]*\\sname=)[^>]*>`));
    expect(page.text).toContain('9500000000000001');
    const [storage] = await h.sql<{ status: string; order_ident: string }>('SELECT status, order_ident FROM storages WHERE storage_id = $1', [storageId]);
    expect(storage).toEqual({ status: 'active', order_ident: orderIdent });

    await storeCard(storageId);
    const review = await b.request('review', `${h.shop.url}/checkout/review`);
    expect(review.text).toContain('950000******0001');
    expect(attribute(review.text, 'data-amount')).toBe('89.90');
    expect(review.text).toContain('data-testid="pay-button"');
    await b.request('review again', `${h.shop.url}/checkout/review`); // reported once per checkout

    const redirectUrl = await b.redirect('pay', `${h.shop.url}/checkout/pay`, { method: 'POST', form: {} });
    const sid = new URL(redirectUrl).searchParams.get('SID') as string;
    expect(redirectUrl.startsWith(`${h.sim.url}/seamless/frontend/`)).toBe(true);
    expect((await b.request('gateway page', redirectUrl)).text).toContain('950000******0001');

    const completion = await h.sim.completePayment(sid, 'SUCCESS');
    const shopUrl = await returnToShop(b, completion.location);
    const result = await b.request('result', shopUrl);
    expect(attribute(result.text, 'data-state')).toBe('SUCCESS');
    expect(attribute(result.text, 'data-settled')).toBe('true');
    expect(result.text).toContain('Thank you');
    expect(result.text).toContain('€89.90');
    expect(/data-testid="cart-count">(\d+)</.exec(result.text)?.[1]).toBe('0');

    const paymentId = attribute(result.text, 'data-payment-id') as string;
    const [payment] = await h.sql<Record<string, unknown>>('SELECT state, amount::text, currency, order_ident, return_outcome, storage_id FROM payments WHERE id = $1', [paymentId]);
    expect(payment).toEqual({ state: 'SUCCESS', amount: '89.90', currency: 'EUR', order_ident: orderIdent, return_outcome: 'success', storage_id: storageId });
    const events = await h.sql<{ kind: string; name: string | null }>(
      `SELECT kind, payload->>'name' AS name FROM checkout_events WHERE order_ident = $1 ORDER BY id`,
      [orderIdent],
    );
    expect(events.map((e) => (e.name ? `${e.kind} ${e.name}` : e.kind))).toEqual([
      'checkout.started',
      'storage.initialized',
      'storage.read',
      'checkout.step order-review',
      'storage.read',
      'payment.initiated',
      'storage.consumed',
      'confirmation.received',
      'consumer.returned',
    ]);
    // The basket, consumer data and amount as the gateway saw them.
    const simulated = h.sim.state.payments.get(sid);
    expect(simulated).toMatchObject({ amount: '89.90', currency: 'EUR', paymentType: 'CCARD', orderIdent });
    expect(await b.request('cart after', `${h.shop.url}/cart`)).toMatchObject({ text: expect.stringContaining('Your cart is empty') });
  });

  it('the card form hands the card to the gateway’s JavaScript in the browser (jsdom), then goes on to review', async () => {
    const b = browser();
    const { page, storageId } = await toCardForm(b, [['tote', '1']]);
    const { window, errors } = await openPage(`${h.shop.url}/checkout/payment`, page.text, b.cookieHeader());
    const form = window.document.getElementById('card-form');
    expect(form?.getAttribute('data-ready')).toBe('true');
    (window.document.querySelector('[data-testid="use-demo-card-9400000000000004"]') as { click(): void }).click();
    (window.document.getElementById('store-card') as { click(): void }).click();
    await waitUntil('the card stored', () => form?.getAttribute('data-stored') === 'true');
    expect((window.document.getElementById('card-number') as { value: string }).value).toBe('');
    window.close();
    expect(errors).toEqual([]);
    const stored = h.sim.state.storages.get(storageId);
    expect([...(stored?.paymentInformation.values() ?? [])]).toEqual([expect.objectContaining({ paymentType: 'CCARD', maskedPan: '940000******0004' })]);
    expect((await b.request('review', `${h.shop.url}/checkout/review`)).text).toContain('940000******0004');
  });

  it('shows the gateway’s messages when the card is refused in the browser', async () => {
    const b = browser();
    const { page } = await toCardForm(b, [['tote', '1']]);
    const { window } = await openPage(`${h.shop.url}/checkout/payment`, page.text, b.cookieHeader());
    (window.document.getElementById('card-number') as { value: string }).value = '1234567890123456';
    (window.document.getElementById('store-card') as { click(): void }).click();
    const box = window.document.getElementById('card-errors');
    await waitUntil('the error box', () => box?.hidden === false);
    expect(box?.textContent).toMatch(/could not be saved/);
    window.close();
    // Without a stored card the review sends the consumer back to the form.
    expect(await b.redirect('review', `${h.shop.url}/checkout/review`)).toBe(`${h.shop.url}/checkout/payment`);
  });

  it('the result page polls a PENDING payment until it is final (jsdom runs its script)', async () => {
    const b = browser();
    const form = await toCardForm(b, [['grinder', '1']]);
    await h.knobs(form.orderIdent, { pendingDelayMs: 1500 });
    await storeCard(form.storageId);
    await b.request('review', `${h.shop.url}/checkout/review`);
    const redirectUrl = await b.redirect('pay', `${h.shop.url}/checkout/pay`, { method: 'POST', form: {} });
    const completion = await h.sim.completePayment(new URL(redirectUrl).searchParams.get('SID') as string, 'PENDING_SUCCESS');
    const shopUrl = await returnToShop(b, completion.location);
    expect(new URL(shopUrl).searchParams.get('outcome')).toBe('pending');

    const page = await b.request('result', shopUrl);
    expect(attribute(page.text, 'data-state')).toBe('PENDING');
    expect(attribute(page.text, 'data-settled')).toBe('false');
    expect(page.text).toContain('<script src="/assets/result.js"></script>');
    const { window, errors } = await openPage(shopUrl, page.text, b.cookieHeader());
    const state = () => window.document.getElementById('payment-result')?.getAttribute('data-state');
    await waitUntil('SUCCESS on the page', () => state() === 'SUCCESS', 15_000);
    expect(window.document.getElementById('payment-result')?.getAttribute('data-settled')).toBe('true');
    expect(window.document.querySelector('[data-testid="payment-state"]')?.textContent).toBe('SUCCESS');
    expect(window.document.querySelector('[data-testid="cart-count"]')?.textContent).toBe('0');
    window.close();
    expect(errors).toEqual([]);
  });

  it('the result page gives up polling with a message when no confirmation comes (knob confirmation=never)', async () => {
    const shop = await startDemoShop({ port: 0, ingesterUrl: h.ingesterUrl, resultPollSeconds: 2 });
    try {
      const b = new ShopperBrowser(shop.url, UA);
      await b.redirect('add', `${shop.url}/cart/items`, { form: { productId: 'cups', quantity: '1' } });
      await b.redirect('checkout', `${shop.url}/checkout`, { method: 'POST', form: {} });
      await b.redirect('details', `${shop.url}/checkout/details`, { form: DETAILS });
      const cardPage = await b.request('card form', `${shop.url}/checkout/payment`);
      const orderIdent = attribute(cardPage.text, 'data-order-ident') as string;
      await h.knobs(orderIdent, { confirmation: 'never' });
      await storeCard(attribute(cardPage.text, 'data-storage-id') as string);
      await b.request('review', `${shop.url}/checkout/review`);
      const redirectUrl = await b.redirect('pay', `${shop.url}/checkout/pay`, { method: 'POST', form: {} });
      const completion = await h.sim.completePayment(new URL(redirectUrl).searchParams.get('SID') as string, 'SUCCESS');
      // This shop is not the ingester's demo shop URL: follow the return by hand to the same paymentId.
      const ingesterReturn = await fetch(completion.location, { redirect: 'manual' });
      const paymentId = new URL(ingesterReturn.headers.get('location') as string).searchParams.get('paymentId') as string;
      const resultUrl = `${shop.url}/checkout/result?outcome=success&paymentId=${paymentId}`;
      const page = await b.request('result', resultUrl);
      expect(attribute(page.text, 'data-state')).toBe('INITIATED');
      expect(attribute(page.text, 'data-poll-timeout-ms')).toBe('2000');
      const { window } = await openPage(resultUrl, page.text, b.cookieHeader());
      // The panel is replaced at each poll: look the message up afresh.
      const timeout = () => window.document.getElementById('result-timeout');
      expect(timeout()?.hidden).toBe(true);
      await waitUntil('the timeout message', () => timeout()?.hidden === false, 10_000);
      expect(window.document.getElementById('payment-result')?.getAttribute('data-timeout')).toBe('true');
      expect(window.document.getElementById('result-waiting')?.hidden).toBe(true);
      expect(timeout()?.textContent).toMatch(/no final answer/);
      window.close();
    } finally {
      await shop.close();
    }
  });

  it('an altered amount is shown as on hold, not as paid', async () => {
    const b = browser();
    const form = await toCardForm(b, [['dripper', '1']]);
    await h.knobs(form.orderIdent, { alterAmount: '1.00' });
    await storeCard(form.storageId);
    await b.request('review', `${h.shop.url}/checkout/review`);
    const redirectUrl = await b.redirect('pay', `${h.shop.url}/checkout/pay`, { method: 'POST', form: {} });
    const completion = await h.sim.completePayment(new URL(redirectUrl).searchParams.get('SID') as string, 'SUCCESS');
    const page = await b.request('result', await returnToShop(b, completion.location));
    expect(attribute(page.text, 'data-on-hold')).toBe('true');
    expect(attribute(page.text, 'data-settled')).toBe('true');
    expect(page.text).toContain('being checked');
    // The cart stays: nothing was confirmed as paid.
    expect(/data-testid="cart-count">(\d+)</.exec(page.text)?.[1]).toBe('1');
  });

  it('CANCEL keeps the cart for another try; a FAILURE returned to the success page still shows FAILURE', async () => {
    const b = browser();
    const first = await toGateway(b, [['tote', '2']]);
    const cancelled = await h.sim.completePayment(first.sid, 'CANCEL');
    const cancelPage = await b.request('result', await returnToShop(b, cancelled.location));
    expect(attribute(cancelPage.text, 'data-state')).toBe('CANCEL');
    expect(cancelPage.text).toContain('data-testid="try-again"');

    // Another try starts a new checkout (new orderIdent and storage) with the same cart.
    const second = await toGateway(b, []);
    expect(second.orderIdent).not.toBe(first.orderIdent);
    const failed = await h.sim.completePayment(second.sid, 'FAILURE');
    const contradicted = failed.location.replace('/qenta/return/failure', '/qenta/return/success');
    const page = await b.request('result', await returnToShop(b, contradicted));
    expect(attribute(page.text, 'data-state')).toBe('FAILURE');
    const [m] = await h.sql<{ kind: string }>(`SELECT m.kind FROM mismatches m JOIN payments p ON p.id = m.payment_id WHERE p.order_ident = $1`, [second.orderIdent]);
    expect(m?.kind).toBe('return_contradicts_confirmation');
  });

  it('a second click on Pay goes to the same payment page; only one payment is started', async () => {
    const b = browser();
    const form = await toCardForm(b, [['cups', '1']]);
    await storeCard(form.storageId);
    await b.request('review', `${h.shop.url}/checkout/review`);
    const [one, two] = await Promise.all([
      b.redirect('pay', `${h.shop.url}/checkout/pay`, { method: 'POST', form: {} }),
      b.redirect('pay again', `${h.shop.url}/checkout/pay`, { method: 'POST', form: {} }),
    ]);
    expect(two).toBe(one);
    expect(await b.redirect('pay after back button', `${h.shop.url}/checkout/pay`, { method: 'POST', form: {} })).toBe(one);
    const payments = await h.sql('SELECT id FROM payments WHERE order_ident = $1', [form.orderIdent]);
    expect(payments).toHaveLength(1);
  });

  it('an expired data storage: the review explains it and a new one is set up on request', async () => {
    const b = browser();
    const form = await toCardForm(b, [['tote', '1']]);
    await storeCard(form.storageId);
    await h.sql(`UPDATE storages SET expires_at = now() - interval '1 minute' WHERE storage_id = $1`, [form.storageId]);
    const expired = await b.request('review', `${h.shop.url}/checkout/review`, { expect: [410] });
    expect(expired.text).toContain('data-testid="storage-expired"');
    const [row] = await h.sql<{ status: string }>('SELECT status FROM storages WHERE storage_id = $1', [form.storageId]);
    expect(row?.status).toBe('expired');
    expect(await b.redirect('restart', `${h.shop.url}/checkout/restart`, { method: 'POST', form: {} })).toBe(`${h.shop.url}/checkout/payment`);
    const again = await b.request('card form', `${h.shop.url}/checkout/payment`);
    expect(attribute(again.text, 'data-storage-id')).not.toBe(form.storageId);
    expect(attribute(again.text, 'data-order-ident')).not.toBe(form.orderIdent);
  });

  it('shows the ingester’s refusal on an error page (wrong API key → 502 with its message), and never crashes', async () => {
    const shop = await startDemoShop({ port: 0, ingesterUrl: h.ingesterUrl, apiKey: 'not-the-demo-shop-key' });
    try {
      const b = new ShopperBrowser(shop.url, UA);
      await b.redirect('add', `${shop.url}/cart/items`, { form: { productId: 'tote', quantity: '1' } });
      await b.redirect('checkout', `${shop.url}/checkout`, { method: 'POST', form: {} });
      const page = await b.request('details', `${shop.url}/checkout/details`, { form: DETAILS, expect: [502] });
      expect(page.text).toContain('data-testid="error-page"');
      expect(attribute(page.text, 'data-upstream-status')).toBe('401');
      expect(page.text).toContain('a valid shop API key is required (Authorization: Bearer &lt;key&gt;)');
      expect((await fetch(`${shop.url}/health`)).status).toBe(200);
    } finally {
      await shop.close();
    }
  });

  it('an unreachable ingester is a 503 page; unknown and malformed payment ids get 404 and 400 pages', async () => {
    const shop = await startDemoShop({ port: 0, ingesterUrl: 'http://127.0.0.1:9', ingesterTimeoutMs: 2000 });
    try {
      const b = new ShopperBrowser(shop.url, UA);
      await b.redirect('add', `${shop.url}/cart/items`, { form: { productId: 'tote', quantity: '1' } });
      await b.redirect('checkout', `${shop.url}/checkout`, { method: 'POST', form: {} });
      const page = await b.request('details', `${shop.url}/checkout/details`, { form: DETAILS, expect: [503] });
      expect(page.text).toContain('not reachable');
    } finally {
      await shop.close();
    }
    const b = browser();
    const unknown = await b.request('result', `${h.shop.url}/checkout/result?outcome=success&paymentId=00000000-0000-4000-8000-000000000000`, { expect: [404] });
    expect(unknown.text).toContain('We cannot find this payment');
    expect(unknown.text).toContain('payment not found');
    expect((await b.request('result', `${h.shop.url}/checkout/result?outcome=success`, { expect: [400] })).text).toContain('incomplete');
    expect((await b.request('status', `${h.shop.url}/checkout/result/status?paymentId=nope`, { expect: [400] })).text).toContain('paymentId');
  });

  it('cart: quantities, removal, refusals; details are validated; cross-site form posts are refused', async () => {
    const b = browser();
    await b.redirect('add', `${h.shop.url}/cart/items`, { form: { productId: 'beans-house', quantity: '3' } });
    await b.redirect('add', `${h.shop.url}/cart/items`, { form: { productId: 'tote', quantity: '1' } });
    await b.redirect('quantity', `${h.shop.url}/cart/items/beans-house`, { form: { quantity: '2' } });
    let cart = await b.request('cart', `${h.shop.url}/cart`);
    expect(attribute(cart.text, 'data-amount-cents')).toBe(String(2 * 3490 + 999));
    await b.redirect('remove', `${h.shop.url}/cart/items/tote/remove`, { method: 'POST', form: {} });
    cart = await b.request('cart', `${h.shop.url}/cart`);
    expect(attribute(cart.text, 'data-amount-cents')).toBe('6980');
    expect((await b.request('unknown product', `${h.shop.url}/cart/items`, { form: { productId: 'espresso-machine' }, expect: [400] })).text).toContain('unknown product');
    expect((await b.request('bad quantity', `${h.shop.url}/cart/items/tote`, { form: { quantity: '-1' }, expect: [400] })).text).toContain('quantity must be');
    await b.redirect('checkout', `${h.shop.url}/checkout`, { method: 'POST', form: {} });
    const invalid = await b.request('details', `${h.shop.url}/checkout/details`, { form: { ...DETAILS, email: 'nope', city: '' }, expect: [400] });
    expect(invalid.text).toContain('Please enter an e-mail address.');
    expect(invalid.text).toContain('Please enter your city.');
    const crossSite = await b.request('cross-site', `${h.shop.url}/cart/items`, { form: { productId: 'tote' }, headers: { Origin: 'https://evil.example' }, expect: [403] });
    expect(crossSite.text).toContain('another site');
    const empty = browser();
    expect(await empty.redirect('checkout with an empty cart', `${h.shop.url}/checkout`, { method: 'POST', form: {} })).toBe(`${h.shop.url}/cart`);
  });

  it('serves /service, the storage CORS fallback page, /health and a 404 page', async () => {
    const b = browser();
    expect((await b.request('service', `${h.shop.url}/service`)).text).toContain('data-testid="service-page"');
    const fallback = await b.request('fallback', `${h.shop.url}/checkout/storage-fallback`, { form: { response: '{"status":0,"x":"<b>"}' }, headers: { Origin: h.sim.url } });
    expect(attribute(fallback.text, 'data-response')).toBe('{"status":0,"x":"<b>"}');
    expect(fallback.text).toContain('<script src="/assets/storage-fallback.js"></script>');
    const script = await b.request('fallback script', `${h.shop.url}/assets/storage-fallback.js`);
    expect(script.text).toContain('QentaCEE_Fallback_Request_Object');
    expect(JSON.parse((await b.request('health', `${h.shop.url}/health`)).text)).toMatchObject({ status: 'ok' });
    expect((await b.request('missing', `${h.shop.url}/nowhere`, { expect: [404] })).text).toContain('Page not found');
  });
});
