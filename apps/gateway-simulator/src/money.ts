/**
 * Amounts as the gateway takes them (PROTOCOL.md §7.1): `.` or `,` as decimal separator, no thousands
 * separator, at most the currency's minor digits. Kept as integer minor units (bigint), never floats.
 */
const NUMERIC_CURRENCIES: Readonly<Record<string, string>> = {
  '978': 'EUR',
  '756': 'CHF',
  '203': 'CZK',
  '826': 'GBP',
  '348': 'HUF',
  '985': 'PLN',
  '840': 'USD',
  '392': 'JPY',
  '434': 'LYD',
};
const ZERO_DECIMALS = new Set(['JPY', 'KRW', 'ISK', 'CLP', 'VND', 'XAF', 'XOF']);
const THREE_DECIMALS = new Set(['LYD', 'BHD', 'KWD', 'OMR', 'TND', 'JOD', 'IQD']);

/** Alpha-3 code for an ISO 4217 alpha-3 or numeric-3 currency, or undefined. */
export function normalizeCurrency(value: string): string | undefined {
  if (/^[A-Za-z]{3}$/.test(value)) return value.toUpperCase();
  if (/^[0-9]{3}$/.test(value)) return NUMERIC_CURRENCIES[value];
  return undefined;
}

export function minorDigits(currency: string): number {
  if (ZERO_DECIMALS.has(currency)) return 0;
  if (THREE_DECIMALS.has(currency)) return 3;
  return 2;
}

/** Parses an amount into minor units; undefined if malformed, negative or too precise. */
export function parseAmount(value: string, currency: string): bigint | undefined {
  const m = /^([0-9]{1,15})(?:[.,]([0-9]+))?$/.exec(value);
  if (!m) return undefined;
  const digits = minorDigits(currency);
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return undefined;
  return BigInt(m[1] as string) * 10n ** BigInt(digits) + BigInt((fraction + '0'.repeat(digits)).slice(0, digits) || '0');
}

/** `1.00` style (back-end answers, PROTOCOL.md §9.4). */
export function formatAmount(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return minor.toString();
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const scale = 10n ** BigInt(digits);
  return `${negative ? '-' : ''}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}`;
}
