/**
 * Money in integer cents (EUR has two minor digits). Prices are written as decimal strings and parsed here
 * without ever going through a floating-point number; amounts leave the shop as decimal strings again.
 */
export type Cents = number;

const DECIMAL = /^(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?$/;

/** `"12.5"` → 1250, `"0.99"` → 99; throws on anything that is not a plain non-negative decimal with ≤ 2 digits. */
export function parseCents(text: string): Cents {
  const m = DECIMAL.exec(text);
  if (!m) throw new Error(`"${text}" is not an amount with at most two decimals`);
  const units = Number(m[1]);
  const fraction = Number((m[2] ?? '').padEnd(2, '0'));
  return units * 100 + fraction;
}

/** 1250 → `"12.50"` (the gateway's format: `.` separator, always two decimals). */
export function formatCents(cents: Cents): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`${cents} is not a non-negative whole number of cents`);
  const units = Math.trunc(cents / 100);
  const rest = cents % 100;
  return `${units}.${String(rest).padStart(2, '0')}`;
}

/** 1250 → `"€12.50"` for pages (thousands grouped: `"€1,299.00"`). */
export function displayEur(cents: Cents): string {
  const [units, fraction] = formatCents(cents).split('.');
  return `€${(units as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** a / b rounded half up, for non-negative integers, in exact integer arithmetic. */
export function divideRounded(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b <= 0) throw new Error('divideRounded needs non-negative safe integers');
  const remainder = a % b;
  const quotient = (a - remainder) / b;
  return remainder * 2 >= b ? quotient + 1 : quotient;
}

/** Splits a gross price into net and tax at `ratePercent` (a whole percentage): net = gross × 100 / (100 + rate). */
export function splitGross(grossCents: Cents, ratePercent: number): { net: Cents; tax: Cents } {
  if (!Number.isInteger(ratePercent) || ratePercent < 0 || ratePercent > 100) throw new Error(`tax rate ${ratePercent} must be a whole percentage`);
  const net = divideRounded(grossCents * 100, 100 + ratePercent);
  return { net, tax: grossCents - net };
}
