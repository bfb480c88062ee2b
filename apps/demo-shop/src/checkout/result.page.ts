import type { PaymentState, PaymentStatusResponse } from '@seamless-ops/contracts';
import { parseCents } from '../catalog/money';
import { eur, html, page, type Raw } from '../pages/html';

type Tone = 'ok' | 'wait' | 'bad';

interface Presentation {
  tone: Tone;
  icon: string;
  headline: string;
  message: string;
  /** Nothing more will change that the consumer should wait for. */
  settled: boolean;
}

const FINAL: readonly PaymentState[] = ['SUCCESS', 'CANCEL', 'FAILURE', 'INIT_FAILED'];

/** What the consumer is told for each state. The return URL's outcome proves nothing; only the ingester's state counts. */
export function present(status: Pick<PaymentStatusResponse, 'state' | 'onHold' | 'orderNumber'>): Presentation {
  if (status.onHold) {
    return {
      tone: 'wait',
      icon: '⏸',
      headline: 'Your payment is being checked',
      message: 'The confirmation from the payment provider did not match your order, so we are checking it by hand. Please do not pay again — we will contact you.',
      settled: true,
    };
  }
  switch (status.state) {
    case 'SUCCESS':
      return { tone: 'ok', icon: '✓', headline: 'Thank you — your payment was received', message: 'We roast on Tuesdays and ship within two working days. A confirmation is on its way to your inbox.', settled: true };
    case 'CANCEL':
      return { tone: 'bad', icon: '✕', headline: 'Payment cancelled', message: 'You cancelled the payment; nothing was charged. Your cart is still here whenever you want to try again.', settled: true };
    case 'FAILURE':
      return { tone: 'bad', icon: '✕', headline: 'Payment failed', message: 'The payment was declined and nothing was charged. You can try again, perhaps with another card.', settled: true };
    case 'INIT_FAILED':
      return { tone: 'bad', icon: '✕', headline: 'The payment could not be started', message: 'The payment provider refused to start this payment. Nothing was charged; please try again.', settled: true };
    case 'PENDING':
      return { tone: 'wait', icon: '…', headline: 'Your payment is pending', message: 'The payment provider is still processing your payment. This page updates by itself.', settled: false };
    case 'UNKNOWN':
      return { tone: 'wait', icon: '?', headline: 'We are checking your payment', message: 'We could not tell whether your payment started. Please do not pay again yet; this page updates by itself.', settled: false };
    case 'INITIATED':
    default:
      return { tone: 'wait', icon: '…', headline: 'Waiting for the payment provider', message: 'We have not received the result of your payment yet. This page updates by itself.', settled: false };
  }
}

export function isSettled(status: Pick<PaymentStatusResponse, 'state' | 'onHold'>): boolean {
  return status.onHold || FINAL.includes(status.state);
}

function amount(status: PaymentStatusResponse): string {
  if (status.currency === 'EUR') {
    try {
      return eur(parseCents(status.amount));
    } catch {
      /* an amount with more digits: shown as given */
    }
  }
  return `${status.amount} ${status.currency}`;
}

/** The result panel, also sent as `html` by the status endpoint the page polls. */
export function resultPanel(status: PaymentStatusResponse, pollTimeoutMs: number): Raw {
  const p = present(status);
  const pollUrl = `/checkout/result/status?paymentId=${encodeURIComponent(status.paymentId)}`;
  return html`<section id="payment-result" class="panel result" data-testid="payment-result" data-tone="${p.tone}" data-state="${status.state}"
  data-on-hold="${String(status.onHold)}" data-settled="${String(p.settled)}" data-payment-id="${status.paymentId}" data-poll-url="${pollUrl}" data-poll-timeout-ms="${pollTimeoutMs}">
  <div class="icon" aria-hidden="true">${p.icon}</div>
  <h1 data-testid="result-headline">${p.headline}</h1>
  <p>${p.message}</p>
  ${p.settled ? '' : html`<p id="result-waiting" class="muted small" data-testid="result-waiting"><span class="spinner"></span>Checking for updates…</p>
  <p id="result-timeout" class="alert" data-testid="result-timeout" hidden>We still have no final answer from the payment provider. You don't need to do anything: we will e-mail you as soon as it arrives. <a href="">Check again</a></p>`}
  <dl>
    <dt>Payment status</dt><dd data-testid="payment-state">${status.onHold ? `${status.state} (on hold)` : status.state}</dd>
    <dt>Amount</dt><dd data-testid="payment-amount">${amount(status)}</dd>
    ${status.orderNumber ? html`<dt>Order number</dt><dd data-testid="order-number">${status.orderNumber}</dd>` : ''}
    ${status.orderIdent ? html`<dt>Reference</dt><dd>${status.orderIdent}</dd>` : ''}
  </dl>
  <div class="actions">
    ${status.state === 'CANCEL' || status.state === 'FAILURE' || status.state === 'INIT_FAILED'
      ? html`<a class="button" href="/cart" data-testid="try-again">Back to cart</a>`
      : html`<a class="button secondary" href="/" data-testid="continue-shopping">Continue shopping</a>`}
    <a class="button secondary" href="/service">Questions?</a>
  </div>
</section>`;
}

export function resultPage(status: PaymentStatusResponse, cartCount: number, pollTimeoutMs: number): string {
  const p = present(status);
  return page({ title: p.headline, cartCount, step: 'result', scripts: p.settled ? [] : ['/assets/result.js'] }, resultPanel(status, pollTimeoutMs));
}
