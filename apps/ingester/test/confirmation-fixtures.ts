import { randomUUID } from 'node:crypto';
import { encodeForm, signConfirmation, type FormFields } from '@seamless-ops/qenta';
import type { Client } from 'pg';
import { CORRELATION_PARAMETER } from '../src/checkout/correlation';
import { withClient } from './postgres-server';

export const DEMO_SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';

export interface SeededPayment {
  id: string;
  orderIdent: string;
  amount: string;
  currency: string;
}

/** A payment as the checkout API leaves it after `payment.initiated` (row + event), for confirmation tests. */
export async function seedPayment(
  databaseUrl: string,
  overrides: Partial<{ shopId: string; amount: string; currency: string; paymentType: string; state: string }> = {},
): Promise<SeededPayment> {
  const p = { id: randomUUID(), orderIdent: `oi${randomUUID().slice(0, 8)}`, amount: overrides.amount ?? '10.00', currency: overrides.currency ?? 'EUR' };
  await withClient(databaseUrl, async (c: Client) => {
    await c.query(
      `INSERT INTO payments (id, shop_id, order_ident, payment_type, amount, currency, state, initiated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
      [p.id, overrides.shopId ?? 'demo', p.orderIdent, overrides.paymentType ?? 'CCARD', p.amount, p.currency, overrides.state ?? 'INITIATED'],
    );
    await c.query(
      `INSERT INTO checkout_events (occurred_at, kind, source, shop_id, payment_id, order_ident, payment_state, amount, currency, payment_type)
       VALUES (now(), 'payment.initiated', 'shop', $1, $2, $3, 'INITIATED', $4, $5, $6)`,
      [overrides.shopId ?? 'demo', p.id, p.orderIdent, p.amount, p.currency, overrides.paymentType ?? 'CCARD'],
    );
  });
  return p;
}

let orderSeq = 10_000_000;

/** A confirmation signed as the gateway signs it (custom parameter included in the fingerprint). */
export function signedConfirmation(
  paymentId: string | null,
  state: 'SUCCESS' | 'PENDING' | 'FAILURE' | 'CANCEL',
  extra: Partial<Record<string, string>> = {},
  secret = DEMO_SECRET,
): FormFields {
  const orderNumber = extra['orderNumber'] ?? String(orderSeq++);
  const fields: Record<string, string> = {
    amount: '10.00',
    currency: 'EUR',
    paymentType: 'CCARD',
    financialInstitution: 'Visa',
    language: 'en',
    orderNumber,
    paymentState: state,
    anonymousPan: '0004',
    maskedPan: '940000******0004',
    gatewayReferenceNumber: `DGW_${orderNumber}_RN`,
    gatewayContractNumber: 'DemoContractNumber123',
    ...(Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as Record<string, string>),
  };
  if (paymentId) fields[CORRELATION_PARAMETER] = paymentId;
  return signConfirmation(fields, secret);
}

export async function postConfirmation(baseUrl: string, body: FormFields | string, contentType = 'application/x-www-form-urlencoded'): Promise<{ status: number; body: string }> {
  const response = await fetch(`${baseUrl}/qenta/confirm`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : encodeForm(body),
  });
  return { status: response.status, body: await response.text() };
}

export async function queryRows<T = Record<string, unknown>>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(databaseUrl, async (c) => (await c.query(sql, params)).rows as T[]);
}
