import type { BasketItem } from '@seamless-ops/contracts';
import { formatCents, splitGross, type Cents } from '../catalog/money';
import { findProduct, unitPriceCents, type Product } from '../catalog/products';

export const MAX_QUANTITY = 20;
export const MAX_LINES = 20;

/** productId → quantity, in the order the products were first added. */
export type Cart = Map<string, number>;

export interface CartLine {
  product: Product;
  quantity: number;
  unitCents: Cents;
  lineCents: Cents;
}

export interface CartTotals {
  lines: CartLine[];
  itemCount: number;
  /** Gross total: what the consumer pays. */
  totalCents: Cents;
  /** VAT included in the total, per rate (percent → cents), highest rate first. */
  taxByRate: Array<{ rate: number; taxCents: Cents }>;
}

export class CartError extends Error {}

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QUANTITY) throw new CartError(`quantity must be a whole number from 0 to ${MAX_QUANTITY}`);
}

/** Adds `quantity` of a product (capped at MAX_QUANTITY per line). */
export function addToCart(cart: Cart, productId: string, quantity = 1): void {
  if (!findProduct(productId)) throw new CartError(`unknown product "${productId}"`);
  checkQuantity(quantity);
  if (quantity === 0) return;
  if (!cart.has(productId) && cart.size >= MAX_LINES) throw new CartError(`a cart holds at most ${MAX_LINES} different products`);
  cart.set(productId, Math.min(MAX_QUANTITY, (cart.get(productId) ?? 0) + quantity));
}

/** Sets a line's quantity; 0 removes it. */
export function setQuantity(cart: Cart, productId: string, quantity: number): void {
  if (!findProduct(productId)) throw new CartError(`unknown product "${productId}"`);
  checkQuantity(quantity);
  if (quantity === 0) cart.delete(productId);
  else if (cart.has(productId)) cart.set(productId, quantity);
  else addToCart(cart, productId, quantity);
}

export function removeFromCart(cart: Cart, productId: string): void {
  cart.delete(productId);
}

/** Lines and totals, all in integer cents. */
export function cartTotals(cart: Cart): CartTotals {
  const lines: CartLine[] = [];
  const tax = new Map<number, Cents>();
  let totalCents = 0;
  let itemCount = 0;
  for (const [productId, quantity] of cart) {
    const product = findProduct(productId);
    if (!product) continue; // a product taken off the catalogue since it was added
    const unitCents = unitPriceCents(product);
    const lineCents = unitCents * quantity;
    lines.push({ product, quantity, unitCents, lineCents });
    totalCents += lineCents;
    itemCount += quantity;
    // VAT per line from the unit split, so the basket's unit amounts add up to exactly what is shown here.
    tax.set(product.taxRate, (tax.get(product.taxRate) ?? 0) + splitGross(unitCents, product.taxRate).tax * quantity);
  }
  const taxByRate = [...tax.entries()].sort((a, b) => b[0] - a[0]).map(([rate, taxCents]) => ({ rate, taxCents }));
  return { lines, itemCount, totalCents, taxByRate };
}

/** The basket for the payment init (PROTOCOL.md §7.3): unit amounts as decimal strings. */
export function basketItems(totals: CartTotals, imageUrl?: (product: Product) => string): BasketItem[] {
  return totals.lines.map((line) => {
    const { net, tax } = splitGross(line.unitCents, line.product.taxRate);
    const item: BasketItem = {
      articleNumber: line.product.id,
      quantity: line.quantity,
      name: line.product.name,
      description: line.product.description,
      unitGrossAmount: formatCents(line.unitCents),
      unitNetAmount: formatCents(net),
      unitTaxAmount: formatCents(tax),
      unitTaxRate: String(line.product.taxRate),
    };
    if (imageUrl) item.imageUrl = imageUrl(line.product);
    return item;
  });
}
