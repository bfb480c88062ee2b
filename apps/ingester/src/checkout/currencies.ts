/**
 * ISO 4217 currencies in circulation (funds codes that can be paid in included; precious metals, testing
 * and "no currency" codes excluded) with their minor units. The gateway takes at most that many decimals
 * (PROTOCOL.md §7.1: EUR/USD 2, JPY 0, LYD 3); whether a currency is enabled for the account is the
 * gateway's business and comes back as its own error.
 */
const BY_MINOR_UNITS: Readonly<Record<number, string>> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2:
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF ' +
    'CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF ' +
    'IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN ' +
    'MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS ' +
    'SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

export const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries(BY_MINOR_UNITS).flatMap(([digits, codes]) => codes.split(' ').map((code): [string, number] => [code, Number(digits)])),
);

/** Minor digits of an ISO 4217 alpha-3 code (upper case), or undefined for an unknown currency. */
export function minorUnits(currency: string): number | undefined {
  return MINOR_UNITS.get(currency);
}

/** At most 12 integer digits (no leading zeros), `.` as separator, 1..minor decimals; e.g. `12.50`, `1200` (JPY). */
export function amountProblem(amount: string, currency: string, minor: number, { allowZero = false } = {}): string | undefined {
  const m = /^(0|[1-9][0-9]{0,11})(?:\.([0-9]+))?$/.exec(amount);
  if (!m) return `must be a decimal string with '.' as separator and at most 12 integer digits, e.g. "12.50" (got "${amount}")`;
  const fraction = m[2] ?? '';
  if (fraction.length > minor) {
    return minor === 0 ? `must have no decimals for ${currency} (got "${amount}")` : `must have at most ${minor} decimals for ${currency} (got "${amount}")`;
  }
  if (!allowZero && /^[0.]+$/.test(amount)) return `must be greater than 0 (got "${amount}")`;
  return undefined;
}
