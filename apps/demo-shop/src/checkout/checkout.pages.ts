import type { AnonymizedPaymentInformation } from '@seamless-ops/contracts';
import { totalsBlock } from '../cart/cart.page';
import type { CartTotals } from '../cart/cart';
import { formatCents } from '../catalog/money';
import { eur, html, page, raw, type Raw } from '../pages/html';
import type { Checkout, CheckoutDetails } from './checkout-state';

const COUNTRIES: Array<[string, string]> = [
  ['AT', 'Austria'],
  ['DE', 'Germany'],
  ['CH', 'Switzerland'],
  ['IT', 'Italy'],
  ['NL', 'Netherlands'],
  ['FR', 'France'],
];

/** Demo card numbers of the QENTA demo mode (PROTOCOL.md §10); the simulator accepts them. */
export const DEMO_CARDS: Array<{ pan: string; label: string }> = [
  { pan: '9500000000000001', label: 'MasterCard (demo)' },
  { pan: '9500000000000002', label: 'MasterCard (demo)' },
  { pan: '9400000000000004', label: 'Visa (demo)' },
  { pan: '9600000000000005', label: 'Maestro (demo)' },
];

function orderSummary(totals: CartTotals): Raw {
  return html`<aside class="panel">
  <h2>Your order</h2>
  <table class="lines small">
    ${totals.lines.map((l) => html`<tr><td>${l.quantity} × ${l.product.name}</td><td class="num">${eur(l.lineCents)}</td></tr>`)}
  </table>
  ${totalsBlock(totals)}
</aside>`;
}

function input(name: keyof CheckoutDetails, label: string, values: CheckoutDetails, problems: Partial<Record<keyof CheckoutDetails, string>>, attrs = ''): Raw {
  const problem = problems[name];
  return html`<div class="field">
  <label for="details-${name}">${label}</label>
  <input id="details-${name}" name="${name}" value="${values[name]}" ${raw(attrs)}${problem ? raw(` aria-invalid="true" aria-describedby="details-${name}-problem"`) : ''}>
  ${problem ? html`<div class="problem" id="details-${name}-problem">${problem}</div>` : ''}
</div>`;
}

export function detailsPage(totals: CartTotals, values: CheckoutDetails, problems: Partial<Record<keyof CheckoutDetails, string>>): string {
  return page(
    { title: 'Checkout: your details', cartCount: totals.itemCount, step: 'details' },
    html`<h1>Where should we send it?</h1>
<div class="two-col">
  <form class="panel" method="post" action="/checkout/details" id="details-form" data-testid="details-form" novalidate>
    ${Object.keys(problems).length ? html`<p class="alert" role="alert">Please check the highlighted fields.</p>` : ''}
    ${input('email', 'E-mail', values, problems, 'type="email" autocomplete="email" required')}
    <div class="row">
      ${input('firstname', 'First name', values, problems, 'autocomplete="given-name" required')}
      ${input('lastname', 'Last name', values, problems, 'autocomplete="family-name" required')}
    </div>
    ${input('address1', 'Street and number', values, problems, 'autocomplete="address-line1" required')}
    <div class="row3">
      ${input('zipCode', 'Postcode', values, problems, 'autocomplete="postal-code" required')}
      ${input('city', 'City', values, problems, 'autocomplete="address-level2" required')}
      <div class="field">
        <label for="details-country">Country</label>
        <select id="details-country" name="country" autocomplete="country">
          ${COUNTRIES.map(([code, name]) => html`<option value="${code}"${values.country === code ? raw(' selected') : ''}>${name}</option>`)}
        </select>
        ${problems.country ? html`<div class="problem">${problems.country}</div>` : ''}
      </div>
    </div>
    <button class="wide" type="submit" id="continue-to-payment" data-testid="continue-to-payment">Continue to payment</button>
  </form>
  ${orderSummary(totals)}
</div>`,
  );
}

function monthOptions(): Raw[] {
  return Array.from({ length: 12 }, (_, i) => {
    const m = String(i + 1).padStart(2, '0');
    return html`<option value="${m}">${m}</option>`;
  });
}

function yearOptions(now: Date): Raw[] {
  const first = now.getUTCFullYear();
  return Array.from({ length: 11 }, (_, i) => html`<option value="${first + i}"${i === 3 ? raw(' selected') : ''}>${first + i}</option>`);
}

/** The card form: the gateway's JavaScript is loaded from `javascriptUrl`; card data goes straight to the gateway. */
export function paymentPage(totals: CartTotals, checkout: Checkout, flash: string | null, now = new Date()): string {
  const storage = checkout.storage as NonNullable<Checkout['storage']>;
  return page(
    { title: 'Checkout: payment', cartCount: totals.itemCount, step: 'payment', flash, scripts: [storage.javascriptUrl, '/assets/card-form.js'] },
    html`<h1>Pay by card</h1>
<div class="two-col">
  <div>
    <form class="panel" id="card-form" data-testid="card-form" autocomplete="on" data-next="/checkout/review"
      data-storage-id="${storage.storageId}" data-order-ident="${checkout.orderIdent}" data-javascript-url="${storage.javascriptUrl}" data-ready="false">
      <p class="secure"><svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16"><rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor"/><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.6"/></svg> Your card details are sent directly to our payment provider QENTA and never reach our servers.</p>
      <div id="card-errors" class="alert" role="alert" data-testid="card-errors" hidden></div>
      <div class="field">
        <label for="card-holder">Cardholder name</label>
        <input id="card-holder" autocomplete="cc-name" data-testid="card-holder" value="${checkout.details ? `${checkout.details.firstname} ${checkout.details.lastname}` : ''}">
      </div>
      <div class="field">
        <label for="card-number">Card number</label>
        <input id="card-number" inputmode="numeric" autocomplete="cc-number" placeholder="9500 0000 0000 0001" data-testid="card-number">
      </div>
      <div class="row3">
        <div class="field">
          <label for="card-expiry-month">Expiry month</label>
          <select id="card-expiry-month" autocomplete="cc-exp-month" data-testid="card-expiry-month">${monthOptions()}</select>
        </div>
        <div class="field">
          <label for="card-expiry-year">Expiry year</label>
          <select id="card-expiry-year" autocomplete="cc-exp-year" data-testid="card-expiry-year">${yearOptions(now)}</select>
        </div>
        <div class="field">
          <label for="card-cvc">Security code</label>
          <input id="card-cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" placeholder="123" data-testid="card-cvc">
        </div>
      </div>
      <button class="wide" type="submit" id="store-card" data-testid="store-card">Continue to review</button>
      <p id="card-busy" class="muted small" hidden><span class="spinner"></span>Saving your card securely…</p>
    </form>
    <div class="hint spaced" data-testid="demo-card-hints">
      <strong>Demo mode:</strong> use one of these card numbers with any future expiry date and security code <code>123</code>.
      <table>
        ${DEMO_CARDS.map((c) => html`<tr><td><code>${c.pan}</code></td><td>${c.label}</td><td><button type="button" class="link" data-demo-pan="${c.pan}" data-testid="use-demo-card-${c.pan}">Use</button></td></tr>`)}
      </table>
    </div>
  </div>
  ${orderSummary(totals)}
</div>`,
  );
}

function brandMark(info: AnonymizedPaymentInformation): string {
  return info.brand || info.financialInstitution || info.paymentType;
}

export function reviewPage(totals: CartTotals, checkout: Checkout, card: AnonymizedPaymentInformation): string {
  const d = checkout.details as CheckoutDetails;
  return page(
    { title: 'Checkout: review your order', cartCount: totals.itemCount, step: 'review' },
    html`<h1>Review your order</h1>
<div class="two-col">
  <div class="panel" data-testid="order-review" data-order-ident="${checkout.orderIdent}" data-amount="${formatCents(totals.totalCents)}">
    <h2>Items</h2>
    <table class="lines">
      ${totals.lines.map((l) => html`<tr><td>${l.quantity} × ${l.product.name}</td><td class="num">${eur(l.lineCents)}</td></tr>`)}
    </table>
    <h2>Delivery to</h2>
    <p data-testid="review-address">${d.firstname} ${d.lastname}<br>${d.address1}<br>${d.zipCode} ${d.city}, ${d.country}<br><span class="muted">${d.email}</span></p>
    <h2>Payment</h2>
    <div class="cardline" data-testid="review-card">
      <span class="brandmark">${brandMark(card)}</span>
      <span data-testid="masked-pan">${card.maskedPan ?? card.anonymousPan ?? ''}</span>
      ${card.expiry ? html`<span class="muted">expires ${card.expiry}</span>` : ''}
    </div>
    ${card.cardholdername ? html`<p class="muted small">${card.cardholdername}</p>` : ''}
    <p class="small"><a href="/checkout/payment" data-testid="change-card">Use another card</a></p>
  </div>
  <aside class="panel">
    <h2>Total</h2>
    ${totalsBlock(totals)}
    <form method="post" action="/checkout/pay" id="pay-form">
      <button class="wide" type="submit" id="pay-button" data-testid="pay-button">Pay ${eur(totals.totalCents)} now</button>
    </form>
    <p class="muted small">You'll confirm the payment on QENTA's page and come back here.</p>
  </aside>
</div>`,
  );
}

export function storageExpiredPage(cartCount: number): string {
  return page(
    { title: 'Your payment session expired', cartCount, step: 'payment' },
    html`<div class="panel empty" data-testid="storage-expired">
  <h1>Your payment session has expired</h1>
  <p class="muted">For your security, card details are kept for 30 minutes only. Please enter them again — nothing has been charged.</p>
  <form method="post" action="/checkout/restart"><button type="submit" data-testid="restart-checkout">Enter card details again</button></form>
</div>`,
  );
}
