import { parseCents, type Cents } from './money';

export interface Product {
  /** Also the article number sent in the basket. */
  id: string;
  name: string;
  description: string;
  /** Gross unit price in EUR, as written on the shelf. */
  price: string;
  /** VAT included in the price, whole percent (Austria: 20 standard, 10 reduced for food). */
  taxRate: number;
  /** Colours of the product's illustration. */
  colors: [string, string];
  glyph: string;
}

/** A small coffee-roaster's shop. Prices include VAT. */
export const PRODUCTS: readonly Product[] = [
  { id: 'beans-ethiopia', name: 'Yirgacheffe beans, 250 g', description: 'Washed Ethiopian single origin: jasmine, lemon, black tea.', price: '12.50', taxRate: 10, colors: ['#f4d9b8', '#9c5b2e'], glyph: '☕' },
  { id: 'beans-house', name: 'House espresso blend, 1 kg', description: 'Brazil and Guatemala, roasted for milk drinks.', price: '34.90', taxRate: 10, colors: ['#e9cfae', '#6b3b1f'], glyph: '☕' },
  { id: 'dripper', name: 'Porcelain pour-over dripper', description: 'Size 02, glazed white, fits most mugs.', price: '29.00', taxRate: 20, colors: ['#dfe9ee', '#4d6a7a'], glyph: '▽' },
  { id: 'kettle', name: 'Gooseneck kettle', description: '0.9 l, stainless steel, built-in thermometer.', price: '64.90', taxRate: 20, colors: ['#e3e3e3', '#3f4650'], glyph: '♨' },
  { id: 'grinder', name: 'Hand grinder', description: 'Conical steel burrs, 40 click settings.', price: '89.00', taxRate: 20, colors: ['#e8e0d4', '#54473a'], glyph: '⚙' },
  { id: 'cups', name: 'Espresso cups, set of 2', description: 'Thick-walled stoneware, 80 ml.', price: '24.90', taxRate: 20, colors: ['#f2e1d9', '#a8503a'], glyph: '◡' },
  { id: 'tote', name: 'Canvas tote', description: 'Heavy cotton, printed with our roastery logo.', price: '9.99', taxRate: 20, colors: ['#e6efe0', '#4f7042'], glyph: '▣' },
];

const BY_ID = new Map(PRODUCTS.map((p) => [p.id, p]));

export function findProduct(id: string): Product | undefined {
  return BY_ID.get(id);
}

export function unitPriceCents(product: Product): Cents {
  return parseCents(product.price);
}

/** A friendly illustration per product (served as /assets/products/:id.svg). */
export function productSvg(product: Product): string {
  const [bg, fg] = product.colors;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" role="img" aria-label="${product.name.replace(/[<>&"]/g, '')}">
<rect width="320" height="200" fill="${bg}"/>
<circle cx="250" cy="40" r="70" fill="${fg}" opacity=".12"/>
<circle cx="60" cy="180" r="50" fill="${fg}" opacity=".10"/>
<text x="160" y="125" font-size="84" text-anchor="middle" fill="${fg}" font-family="serif">${product.glyph}</text>
</svg>
`;
}
