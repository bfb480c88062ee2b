import { html, page, eur } from '../pages/html';
import { PRODUCTS, unitPriceCents } from './products';

export function catalogPage(cartCount: number, flash: string | null): string {
  return page(
    { title: 'Coffee & gear', cartCount, flash },
    html`<section class="hero">
  <div>
    <h1>Freshly roasted, carefully brewed</h1>
    <p>Small-batch coffee and the few tools you need to brew it well. Roasted in Vienna every Tuesday.</p>
  </div>
  <a class="button secondary" href="/cart">View cart</a>
</section>
<ul class="grid" data-testid="product-list">
${PRODUCTS.map(
  (p) => html`<li class="card" data-testid="product" data-product-id="${p.id}">
  <img src="/assets/products/${p.id}.svg" alt="" width="320" height="200">
  <div class="body">
    <h2>${p.name}</h2>
    <p>${p.description}</p>
    <form class="buy" method="post" action="/cart/items">
      <span class="price" data-price="${p.price}">${eur(unitPriceCents(p))}</span>
      <input type="hidden" name="productId" value="${p.id}">
      <input type="hidden" name="quantity" value="1">
      <button type="submit" data-testid="add-to-cart-${p.id}">Add to cart</button>
    </form>
  </div>
</li>
`,
)}</ul>`,
  );
}
