import { ERRORS, type GatewayError } from '../gateway-errors';

/**
 * What the browser hands to the data storage (PROTOCOL.md §5.1), validated and reduced to the anonymized form
 * the gateway keeps and returns (§5.2, §6). The full PAN, the CVC and full account numbers exist only inside
 * {@link anonymizePaymentData}; nothing else in the simulator ever sees them.
 */
export type StoredPaymentType = 'CCARD' | 'CCARD-MOTO' | 'MAESTRO' | 'SEPA-DD' | 'PBX' | 'GIROPAY' | 'VOUCHER';

/** Anonymized entry: the only payment data the simulator keeps (string values, as on the wire). */
export type AnonymizedPaymentInformation = Record<string, string> & { paymentType: StoredPaymentType };

export interface CardBrand {
  brand: string;
  financialInstitution: string;
}

/**
 * Demo card numbers (§10). They are not Luhn-valid (except the Maestro one); the demo gateway accepts them
 * anyway, so they are exempt from the Luhn check. 9500000000000001 is returned as `MC` in the CCL fixture.
 */
export const DEMO_CARDS: Readonly<Record<string, CardBrand>> = {
  '9500000000000001': { brand: 'MasterCard', financialInstitution: 'MC' },
  '9500000000000002': { brand: 'MasterCard', financialInstitution: 'MC' },
  '9400000000000004': { brand: 'VISA', financialInstitution: 'Visa' },
  '9600000000000005': { brand: 'Maestro', financialInstitution: 'Maestro' },
};

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function cardBrand(pan: string): CardBrand {
  const demo = DEMO_CARDS[pan];
  if (demo) return demo;
  const n2 = Number(pan.slice(0, 2));
  const n4 = Number(pan.slice(0, 4));
  if (pan.startsWith('4')) return { brand: 'VISA', financialInstitution: 'Visa' };
  if ((n2 >= 51 && n2 <= 55) || (n4 >= 2221 && n4 <= 2720)) return { brand: 'MasterCard', financialInstitution: 'MC' };
  if (n2 === 34 || n2 === 37) return { brand: 'American Express', financialInstitution: 'Amex' };
  if (n2 === 36 || n2 === 38 || (n4 >= 3000 && n4 <= 3059)) return { brand: 'Diners Club', financialInstitution: 'Diners' };
  if (n4 === 6011 || n2 === 65) return { brand: 'Discover', financialInstitution: 'Discover' };
  if (n2 === 35) return { brand: 'JCB', financialInstitution: 'JCB' };
  if (n2 === 50 || (n2 >= 56 && n2 <= 69)) return { brand: 'Maestro', financialInstitution: 'Maestro' };
  return { brand: 'Unknown', financialInstitution: 'Unknown' };
}

/** `950000******0001`: first six, last four. */
export function maskPan(pan: string): string {
  return pan.slice(0, 6) + '*'.repeat(Math.max(0, pan.length - 10)) + pan.slice(-4);
}

/** Keeps the first `head` and last four characters. */
export function maskMiddle(value: string, head: number): string {
  if (value.length <= head + 4) return '*'.repeat(Math.max(0, value.length - 4)) + value.slice(-4);
  return value.slice(0, head) + '*'.repeat(value.length - head - 4) + value.slice(-4);
}

export const STORE_METHOD_PAYMENT_TYPE = {
  storeCreditCardInformation: 'CCARD',
  storeCreditCardMotoInformation: 'CCARD-MOTO',
  storeMaestroInformation: 'MAESTRO',
  storeSepaDdInformation: 'SEPA-DD',
  storePayboxInformation: 'PBX',
  storeGiropayInformation: 'GIROPAY',
  storeVoucherInformation: 'VOUCHER',
} as const satisfies Record<string, StoredPaymentType>;

export const STORED_PAYMENT_TYPES: readonly StoredPaymentType[] = Object.values(STORE_METHOD_PAYMENT_TYPE);

export function isStoredPaymentType(value: string): value is StoredPaymentType {
  return (STORED_PAYMENT_TYPES as readonly string[]).includes(value);
}

export type AnonymizeResult = { ok: true; info: AnonymizedPaymentInformation } | { ok: false; errors: GatewayError[] };

const get = (input: Readonly<Record<string, string>>, name: string): string => (Object.prototype.hasOwnProperty.call(input, name) ? (input[name] ?? '').trim() : '');

function cardData(paymentType: StoredPaymentType, input: Readonly<Record<string, string>>, now: Date): AnonymizeResult {
  const errors: GatewayError[] = [];
  const pan = get(input, 'pan').replace(/[\s-]/g, '');
  if (pan === '') errors.push(ERRORS.panMissing);
  else if (!/^[0-9]{13,19}$/.test(pan) || (!DEMO_CARDS[pan] && !luhnValid(pan))) errors.push(ERRORS.panInvalid);

  const month = get(input, 'expirationMonth');
  const yearRaw = get(input, 'expirationYear');
  let year = 0;
  if (month === '') errors.push(ERRORS.expirationMonthMissing);
  else if (!/^(0?[1-9]|1[0-2])$/.test(month)) errors.push(ERRORS.expirationMonthInvalid);
  if (yearRaw === '') errors.push(ERRORS.expirationYearMissing);
  else if (/^[0-9]{4}$/.test(yearRaw)) year = Number(yearRaw);
  else if (/^[0-9]{2}$/.test(yearRaw)) year = 2000 + Number(yearRaw);
  else errors.push(ERRORS.expirationYearInvalid);
  if (year > 0 && /^(0?[1-9]|1[0-2])$/.test(month)) {
    const currentMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
    if (year * 12 + Number(month) - 1 < currentMonth) errors.push(ERRORS.cardExpired);
  }
  const cvc = get(input, 'cardverifycode');
  if (cvc !== '' && !/^[0-9]{3,4}$/.test(cvc)) errors.push(ERRORS.cardVerifyCodeInvalid);
  const cardholder = get(input, 'cardholdername');
  if (cardholder.length > 100) errors.push(ERRORS.cardholderNameInvalidLength);
  const issueMonth = get(input, 'issueMonth');
  const issueYear = get(input, 'issueYear');
  if ((issueMonth !== '' && !/^(0?[1-9]|1[0-2])$/.test(issueMonth)) || (issueYear !== '' && !/^([0-9]{2}|[0-9]{4})$/.test(issueYear))) {
    errors.push(ERRORS.issueDateInvalid);
  }
  const issueNumber = get(input, 'issueNumber');
  if (issueNumber !== '' && !/^[0-9]{1,4}$/.test(issueNumber)) errors.push(ERRORS.issueNumberInvalid);
  if (errors.length > 0) return { ok: false, errors };

  const { brand, financialInstitution } = cardBrand(pan);
  const info: AnonymizedPaymentInformation = {
    paymentType,
    anonymousPan: pan.slice(-4),
    maskedPan: maskPan(pan),
    financialInstitution,
    brand,
    cardholdername: cardholder,
    expiry: `${month.padStart(2, '0')}/${year}`,
  };
  return { ok: true, info };
}

function sepaData(input: Readonly<Record<string, string>>): AnonymizeResult {
  const errors: GatewayError[] = [];
  const iban = get(input, 'bankAccountIban').replace(/\s/g, '').toUpperCase();
  const bic = get(input, 'bankBic').toUpperCase();
  const owner = get(input, 'accountOwner');
  if (iban === '') errors.push(ERRORS.bankAccountIbanMissing);
  else if (!/^[A-Z0-9]{8,34}$/.test(iban)) errors.push(ERRORS.bankAccountIbanInvalid);
  if (bic !== '' && !/^[A-Z0-9]{8}([A-Z0-9]{3})?$/.test(bic)) errors.push(ERRORS.bankBicInvalid);
  if (owner === '') errors.push(ERRORS.accountOwnerMissing);
  else if (owner.length > 100) errors.push(ERRORS.accountOwnerInvalidLength);
  if (errors.length > 0) return { ok: false, errors };
  const info: AnonymizedPaymentInformation = { paymentType: 'SEPA-DD', accountOwner: owner, bankAccountIban: maskMiddle(iban, 4) };
  if (bic !== '') info['bankBic'] = bic;
  if (/^[A-Z]{2}/.test(iban)) info['bankCountry'] = iban.slice(0, 2);
  const bankName = get(input, 'bankName');
  if (bankName !== '') info['bankName'] = bankName.slice(0, 100);
  return { ok: true, info };
}

function giropayData(input: Readonly<Record<string, string>>): AnonymizeResult {
  const errors: GatewayError[] = [];
  const account = get(input, 'bankAccount').replace(/\s/g, '');
  const bankNumber = get(input, 'bankNumber').replace(/\s/g, '');
  const owner = get(input, 'accountOwner');
  if (account === '') errors.push(ERRORS.bankAccountMissing);
  else if (!/^[0-9]{1,10}$/.test(account)) errors.push(ERRORS.bankAccountInvalid);
  if (bankNumber === '') errors.push(ERRORS.bankNumberMissing);
  else if (!/^[0-9]{8}$/.test(bankNumber)) errors.push(ERRORS.bankNumberInvalid);
  if (owner === '') errors.push(ERRORS.accountOwnerMissing);
  else if (owner.length > 100) errors.push(ERRORS.accountOwnerInvalidLength);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, info: { paymentType: 'GIROPAY', accountOwner: owner, bankAccount: maskMiddle(account, 0), bankNumber } };
}

function payboxData(input: Readonly<Record<string, string>>): AnonymizeResult {
  const number = get(input, 'payerPayboxNumber').replace(/\s/g, '');
  if (number === '') return { ok: false, errors: [ERRORS.payboxNumberMissing] };
  if (!/^\+?[0-9]{6,20}$/.test(number)) return { ok: false, errors: [ERRORS.payboxNumberInvalid] };
  return { ok: true, info: { paymentType: 'PBX', payerPayboxNumber: maskMiddle(number, 0) } };
}

function voucherData(input: Readonly<Record<string, string>>): AnonymizeResult {
  const id = get(input, 'voucherId');
  if (id === '') return { ok: false, errors: [ERRORS.voucherIdMissing] };
  if (!/^[A-Za-z0-9-]{4,64}$/.test(id)) return { ok: false, errors: [ERRORS.voucherIdInvalid] };
  return { ok: true, info: { paymentType: 'VOUCHER', voucherId: maskMiddle(id, 0) } };
}

/** Validates raw payment data and returns only its anonymized form. `now` decides whether a card is expired. */
export function anonymizePaymentData(paymentType: StoredPaymentType, input: Readonly<Record<string, string>>, now: Date): AnonymizeResult {
  switch (paymentType) {
    case 'CCARD':
    case 'CCARD-MOTO':
    case 'MAESTRO':
      return cardData(paymentType, input, now);
    case 'SEPA-DD':
      return sepaData(input);
    case 'GIROPAY':
      return giropayData(input);
    case 'PBX':
      return payboxData(input);
    case 'VOUCHER':
      return voucherData(input);
  }
}
