import { encodeForm, signConfirmation } from '@seamless-ops/qenta';
import type { Client } from 'pg';

// Realistic, correlated confirmations: payments are seeded in bulk as the checkout API leaves them after
// `payment.initiated` (row + event), and each benchmark request confirms a different one of them with a body
// signed as the gateway signs it (HMAC-SHA512 over the fields in posting order, `secret` included).

/** The public QENTA demo account's secret: the ingester's default shop `demo` (apps/ingester/src/shops). */
export const DEMO_SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';
export const SHOP_ID = 'demo';
/** The custom parameter the ingester correlates confirmations by (apps/ingester/src/checkout/correlation.ts). */
export const CORRELATION_PARAMETER = 'soPaymentId';

export interface SeededPayment {
  id: string;
  orderIdent: string;
  paymentType: string;
  amount: string;
  currency: string;
}

/**
 * Seeds `count` payments in INITIATED (with their payment.initiated events) through set-based SQL: a mix of
 * payment types, amounts from 5 to 500, mostly EUR, initiated over the last 10 minutes. Returns them in random
 * (uuid) order, so consecutive requests hit unrelated rows.
 */
export async function seedPayments(client: Client, count: number): Promise<SeededPayment[]> {
  await client.query(
    `INSERT INTO payments (id, shop_id, order_ident, payment_type, amount, currency, state, initiated_at, created_at, updated_at)
     SELECT gen_random_uuid(), $2, 'bench' || g, pt, amt, cur, 'INITIATED', ts, ts, ts
     FROM (SELECT g,
                  (ARRAY['CCARD','CCARD','CCARD','CCARD','CCARD','CCARD','PAYPAL','PAYPAL','SOFORTUEBERWEISUNG','EPS'])[1 + g % 10] AS pt,
                  round(5 + (g * 7919 % 49500) / 100.0, 2) AS amt,
                  CASE WHEN g % 20 = 0 THEN 'CHF' ELSE 'EUR' END AS cur,
                  now() - make_interval(secs => g % 600) AS ts
           FROM generate_series(1, $1::int) g) s`,
    [count, SHOP_ID],
  );
  await client.query(
    `INSERT INTO checkout_events (occurred_at, kind, source, shop_id, payment_id, order_ident, payment_state, amount, currency, payment_type)
     SELECT initiated_at, 'payment.initiated', 'shop', shop_id, id, order_ident, 'INITIATED', amount, currency, payment_type
     FROM payments WHERE order_ident LIKE 'bench%'`,
  );
  const { rows } = await client.query<{ id: string; order_ident: string; payment_type: string; amount: string; currency: string }>(
    `SELECT id, order_ident, payment_type, amount::text AS amount, currency FROM payments WHERE order_ident LIKE 'bench%' ORDER BY id`,
  );
  return rows.map((r) => ({ id: r.id, orderIdent: r.order_ident, paymentType: r.payment_type, amount: r.amount, currency: r.currency }));
}

/** Outcome mix of the confirmations: mostly SUCCESS, as on a normal day. */
function stateFor(i: number): 'SUCCESS' | 'FAILURE' | 'CANCEL' | 'PENDING' {
  const r = (i * 2654435761) % 100;
  return r < 85 ? 'SUCCESS' : r < 92 ? 'FAILURE' : r < 97 ? 'CANCEL' : 'PENDING';
}

/** The confirmation the gateway would post for this payment, fields in the gateway's order. */
export function confirmationFields(p: SeededPayment, i: number): Record<string, string> {
  const state = stateFor(i);
  const orderNumber = String(20_000_000 + i);
  const fields: Record<string, string> = {
    amount: p.amount,
    currency: p.currency,
    paymentType: p.paymentType,
    financialInstitution: p.paymentType === 'CCARD' ? (i % 3 === 0 ? 'MC' : 'Visa') : p.paymentType,
    language: i % 4 === 0 ? 'de' : 'en',
    orderNumber,
    paymentState: state,
  };
  if (state === 'SUCCESS' || state === 'PENDING') {
    if (p.paymentType === 'CCARD') {
      fields['authenticated'] = 'Yes';
      fields['anonymousPan'] = String(1000 + (i % 9000));
      fields['maskedPan'] = `940000******${String(1000 + (i % 9000))}`;
      fields['expiry'] = '12/2031';
      fields['cardholder'] = 'Jane Doe';
    } else if (p.paymentType === 'PAYPAL') {
      fields['paypalPayerID'] = `PAYER${i}`;
      fields['paypalPayerEmail'] = `buyer${i % 1000}@example.com`;
      fields['paypalPayerLastName'] = 'Doe';
      fields['paypalPayerFirstName'] = 'Jane';
    } else {
      fields['senderAccountOwner'] = 'Jane Doe';
      fields['senderBankName'] = 'Demo Bank';
    }
    fields['gatewayReferenceNumber'] = `DGW_${orderNumber}_RN`;
    fields['gatewayContractNumber'] = 'DemoContractNumber123';
  } else if (state === 'FAILURE') {
    fields['message'] = 'The payment was declined by the financial institution.';
    fields['consumerMessage'] = 'Your payment could not be completed.';
  }
  fields[CORRELATION_PARAMETER] = p.id;
  return fields;
}

/** Encoded, signed bodies, one per payment, in the payments' order. */
export function confirmationBodies(payments: SeededPayment[]): string[] {
  return payments.map((p, i) => encodeForm(signConfirmation(confirmationFields(p, i), DEMO_SECRET)));
}
