import express, { Router, type Request, type Response } from 'express';
import { canAdvance } from '../clock';
import type { SimulatorContext } from '../context';
import { orderDetailsRecord } from '../backend/routes';
import type { DeliveryFilter } from '../confirmation/delivery';
import { responseFinished } from '../frontend/payment-page';
import { completePayment, PaymentAlreadyCompletedError } from '../frontend/complete';
import { OUTCOMES, parseOutcome, type SimulatedPayment } from '../frontend/payments';
import { KnobError, parseKnobs, parseScope } from '../knobs';

/** Longest long-poll on `GET /simulator/deliveries?wait=…`. */
const MAX_WAIT_MS = 60_000;

const query = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

function paymentView(p: SimulatedPayment): Record<string, unknown> {
  return { ...p, amountMinor: p.amountMinor.toString(), customParameters: Object.fromEntries(p.customParameters) };
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: message });
}

/**
 * The simulator's own JSON API for tests and people (never part of the gateway protocol): payments and their
 * outcome, deliveries, knobs, storages, orders, clock, reset.
 */
export function controlRouter(ctx: SimulatorContext, resetState: () => void): Router {
  const router = Router();
  router.use('/simulator', express.json({ limit: '64kb' }));

  router.get('/simulator/payments', (req, res) => {
    const filter = { orderIdent: query(req, 'orderIdent'), orderNumber: query(req, 'orderNumber'), state: query(req, 'state') };
    res.json({ items: ctx.payments.list(filter).map(paymentView) });
  });

  router.get('/simulator/payments/:sid', (req, res) => {
    const p = ctx.payments.get(req.params['sid'] as string);
    if (!p) return void res.status(404).json({ error: 'unknown SID' });
    res.json(paymentView(p));
  });

  /** Picks the outcome without the HTML page; answers where the browser would be redirected. */
  router.post('/simulator/payments/:sid/complete', async (req, res) => {
    const p = ctx.payments.get(req.params['sid'] as string);
    if (!p) return void res.status(404).json({ error: 'unknown SID' });
    const outcome = parseOutcome((req.body as { outcome?: unknown } | undefined)?.outcome);
    if (!outcome) return badRequest(res, `outcome must be one of ${OUTCOMES.join(', ')}`);
    try {
      const result = await completePayment(ctx, p, outcome, responseFinished(res));
      res.json(result);
    } catch (e) {
      if (e instanceof PaymentAlreadyCompletedError) return void res.status(409).json({ error: e.message });
      throw e;
    }
  });

  router.get('/simulator/storages/:storageId', (req, res) => {
    const lookup = ctx.storages.lookup(req.params['storageId'] as string);
    if (lookup.kind === 'unknown') return void res.status(404).json({ status: 'unknown' });
    const s = lookup.storage;
    res.json({
      status: lookup.kind,
      storageId: s.storageId,
      customerId: s.customerId,
      shopId: s.shopId,
      orderIdent: s.orderIdent,
      createdAt: new Date(s.createdAt).toISOString(),
      lastAccessAt: new Date(s.lastAccessAt).toISOString(),
      expiresAt: new Date(ctx.storages.expiresAt(s)).toISOString(),
      consumedBySid: s.consumedBySid ?? null,
      paymentInformation: [...s.paymentInformation.values()],
    });
  });

  router.get('/simulator/orders/:orderNumber', (req, res) => {
    const order = ctx.orders.get(req.params['orderNumber'] as string);
    if (!order) return void res.status(404).json({ error: 'unknown order' });
    res.json(orderDetailsRecord(order, ctx.timeZone));
  });

  /**
   * Every confirmation attempt. Filters: orderNumber, sid, orderIdent, paymentState. `wait=<ms>` long-polls until
   * at least `min` (default 1) attempts match.
   */
  router.get('/simulator/deliveries', async (req, res) => {
    const filter: DeliveryFilter = {};
    for (const name of ['orderNumber', 'sid', 'orderIdent', 'paymentState'] as const) {
      const v = query(req, name);
      if (v !== undefined) filter[name] = v;
    }
    const wait = query(req, 'wait');
    if (wait === undefined) return void res.json({ items: ctx.deliveries.list(filter) });
    const waitMs = Number(wait);
    const min = Number(query(req, 'min') ?? '1');
    if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_WAIT_MS) return badRequest(res, `wait must be 0..${MAX_WAIT_MS} ms`);
    if (!Number.isInteger(min) || min < 1) return badRequest(res, 'min must be a positive integer');
    try {
      res.json({ items: await ctx.deliveries.waitFor(filter, min, waitMs), complete: true });
    } catch {
      res.json({ items: ctx.deliveries.list(filter), complete: false });
    }
  });

  router.delete('/simulator/deliveries', (_req, res) => {
    ctx.deliveries.clear();
    res.status(204).end();
  });

  /** Resolves when no confirmation, retry or PENDING follow-up is scheduled (`timeout` ms, default 10 s). */
  router.get('/simulator/idle', async (req, res) => {
    const timeout = Math.min(Number(query(req, 'timeout') ?? '10000') || 10_000, MAX_WAIT_MS);
    let timer: NodeJS.Timeout | undefined;
    const idle = await Promise.race([ctx.scheduler.idle().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeout)))]);
    clearTimeout(timer);
    res.json({ idle });
  });

  router.get('/simulator/knobs', (_req, res) => res.json({ startup: ctx.knobs.getStartup(), global: ctx.knobs.getGlobal(), scoped: ctx.knobs.listScoped() }));

  router.put('/simulator/knobs', (req, res) => {
    try {
      ctx.knobs.setGlobal(parseKnobs(req.body));
      res.json({ global: ctx.knobs.getGlobal() });
    } catch (e) {
      if (e instanceof KnobError) return badRequest(res, e.message);
      throw e;
    }
  });

  /** `{ scope: { orderIdent | orderNumber | sid }, knobs: {...} }` */
  router.post('/simulator/knobs', (req, res) => {
    try {
      const body = (req.body ?? {}) as { scope?: unknown; knobs?: unknown };
      const entry = ctx.knobs.addScoped(parseScope(body.scope), parseKnobs(body.knobs ?? {}));
      res.status(201).json(entry);
    } catch (e) {
      if (e instanceof KnobError) return badRequest(res, e.message);
      throw e;
    }
  });

  router.delete('/simulator/knobs/:id', (req, res) => {
    res.status(ctx.knobs.removeScoped(Number(req.params['id'])) ? 204 : 404).end();
  });

  router.delete('/simulator/knobs', (_req, res) => {
    ctx.knobs.clear();
    res.status(204).end();
  });

  router.post('/simulator/clock/advance', (req, res) => {
    const ms = (req.body as { ms?: unknown } | undefined)?.ms;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) return badRequest(res, 'body must be { "ms": <number> }');
    if (!canAdvance(ctx.clock)) return void res.status(409).json({ error: 'the injected clock cannot be advanced over HTTP' });
    ctx.clock.advance(ms);
    res.json({ now: new Date(ctx.clock.now()).toISOString() });
  });

  router.get('/simulator/accounts', (_req, res) => {
    res.json({ items: ctx.accounts.all().map((a) => ({ customerId: a.customerId, shopIds: a.shopIds, fingerprintAlgorithm: a.fingerprintAlgorithm })) });
  });

  /** Forgets storages, payments, orders, deliveries and knobs, and cancels scheduled confirmations. */
  router.post('/simulator/reset', (_req, res) => {
    resetState();
    res.status(204).end();
  });

  return router;
}
