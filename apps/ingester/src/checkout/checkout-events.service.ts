import { Injectable } from '@nestjs/common';
import type { CheckoutEventRequest } from '@seamless-ops/contracts';
import { PAYMENT_TYPES } from '@seamless-ops/qenta';
import { EventStore } from '../events/event-store';
import type { Shop } from '../shops/shop';
import { invalidRequest } from './api-error';
import { ORDER_IDENT, ORDER_IDENT_HINT, Validator } from './validation';

/** How far a shop's clock may run ahead, and how old a reported step may be. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;
export const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

const KINDS = ['checkout.started', 'checkout.step'] as const;
const STEP_NAME = /^[a-z0-9._-]{1,64}$/;
/** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`), optional fraction. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `POST /api/checkout/events` body; `occurredAt` is checked against `now`. */
export function parseCheckoutEventRequest(body: unknown, now: Date): { request?: CheckoutEventRequest & { at?: Date }; problems: string[] } {
  const v = new Validator();
  if (body === undefined) return { problems: ['a JSON body is required'] };
  const o = v.object(body, 'body', ['kind', 'orderIdent', 'name', 'paymentType', 'occurredAt']);
  if (!o) return { problems: v.problems };
  const kind = v.oneOf(o, 'kind', 'body', KINDS, { required: true, what: 'event kind (checkout.started, checkout.step)' });
  const orderIdent = v.string(o, 'orderIdent', 'body', { required: true, max: 64, pattern: ORDER_IDENT, hint: ORDER_IDENT_HINT });
  const name = v.string(o, 'name', 'body', { max: 64, pattern: STEP_NAME, hint: 'be 1-64 characters of a-z, 0-9, ".", "_" or "-"' });
  if (kind === 'checkout.step' && name === undefined && !v.problems.some((p) => p.startsWith('name'))) v.problem('name is required for checkout.step');
  if (kind === 'checkout.started' && name !== undefined) v.problem('name is only used with checkout.step');
  const paymentType = v.oneOf(o, 'paymentType', 'body', PAYMENT_TYPES, { what: 'payment type' });
  const occurredAtRaw = v.string(o, 'occurredAt', 'body', { max: 40, pattern: ISO_DATE_TIME, hint: 'be an ISO 8601 date-time with offset, e.g. 2026-01-31T12:00:00Z' });
  let at: Date | undefined;
  if (occurredAtRaw !== undefined) {
    at = new Date(occurredAtRaw);
    if (Number.isNaN(at.getTime())) v.problem(`occurredAt "${occurredAtRaw}" is not a valid date-time`);
    else if (at.getTime() > now.getTime() + MAX_FUTURE_MS) v.problem('occurredAt must not be more than 5 minutes in the future');
    else if (at.getTime() < now.getTime() - MAX_AGE_MS) v.problem('occurredAt must not be more than 7 days in the past');
  }
  if (v.problems.length) return { problems: v.problems };
  const request: CheckoutEventRequest & { at?: Date } = { kind: kind as CheckoutEventRequest['kind'], orderIdent: orderIdent as string };
  if (name !== undefined) request.name = name;
  if (paymentType !== undefined) request.paymentType = paymentType;
  if (at) {
    request.occurredAt = at.toISOString();
    request.at = at;
  }
  return { request, problems: [] };
}

/** Funnel steps the shop reports (ARCHITECTURE §1 step 3): one event each; `checkout.started` counts in the funnel. */
@Injectable()
export class CheckoutEventsService {
  constructor(private readonly events: EventStore) {}

  /**
   * `now` is the clock `occurredAt` is checked against (default: this moment); history seeding passes the
   * simulated moment along with a body whose occurredAt is that moment.
   */
  async record(shop: Shop, body: unknown, now: Date = new Date()): Promise<void> {
    const { request, problems } = parseCheckoutEventRequest(body, now);
    if (!request) throw invalidRequest(problems);
    await this.events.transaction(async (tx) => {
      const event = await tx.append({
        kind: request.kind,
        source: 'shop',
        shopId: shop.id,
        orderIdent: request.orderIdent,
        paymentType: request.paymentType ?? null,
        ...(request.at ? { occurredAt: request.at } : {}),
        payload: request.name !== undefined ? { name: request.name } : {},
      });
      if (event && request.kind === 'checkout.started') await tx.bumpFunnel(event.occurredAt, shop.id, request.paymentType ?? null, { checkoutsStarted: 1 });
    });
  }
}
