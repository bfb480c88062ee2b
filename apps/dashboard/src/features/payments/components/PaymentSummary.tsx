import type { PaymentDetailResponse } from '@seamless-ops/contracts';
import type { ReactNode } from 'react';
import { Amount } from '../../../components/Amount';
import { DateTime } from '../../../components/DateTime';
import { Badge, StateBadge } from '../../../components/StateBadge';
import { MISMATCH_KIND_LABELS } from '../../../lib/labels';
import { useShopName } from '../../../lib/session';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field-pair">
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">—</span>}</dd>
    </div>
  );
}

/** The payment's header: state, amount, order references, and what is wrong with it, inline. */
export function PaymentSummary({ payment }: { payment: PaymentDetailResponse }) {
  const shopName = useShopName();
  return (
    <>
      <section className="card payment-summary" aria-label="Payment summary">
        <div className="payment-headline">
          <StateBadge state={payment.state} />
          <span className="payment-amount">
            <Amount amount={payment.amount} currency={payment.currency} />
          </span>
          <span className="muted">{payment.paymentType}</span>
          {payment.returnOutcome && <Badge tone="neutral">returned: {payment.returnOutcome}</Badge>}
        </div>
        <dl className="fields">
          <Field label="Order number">{payment.orderNumber && <span className="mono">{payment.orderNumber}</span>}</Field>
          <Field label="Order ident">{payment.orderIdent && <span className="mono">{payment.orderIdent}</span>}</Field>
          <Field label="Shop">{shopName(payment.shopId)}</Field>
          <Field label="Gateway reference">
            {payment.gatewayReferenceNumber && <span className="mono">{payment.gatewayReferenceNumber}</span>}
          </Field>
          <Field label="Card / institution">
            {payment.maskedPan || payment.financialInstitution
              ? [payment.maskedPan, payment.financialInstitution].filter(Boolean).join(' · ')
              : null}
          </Field>
          <Field label="Confirmations">
            {payment.confirmationCount}
            {payment.duplicateCount > 0 && ` (+${payment.duplicateCount} duplicate)`}
          </Field>
          <Field label="Initiated">
            <DateTime value={payment.initiatedAt} />
          </Field>
          <Field label="First confirmation">
            <DateTime value={payment.firstConfirmationAt} />
          </Field>
          <Field label="Final">
            <DateTime value={payment.finalAt} />
          </Field>
          <Field label="Consumer returned">
            <DateTime value={payment.returnedAt} />
          </Field>
          {payment.storage && (
            <Field label="Data storage">
              <span className="mono">{payment.storage.storageId}</span> ({payment.storage.status})
            </Field>
          )}
        </dl>
      </section>

      {payment.holdReason && (
        <div className="banner banner-warning" role="note">
          <strong>On hold:</strong> {payment.holdReason}
        </div>
      )}

      {payment.mismatches.length > 0 && (
        <section className="card" aria-labelledby="payment-mismatches-heading">
          <h2 id="payment-mismatches-heading">Mismatches</h2>
          <ul className="mismatch-list">
            {payment.mismatches.map((mismatch) => (
              <li key={mismatch.id}>
                <Badge tone={mismatch.status === 'open' ? 'danger' : 'neutral'}>{mismatch.status}</Badge>
                <span className="mismatch-kind">{MISMATCH_KIND_LABELS[mismatch.kind]}</span>
                <span className="mismatch-reason">{mismatch.reason}</span>
                <span className="muted small">
                  detected <DateTime value={mismatch.detectedAt} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
