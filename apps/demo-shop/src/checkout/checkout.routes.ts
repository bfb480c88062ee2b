import { Router, type Request, type Response } from 'express';
import type { CheckoutEventRequest, InitPaymentRequest, PaymentStatusResponse } from '@seamless-ops/contracts';
import { basketItems, cartTotals } from '../cart/cart';
import { formatCents } from '../catalog/money';
import { cartCount, consumerIp, ingesterStep, redirect, sendHtml, sendIngesterError, setCsp, type ShopContext } from '../http/context';
import type { Session } from '../http/sessions';
import { errorPage, storageFallbackPage } from '../pages/info.pages';
import { DEMO_DETAILS, newCheckout, parseDetails, type Checkout, type CheckoutDetails } from './checkout-state';
import { detailsPage, paymentPage, reviewPage, storageExpiredPage } from './checkout.pages';
import { IngesterError } from './ingester-client';
import { isSettled, resultPage, resultPanel } from './result.page';

const PAYMENT_TYPE = 'CCARD';
const CURRENCY = 'EUR';
const LANGUAGE = 'en';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function storageExpired(checkout: Checkout, now = Date.now()): boolean {
  return checkout.storage !== null && Date.parse(checkout.storage.expiresAt) <= now;
}

/**
 * The checkout (ARCHITECTURE §1): started → details → data storage (card form with the gateway's JavaScript)
 * → order review (a funnel step) → payment init and redirect to the gateway → result page.
 */
export function checkoutRouter(ctx: ShopContext): Router {
  const router = Router();

  /** Funnel events are best effort: a lost one must not cost the sale (the next real step shows any refusal). */
  const report = async (event: CheckoutEventRequest): Promise<void> => {
    try {
      await ctx.ingester.reportEvent(event);
    } catch (e) {
      ctx.log(`could not report ${event.kind}${event.name ? ` ${event.name}` : ''} for ${event.orderIdent}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  /** A fresh checkout (new orderIdent) that keeps the details typed before; reports checkout.started. */
  const startCheckout = async (session: Session): Promise<Checkout> => {
    const checkout = newCheckout();
    checkout.details = session.checkout?.details ?? null;
    session.checkout = checkout;
    await report({ kind: 'checkout.started', orderIdent: checkout.orderIdent, paymentType: PAYMENT_TYPE });
    return checkout;
  };

  /** Asks the ingester for a data storage for this checkout (PROTOCOL.md §4). */
  const initStorage = async (checkout: Checkout): Promise<void> => {
    const storage = await ctx.ingester.initStorage({ orderIdent: checkout.orderIdent, language: LANGUAGE });
    checkout.storage = { storageId: storage.storageId, javascriptUrl: storage.javascriptUrl, expiresAt: storage.expiresAt };
  };

  /** The session's checkout if the cart has something in it; otherwise the answer was sent (to the cart). */
  const current = (req: Request, res: Response): { session: Session; checkout: Checkout } | null => {
    const session = ctx.sessions.of(req, res);
    if (cartTotals(session.cart).lines.length === 0 || !session.checkout) {
      redirect(res, '/cart');
      return null;
    }
    return { session, checkout: session.checkout };
  };

  router.post('/checkout', async (req, res) => {
    const session = ctx.sessions.of(req, res);
    if (cartTotals(session.cart).lines.length === 0) return redirect(res, '/cart');
    // An unused checkout continues (back button, second click); one whose payment started is over.
    if (!session.checkout || session.checkout.paymentId || storageExpired(session.checkout)) await startCheckout(session);
    redirect(res, '/checkout/details');
  });

  router.get('/checkout', (_req, res) => redirect(res, '/cart'));

  router.get('/checkout/details', (req, res) => {
    const c = current(req, res);
    if (!c) return;
    sendHtml(res, detailsPage(cartTotals(c.session.cart), c.checkout.details ?? DEMO_DETAILS, {}));
  });

  router.post('/checkout/details', async (req, res) => {
    const c = current(req, res);
    if (!c) return;
    const { details, values, problems } = parseDetails((req.body ?? {}) as Record<string, unknown>);
    if (!details) return sendHtml(res, detailsPage(cartTotals(c.session.cart), values, problems), 400);
    let checkout = c.checkout;
    if (checkout.paymentId || storageExpired(checkout)) checkout = await startCheckout(c.session);
    checkout.details = details;
    await ingesterStep(res, c.session, 'prepare the card payment', async () => {
      if (!checkout.storage) await initStorage(checkout);
      redirect(res, '/checkout/payment');
    });
  });

  router.get('/checkout/payment', (req, res) => {
    const c = current(req, res);
    if (!c) return;
    const { session, checkout } = c;
    if (!checkout.details || !checkout.storage || checkout.paymentId) return redirect(res, checkout.paymentId ? '/cart' : '/checkout/details');
    if (storageExpired(checkout)) return sendHtml(res, storageExpiredPage(cartCount(session)), 410);
    const gateway = originOf(checkout.storage.javascriptUrl);
    // The gateway's script is the only foreign code on the page, and it may talk only to the gateway.
    setCsp(res, gateway ? { 'script-src': gateway, 'connect-src': gateway, 'frame-src': gateway } : {});
    const flash = session.flash;
    session.flash = null;
    sendHtml(res, paymentPage(cartTotals(session.cart), checkout, flash));
  });

  router.post('/checkout/restart', async (req, res) => {
    const c = current(req, res);
    if (!c) return;
    const checkout = await startCheckout(c.session);
    if (!checkout.details) return redirect(res, '/checkout/details');
    await ingesterStep(res, c.session, 'prepare the card payment', async () => {
      await initStorage(checkout);
      redirect(res, '/checkout/payment');
    });
  });

  router.get('/checkout/review', async (req, res) => {
    const c = current(req, res);
    if (!c) return;
    const { session, checkout } = c;
    if (!checkout.details || !checkout.storage) return redirect(res, '/checkout/details');
    if (checkout.paymentId) return redirect(res, resultUrl(checkout.paymentId, checkout.orderIdent));
    const storage = checkout.storage;
    await ingesterStep(res, session, 'read your card details', async () => {
      const status = await ctx.ingester.storageStatus(storage.storageId);
      if (status.status === 'expired') return sendHtml(res, storageExpiredPage(cartCount(session)), 410);
      if (status.status === 'consumed') {
        return sendHtml(
          res,
          errorPage({ status: 409, title: 'This payment has already started', message: 'The card details of this checkout have been used for a payment. Please start the checkout again.', cartCount: cartCount(session) }),
          409,
        );
      }
      storage.expiresAt = status.expiresAt; // every read extends the storage's life
      const card = status.paymentInformation.find((p) => p.paymentType === PAYMENT_TYPE) ?? status.paymentInformation[0];
      if (!card) {
        session.flash = 'Please enter your card details first.';
        return redirect(res, '/checkout/payment');
      }
      if (!checkout.reviewReported) {
        checkout.reviewReported = true;
        await report({ kind: 'checkout.step', name: 'order-review', orderIdent: checkout.orderIdent, paymentType: PAYMENT_TYPE });
      }
      sendHtml(res, reviewPage(cartTotals(session.cart), checkout, card));
    });
  });

  router.post('/checkout/pay', async (req, res) => {
    const c = current(req, res);
    if (!c) return;
    const { session, checkout } = c;
    if (!checkout.details || !checkout.storage) return redirect(res, '/checkout/details');
    await ingesterStep(res, session, 'start the payment', async () => {
      if (checkout.paymentId && checkout.redirectUrl) {
        // Pay again after the back button: the payment exists; while it is open its page is still the place to go.
        const status = await ctx.ingester.paymentStatus(checkout.paymentId);
        return redirect(res, status.state === 'INITIATED' ? checkout.redirectUrl : resultUrl(checkout.paymentId, checkout.orderIdent));
      }
      if (!checkout.paying) {
        const totals = cartTotals(session.cart);
        const request = paymentRequest(checkout, checkout.details as CheckoutDetails, totals, req, ctx.publicUrl());
        checkout.paying = ctx.ingester.initPayment(request).finally(() => (checkout.paying = null));
      }
      try {
        const payment = await checkout.paying;
        checkout.paymentId = payment.paymentId;
        checkout.redirectUrl = payment.redirectUrl;
        redirect(res, payment.redirectUrl);
      } catch (e) {
        if (e instanceof IngesterError && e.status === 410) return sendHtml(res, storageExpiredPage(cartCount(session)), 410);
        throw e;
      }
    });
  });

  /** Where the ingester sends the browser back (its demo shop's return URLs): the state comes from the ingester. */
  router.get('/checkout/result', async (req, res) => {
    const session = ctx.sessions.of(req, res);
    const paymentId = typeof req.query['paymentId'] === 'string' ? req.query['paymentId'] : '';
    if (!UUID.test(paymentId)) {
      return sendHtml(
        res,
        errorPage({ status: 400, title: 'This link is incomplete', message: 'The payment this page should show is not named in the link. If you just paid, please check your e-mail or contact us.', cartCount: cartCount(session) }),
        400,
      );
    }
    try {
      const status = await ctx.ingester.paymentStatus(paymentId);
      settle(session, status);
      sendHtml(res, resultPage(status, cartCount(session), ctx.resultPollMs));
    } catch (e) {
      if (!(e instanceof IngesterError)) throw e;
      if (e.status === 404) {
        return sendHtml(
          res,
          errorPage({ status: 404, title: 'We cannot find this payment', message: 'The payment service does not know this payment. If you just paid, please contact us.', cartCount: cartCount(session), upstream: { status: e.status, message: e.message, details: e.details } }),
          404,
        );
      }
      sendIngesterError(res, session, e, 'look up your payment');
    }
  });

  /** What the result page polls: the state and the panel to show for it. */
  router.get('/checkout/result/status', async (req, res) => {
    const session = ctx.sessions.of(req, res);
    res.setHeader('Cache-Control', 'no-store');
    const paymentId = typeof req.query['paymentId'] === 'string' ? req.query['paymentId'] : '';
    if (!UUID.test(paymentId)) return void res.status(400).json({ error: 'paymentId must be a payment id' });
    try {
      const status = await ctx.ingester.paymentStatus(paymentId);
      settle(session, status);
      res.json({ paymentId, state: status.state, onHold: status.onHold, settled: isSettled(status), cartCount: cartCount(session), html: resultPanel(status, ctx.resultPollMs).html });
    } catch (e) {
      if (!(e instanceof IngesterError)) throw e;
      res.status(e.status === 404 ? 404 : e.status === 0 ? 503 : 502).json({ error: e.message, upstreamStatus: e.status });
    }
  });

  // PROTOCOL.md §5.4: the gateway's iframe posts `response` here (cross-origin, so exempt from the origin check).
  const fallback = (req: Request, res: Response): void => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const response = typeof body['response'] === 'string' ? body['response'] : '';
    sendHtml(res, storageFallbackPage(response));
  };
  router.get('/checkout/storage-fallback', fallback);
  router.post('/checkout/storage-fallback', fallback);

  return router;
}

export function resultUrl(paymentId: string, orderIdent: string): string {
  return `/checkout/result?paymentId=${encodeURIComponent(paymentId)}&orderIdent=${encodeURIComponent(orderIdent)}`;
}

/** The session learns how its payment ended: SUCCESS empties the cart; any final state closes the checkout. */
function settle(session: Session, status: PaymentStatusResponse): void {
  if (!session.checkout || session.checkout.paymentId !== status.paymentId) return;
  if (status.state === 'SUCCESS' && !status.onHold) {
    session.cart.clear();
    session.checkout = null;
  } else if (status.state === 'CANCEL' || status.state === 'FAILURE' || status.state === 'INIT_FAILED') {
    session.checkout = null;
  }
}

function paymentRequest(checkout: Checkout, d: CheckoutDetails, totals: ReturnType<typeof cartTotals>, req: Request, publicUrl: string): InitPaymentRequest {
  const address = { firstname: d.firstname, lastname: d.lastname, address1: d.address1, zipCode: d.zipCode, city: d.city, country: d.country };
  const userAgent = (req.get('user-agent') ?? '').slice(0, 1024) || 'unknown';
  return {
    storageId: (checkout.storage as NonNullable<Checkout['storage']>).storageId,
    orderIdent: checkout.orderIdent,
    amount: formatCents(totals.totalCents),
    currency: CURRENCY,
    paymentType: PAYMENT_TYPE,
    orderDescription: `Bean & Brew order ${checkout.orderIdent}`,
    orderReference: checkout.orderIdent,
    consumerIpAddress: consumerIp(req),
    consumerUserAgent: userAgent,
    language: LANGUAGE,
    consumerEmail: d.email,
    billingAddress: address,
    shippingAddress: address,
    basket: basketItems(totals, (p) => `${publicUrl}/assets/products/${p.id}.svg`),
  };
}
