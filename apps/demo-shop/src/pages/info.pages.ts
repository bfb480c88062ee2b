import { html, page, raw } from './html';

export function servicePage(cartCount: number): string {
  return page(
    { title: 'Help & contact', cartCount },
    html`<div class="panel" data-testid="service-page">
  <h1>Help &amp; contact</h1>
  <p>Questions about an order or a payment? We're happy to help.</p>
  <ul>
    <li>E-mail: <a href="mailto:hello@bean-and-brew.example">hello@bean-and-brew.example</a></li>
    <li>Phone: +43 1 234 56 78 (Mon–Fri, 9:00–17:00 CET)</li>
    <li>Bean &amp; Brew Demo GmbH, Mariahilfer Straße 1, 1060 Wien, Austria</li>
  </ul>
  <h2>Payments</h2>
  <p>Card payments are processed by QENTA. If a payment was cancelled or failed, nothing was charged and you can try again from your cart.
  If your payment is shown as pending, please don't pay twice: we will e-mail you once it is confirmed.</p>
  <p class="muted small">This is a demo shop: payments go to a gateway simulator and no real money moves. Use the demo card 9500000000000001.</p>
  <p><a class="button secondary" href="/">Back to the shop</a></p>
</div>`,
  );
}

/**
 * The data storage's CORS fallback target (PROTOCOL.md §5.4): the gateway's iframe posts its answer as field
 * `response`; the page hands it to `parent.QentaCEE_Fallback_Request_Object.setResponseText(response)`.
 */
export function storageFallbackPage(response: string): string {
  return `<!doctype html>
${html`<html lang="en"><head><meta charset="utf-8"><title>Payment data</title></head>
<body><div id="fallback-response" data-testid="fallback-response" data-response="${response}" hidden></div>
<script src="/assets/storage-fallback.js"></script></body></html>`}
`;
}

export interface ErrorPageOptions {
  status: number;
  title: string;
  message: string;
  /** What the payment service said, shown as given (its message and details). */
  upstream?: { status: number; message: string; details: string[] };
  cartCount?: number;
  action?: { href: string; label: string };
}

export function errorPage(o: ErrorPageOptions): string {
  const action = o.action ?? { href: '/cart', label: 'Back to your cart' };
  return page(
    { title: o.title, cartCount: o.cartCount ?? 0 },
    html`<div class="panel" data-testid="error-page" data-status="${o.status}">
  <h1>${o.title}</h1>
  <p>${o.message}</p>
  ${o.upstream
    ? html`<div class="alert" data-testid="upstream-error" data-upstream-status="${o.upstream.status}">
    <strong>${o.upstream.status ? `The payment service answered ${o.upstream.status}:` : 'The payment service:'}</strong> <span data-testid="upstream-message">${o.upstream.message}</span>
    ${o.upstream.details.length ? html`<ul>${o.upstream.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}
  </div>`
    : ''}
  <p><a class="button" href="${action.href}">${action.label}</a> ${raw('&nbsp;')} <a href="/service">Contact us</a></p>
</div>`,
  );
}
