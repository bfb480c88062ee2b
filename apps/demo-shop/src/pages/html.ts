import { displayEur } from '../catalog/money';

/** Text for HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

/**
 * A template tag whose `${…}` values are escaped unless wrapped in {@link raw} (or arrays of raw). null and
 * undefined render as nothing; booleans and numbers as their text (attribute values such as data-settled).
 */
export class Raw {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}
export const raw = (html: string): Raw => new Raw(html);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] as string;
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] as string);
  });
  return new Raw(out);
}

function render(value: unknown): string {
  if (value instanceof Raw) return value.html;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined) return '';
  return escapeHtml(value);
}

export const eur = (cents: number): string => displayEur(cents);

export type CheckoutStep = 'details' | 'payment' | 'review' | 'result';

export interface PageOptions {
  title: string;
  /** Items in the cart, for the header badge. */
  cartCount?: number;
  /** Shows the checkout progress bar with this step current. */
  step?: CheckoutStep;
  /** Scripts to load at the end of the body, in order (absolute URLs or /assets paths). */
  scripts?: string[];
  flash?: string | null;
}

const STEPS: Array<[CheckoutStep, string]> = [
  ['details', 'Details'],
  ['payment', 'Payment'],
  ['review', 'Review'],
  ['result', 'Done'],
];

function progress(step: CheckoutStep): Raw {
  const current = STEPS.findIndex(([s]) => s === step);
  return html`<ol class="steps" aria-label="Checkout progress">${STEPS.map(
    ([s, label], i) => html`<li class="${i < current ? 'done' : i === current ? 'current' : ''}"${i === current ? raw(' aria-current="step"') : ''} data-step="${s}">${label}</li>`,
  )}</ol>`;
}

/** The page shell: header with the cart, optional checkout progress, content, footer. */
export function page(options: PageOptions, content: Raw): string {
  const count = options.cartCount ?? 0;
  return `<!doctype html>
${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Bean &amp; Brew</title>
<link rel="stylesheet" href="/assets/shop.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/"><span class="logo" aria-hidden="true">☕</span> Bean &amp; Brew <span class="tag">demo shop</span></a>
    <nav>
      <a href="/service">Help</a>
      <a class="cart-link" href="/cart" data-testid="cart-link">Cart <span class="badge" data-testid="cart-count">${count}</span></a>
    </nav>
  </div>
</header>
<main class="wrap">
${options.step ? progress(options.step) : ''}
${options.flash ? html`<p class="flash" role="status">${options.flash}</p>` : ''}
${content}
</main>
<footer class="site-footer">
  <div class="wrap">A demo shop of Seamless Ops. Payments go through the QENTA Checkout Seamless gateway (here: its simulator) — no real money moves. <a href="/service">Contact &amp; help</a></div>
</footer>
${(options.scripts ?? []).map((src) => html`<script src="${src}"></script>\n`)}</body>
</html>
`}`;
}
