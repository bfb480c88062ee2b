import { PRODUCTS } from '../catalog/products';
import { attribute, ShopperBrowser, UnexpectedAnswer, type HttpProblem } from './browser';
import type { Random } from './random';
import { PLANS, type ScenarioName } from './scenarios';

export interface ShopperEnvironment {
  shopUrl: string;
  /** The simulator's control API (knobs, payment completion). */
  simulatorUrl: string;
  /** Mean pause between steps, as a person reads and types. */
  thinkTimeMs: number;
  /** How long the result page may wait for a final state before the shopper gives up. */
  resultWaitMs: number;
  signal?: AbortSignal;
}

export interface ShopperResult {
  index: number;
  scenario: ScenarioName;
  orderIdent: string | null;
  paymentId: string | null;
  /**
   * Where the visit ended: `abandoned` as planned, `result` (the result page was reached), or `error`.
   */
  ended: 'abandoned' | 'result' | 'error';
  /** The state the result page showed last (`onHold` for a held payment), if it was reached. */
  resultState: string | null;
  /** The result page was still waiting when the shopper gave up. */
  resultTimedOut: boolean;
  /** The result matches what the scenario should produce. */
  asExpected: boolean;
  httpErrors: HttpProblem[];
  requests: number;
  durationMs: number;
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
];
const FIRST_NAMES = ['Anna', 'Lukas', 'Sophie', 'Maximilian', 'Lena', 'Felix', 'Marie', 'Jonas', 'Laura', 'David', 'Sarah', 'Tobias'];
const LAST_NAMES = ['Gruber', 'Huber', 'Wagner', 'Müller', 'Pichler', 'Steiner', 'Moser', 'Mayer', 'Hofer', 'Leitner', 'Berger', 'Fuchs'];
const PLACES: Array<[string, string, string]> = [
  ['1010', 'Wien', 'AT'],
  ['8010', 'Graz', 'AT'],
  ['5020', 'Salzburg', 'AT'],
  ['6020', 'Innsbruck', 'AT'],
  ['4020', 'Linz', 'AT'],
  ['80331', 'München', 'DE'],
  ['10115', 'Berlin', 'DE'],
  ['8001', 'Zürich', 'CH'],
];
const STREETS = ['Hauptstraße', 'Bahnhofstraße', 'Schulgasse', 'Lindenweg', 'Kirchplatz', 'Gartengasse'];
/** Demo cards (PROTOCOL.md §10), the first one most often as the hint suggests it. */
const DEMO_PANS = ['9500000000000001', '9500000000000001', '9500000000000001', '9500000000000002', '9400000000000004', '9600000000000005'];

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The storeUrl the gateway's JavaScript posts to: from its CONFIG, else next to the script. */
function storeUrlOf(script: string, javascriptUrl: string, storageId: string): string {
  const m = /"storeUrl":"([^"]+)"/.exec(script);
  if (m) return JSON.parse(`"${m[1]}"`) as string;
  return javascriptUrl.replace(/\/dataStorage\/js\/.*$/, `/dataStorage/store/${encodeURIComponent(storageId)}`);
}

/**
 * One shopper through the real flow over HTTP, as a browser would go: the shop's pages and forms, the
 * gateway's JavaScript store (card data to the simulator, never to the shop), the shop's pay redirect, the
 * simulator's payment page and outcome, the browser return through the ingester, the shop's result page
 * (polled while not final). Scenario knobs are scoped to the orderIdent on the simulator.
 */
export async function playShopper(index: number, scenario: ScenarioName, random: Random, env: ShopperEnvironment): Promise<ShopperResult> {
  const plan = PLANS[scenario];
  const started = Date.now();
  const shop = env.shopUrl.replace(/\/+$/, '');
  const simulator = env.simulatorUrl.replace(/\/+$/, '');
  const browser = new ShopperBrowser(shop, random.pick(USER_AGENTS));
  const result: ShopperResult = {
    index,
    scenario,
    orderIdent: null,
    paymentId: null,
    ended: 'error',
    resultState: null,
    resultTimedOut: false,
    asExpected: false,
    httpErrors: [],
    requests: 0,
    durationMs: 0,
  };
  const think = () => sleep(random.exponential(env.thinkTimeMs), env.signal);
  const finish = (): ShopperResult => {
    result.requests = browser.requests;
    result.durationMs = Date.now() - started;
    return result;
  };

  try {
    // Browse and fill the cart.
    await browser.request('catalogue', `${shop}/`);
    await think();
    const products = random.shuffle([...PRODUCTS]).slice(0, random.int(1, 3));
    for (const p of products) {
      await browser.redirect('add to cart', `${shop}/cart/items`, { form: { productId: p.id, quantity: String(random.pick([1, 1, 1, 2, 3])), returnTo: '/' } });
      await think();
    }
    await browser.request('cart', `${shop}/cart`);
    await think();

    // Checkout: started, details.
    const detailsUrl = await browser.redirect('checkout', `${shop}/checkout`, { method: 'POST', form: {} });
    await browser.request('details page', detailsUrl);
    if (plan.abandonAt === 'details') {
      result.ended = 'abandoned';
      result.asExpected = true;
      return finish();
    }
    await think();
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const [zipCode, city, country] = random.pick(PLACES);
    const paymentPageUrl = await browser.redirect('details', `${shop}/checkout/details`, {
      form: {
        email: `${first}.${last}${random.int(1, 99)}@example.com`.toLowerCase().replace('ü', 'ue'),
        firstname: first,
        lastname: last,
        address1: `${random.pick(STREETS)} ${random.int(1, 120)}`,
        zipCode,
        city,
        country,
      },
    });

    // The card form: the page names the storage and the gateway's script.
    const cardPage = await browser.request('card form', paymentPageUrl);
    const storageId = attribute(cardPage.text, 'data-storage-id');
    const javascriptUrl = attribute(cardPage.text, 'data-javascript-url');
    result.orderIdent = attribute(cardPage.text, 'data-order-ident') ?? null;
    if (!storageId || !javascriptUrl || !result.orderIdent) throw new Error('the card form names no storage, script or orderIdent');
    const script = await browser.request('gateway script', javascriptUrl);
    if (plan.abandonAt === 'card-form') {
      result.ended = 'abandoned';
      result.asExpected = true;
      return finish();
    }
    await think();

    // What QentaCEE_DataStorage.storeCreditCardInformation does in the browser: card data to the gateway only.
    const storeUrl = storeUrlOf(script.text, javascriptUrl, storageId);
    const stored = await browser.request('store card at the gateway', storeUrl, {
      form: {
        paymentType: 'CCARD',
        pan: random.pick(DEMO_PANS),
        expirationMonth: String(random.int(1, 12)).padStart(2, '0'),
        expirationYear: String(new Date().getUTCFullYear() + random.int(1, 5)),
        cardholdername: `${first} ${last}`,
        cardverifycode: '123',
      },
    });
    const storeAnswer = JSON.parse(stored.text) as { status?: number; errors?: Array<{ message?: string }> };
    if (storeAnswer.status !== 0) throw new Error(`the gateway did not store the card: ${storeAnswer.errors?.map((e) => e.message).join('; ')}`);

    // Order review (a funnel step); its page tells the amount.
    const review = await browser.request('order review', `${shop}/checkout/review`);
    const amount = attribute(review.text, 'data-amount');
    if (!amount) throw new Error('the review page shows no amount');
    if (plan.abandonAt === 'review') {
      result.ended = 'abandoned';
      result.asExpected = true;
      return finish();
    }
    await think();

    // Faults for this payment only, on the simulator.
    let knobId: number | null = null;
    if (plan.knobs) {
      const knobs = typeof plan.knobs === 'function' ? plan.knobs(amount, random) : plan.knobs;
      const set = await browser.request('set simulator knobs', `${simulator}/simulator/knobs`, { json: { scope: { orderIdent: result.orderIdent }, knobs }, expect: [201] });
      knobId = (JSON.parse(set.text) as { id: number }).id;
    }

    // Pay: the shop initiates the payment and sends the browser to the gateway's payment page.
    const redirectUrl = await browser.redirect('pay', `${shop}/checkout/pay`, { method: 'POST', form: {} });
    await browser.request('gateway payment page', redirectUrl);
    const sid = new URL(redirectUrl).searchParams.get('SID');
    if (!sid) throw new Error('the payment page URL carries no SID');
    await think();
    const completion = await browser.request('pick outcome on the payment page', `${simulator}/simulator/payments/${encodeURIComponent(sid)}/complete`, {
      json: { outcome: plan.outcome },
    });
    if (knobId !== null) await browser.request('remove simulator knobs', `${simulator}/simulator/knobs/${knobId}`, { method: 'DELETE', expect: [204, 404] });
    let location = (JSON.parse(completion.text) as { location: string }).location;
    if (plan.returnTo) location = location.replace(/\/qenta\/return\/(success|cancel|failure|pending)(?=[?#]|$)/, `/qenta/return/${plan.returnTo}`);

    // The browser return: through the ingester (which records it) to the shop's result page.
    const shopResultUrl = await browser.redirect('return through the ingester', location);
    const resultPage = await browser.request('result page', shopResultUrl);
    result.paymentId = attribute(resultPage.text, 'data-payment-id') ?? null;
    result.ended = 'result';
    result.resultState = stateShown(attribute(resultPage.text, 'data-state'), attribute(resultPage.text, 'data-on-hold'));
    let settled = attribute(resultPage.text, 'data-settled') === 'true';
    const pollUrl = attribute(resultPage.text, 'data-poll-url');

    // While not final, the page's script polls; so does this shopper, until final or out of patience.
    const deadline = Date.now() + env.resultWaitMs;
    let delay = 1000;
    while (!settled && pollUrl && Date.now() < deadline && !env.signal?.aborted) {
      await sleep(Math.min(delay, deadline - Date.now()), env.signal);
      delay = Math.min(Math.round(delay * 1.3), 4000);
      const poll = await browser.request('result page polling', new URL(pollUrl, shop).toString());
      const status = JSON.parse(poll.text) as { state: string; onHold: boolean; settled: boolean };
      result.resultState = stateShown(status.state, String(status.onHold));
      settled = status.settled;
    }
    result.resultTimedOut = !settled;
    result.asExpected = result.resultState === plan.expect;
  } catch (e) {
    result.ended = 'error';
    if (e instanceof UnexpectedAnswer) result.httpErrors.push(e.problem);
    else result.httpErrors.push({ step: 'flow', method: '', url: '', status: 0, message: e instanceof Error ? e.message : String(e) });
  }
  return finish();
}

function stateShown(state: string | undefined, onHold: string | undefined): string | null {
  if (onHold === 'true') return 'onHold';
  return state ?? null;
}
