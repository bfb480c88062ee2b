import { describe, expect, it } from 'vitest';
import { parseCents } from '../catalog/money';
import { addToCart, basketItems, CartError, cartTotals, MAX_QUANTITY, removeFromCart, setQuantity, type Cart } from './cart';

describe('cart totals in integer cents', () => {
  it('adds up lines, items and VAT per rate', () => {
    const cart: Cart = new Map();
    addToCart(cart, 'beans-ethiopia', 2); // 2 × 12.50, 10 %
    addToCart(cart, 'kettle'); // 64.90, 20 %
    addToCart(cart, 'tote', 3); // 3 × 9.99, 20 %
    const t = cartTotals(cart);
    expect(t.totalCents).toBe(2 * 1250 + 6490 + 3 * 999);
    expect(t.itemCount).toBe(6);
    expect(t.lines.map((l) => [l.product.id, l.quantity, l.lineCents])).toEqual([
      ['beans-ethiopia', 2, 2500],
      ['kettle', 1, 6490],
      ['tote', 3, 2997],
    ]);
    // 20 %: 10.82 (kettle) + 3 × 1.66 (tote); 10 %: 2 × 1.14
    expect(t.taxByRate).toEqual([
      { rate: 20, taxCents: 1082 + 3 * 166 },
      { rate: 10, taxCents: 2 * 114 },
    ]);
  });

  it('adding again raises the quantity, capped; quantity 0 removes; unknown products and bad quantities are refused', () => {
    const cart: Cart = new Map();
    addToCart(cart, 'cups', 2);
    addToCart(cart, 'cups', 3);
    expect(cart.get('cups')).toBe(5);
    addToCart(cart, 'cups', MAX_QUANTITY);
    expect(cart.get('cups')).toBe(MAX_QUANTITY);
    setQuantity(cart, 'cups', 1);
    expect(cart.get('cups')).toBe(1);
    setQuantity(cart, 'cups', 0);
    expect(cart.has('cups')).toBe(false);
    addToCart(cart, 'tote');
    removeFromCart(cart, 'tote');
    expect(cartTotals(cart)).toMatchObject({ lines: [], totalCents: 0, itemCount: 0 });
    expect(() => addToCart(cart, 'espresso-machine')).toThrow(CartError);
    for (const q of [-1, 1.5, NaN, MAX_QUANTITY + 1]) expect(() => setQuantity(cart, 'tote', q)).toThrow(CartError);
  });

  it('the basket for the gateway: unit amounts as decimal strings that add up to the amount', () => {
    const cart: Cart = new Map();
    addToCart(cart, 'beans-house', 3);
    addToCart(cart, 'grinder');
    const totals = cartTotals(cart);
    const items = basketItems(totals, (p) => `https://shop.example/assets/products/${p.id}.svg`);
    expect(items[0]).toEqual({
      articleNumber: 'beans-house',
      quantity: 3,
      name: 'House espresso blend, 1 kg',
      description: 'Brazil and Guatemala, roasted for milk drinks.',
      imageUrl: 'https://shop.example/assets/products/beans-house.svg',
      unitGrossAmount: '34.90',
      unitNetAmount: '31.73',
      unitTaxAmount: '3.17',
      unitTaxRate: '10',
    });
    const sum = items.reduce((s, i) => s + parseCents(i.unitGrossAmount) * i.quantity, 0);
    expect(sum).toBe(totals.totalCents);
    for (const i of items) expect(parseCents(i.unitNetAmount) + parseCents(i.unitTaxAmount)).toBe(parseCents(i.unitGrossAmount));
  });
});
