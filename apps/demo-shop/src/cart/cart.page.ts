import { html, page, eur, type Raw } from '../pages/html';
import { MAX_QUANTITY, type CartTotals } from './cart';

/** The totals block shared by the cart, review and payment pages. */
export function totalsBlock(totals: CartTotals): Raw {
  return html`<div class="totals" data-testid="cart-totals">
  <span>Items (${totals.itemCount})</span><span>${eur(totals.totalCents)}</span>
  <span class="muted">Shipping</span><span class="muted">free</span>
  ${totals.taxByRate.map((t) => html`<span class="muted small">incl. ${t.rate}% VAT</span><span class="muted small">${eur(t.taxCents)}</span>`)}
  <span class="grand">Total</span><span class="grand" data-testid="cart-total" data-amount-cents="${totals.totalCents}">${eur(totals.totalCents)}</span>
</div>`;
}

export function cartPage(totals: CartTotals, flash: string | null, problem?: string): string {
  if (totals.lines.length === 0) {
    return page(
      { title: 'Your cart', cartCount: 0, flash },
      html`<div class="panel empty" data-testid="cart-empty"><h1>Your cart is empty</h1><p class="muted">Good coffee is one click away.</p><a class="button" href="/">Browse the shop</a></div>`,
    );
  }
  return page(
    { title: 'Your cart', cartCount: totals.itemCount, flash },
    html`<h1>Your cart</h1>
${problem ? html`<p class="alert" role="alert">${problem}</p>` : ''}
<div class="two-col">
  <div class="panel">
    <table class="lines" data-testid="cart-lines">
      <thead><tr><th>Product</th><th>Quantity</th><th class="num">Price</th><th class="num">Total</th><th></th></tr></thead>
      <tbody>
      ${totals.lines.map(
        (l) => html`<tr data-testid="cart-line" data-product-id="${l.product.id}" data-quantity="${l.quantity}">
        <td>${l.product.name}</td>
        <td>
          <form class="qty" method="post" action="/cart/items/${l.product.id}">
            <input id="qty-${l.product.id}" type="number" name="quantity" min="0" max="${MAX_QUANTITY}" value="${l.quantity}" aria-label="Quantity of ${l.product.name}" data-testid="quantity-${l.product.id}">
            <button class="secondary" type="submit" data-testid="update-${l.product.id}">Update</button>
          </form>
        </td>
        <td class="num">${eur(l.unitCents)}</td>
        <td class="num">${eur(l.lineCents)}</td>
        <td class="num"><form method="post" action="/cart/items/${l.product.id}/remove"><button class="link" type="submit" data-testid="remove-${l.product.id}" aria-label="Remove ${l.product.name}">Remove</button></form></td>
      </tr>`,
      )}
      </tbody>
    </table>
  </div>
  <aside class="panel">
    <h2>Summary</h2>
    ${totalsBlock(totals)}
    <form method="post" action="/checkout">
      <button class="wide" type="submit" id="checkout-button" data-testid="checkout-button">Checkout</button>
    </form>
    <p class="muted small">Card payment through QENTA. You'll review your order before paying.</p>
  </aside>
</div>`,
  );
}
