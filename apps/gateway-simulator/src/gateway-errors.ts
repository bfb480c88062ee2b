import { QENTA_ERRORS, type GatewayError } from '@seamless-ops/qenta';

export type { GatewayError };

/**
 * Gateway error codes. The observed ones (PROTOCOL.md §11) come from libs/qenta (`QENTA_ERRORS`; missing
 * parameters are answered by the lib's verification with `missingFieldError`, `11000` for unobserved ones, and
 * a refused fingerprint or fingerprint order with `18506`). The others are assigned by the simulator following the observed
 * pattern (11xxx missing, 15xxx invalid length, 18xxx invalid value, same last digits per field, e.g. 11051/18051,
 * 11506/18506) or, for transport problems, a 10xxx block; the real gateway's codes for those cases are not
 * published.
 */
const e = (errorCode: string, message: string): GatewayError => ({ errorCode, message });

export const ERRORS = {
  ...QENTA_ERRORS,
  // assigned by the simulator (pattern-derived)
  languageInvalid: e('18009', 'Language is invalid.'),
  orderNumberInvalid: e('18011', 'Order number is invalid.'),
  paymentNumberInvalid: e('18012', 'Payment number is invalid.'),
  creditNumberInvalid: e('18013', 'Credit number is invalid.'),
  amountInvalid: e('18017', 'Amount is invalid.'),
  currencyInvalid: e('18019', 'Currency is invalid.'),
  orderDescriptionInvalidLength: e('15020', 'Order description has an invalid length.'),
  confirmUrlInvalid: e('18024', 'CONFIRMURL is invalid.'),
  sourceOrderNumberInvalid: e('18159', 'Source ORDERNUMBER is invalid.'),
  orderIdentInvalid: e('18300', 'ORDERIDENT is invalid.'),
  storageIdInvalid: e('18302', 'STORAGEID is invalid.'),
  storageExpired: e('18302', 'STORAGEID is invalid: the data storage has expired.'),
  storageConsumed: e('18302', 'STORAGEID is invalid: the data storage has already been used for a payment.'),
  customerIdInvalid: e('18500', 'CUSTOMERID is invalid.'),
  shopIdInvalid: e('18501', 'SHOPID is invalid.'),
  passwordInvalid: e('18503', 'PASSWORD is invalid.'),
  operationNotAllowed: e('18900', 'Operation is not allowed for the current state of the order.'),
  // data storage store (the JavaScript layer; its real codes are not published)
  panMissing: e('11401', 'PAN is missing.'),
  panInvalid: e('18401', 'PAN is invalid.'),
  expirationMonthMissing: e('11402', 'Expiration month is missing.'),
  expirationMonthInvalid: e('18402', 'Expiration month is invalid.'),
  expirationYearMissing: e('11403', 'Expiration year is missing.'),
  expirationYearInvalid: e('18403', 'Expiration year is invalid.'),
  cardExpired: e('18404', 'Card is expired.'),
  cardVerifyCodeInvalid: e('18405', 'Card verification code is invalid.'),
  cardholderNameInvalidLength: e('15406', 'Cardholder name has an invalid length.'),
  issueDateInvalid: e('18407', 'Issue date is invalid.'),
  issueNumberInvalid: e('18408', 'Issue number is invalid.'),
  bankAccountIbanMissing: e('11410', 'IBAN is missing.'),
  bankAccountIbanInvalid: e('18410', 'IBAN is invalid.'),
  bankBicInvalid: e('18411', 'BIC is invalid.'),
  accountOwnerMissing: e('11412', 'Account owner is missing.'),
  accountOwnerInvalidLength: e('15412', 'Account owner has an invalid length.'),
  bankAccountMissing: e('11413', 'Bank account is missing.'),
  bankAccountInvalid: e('18413', 'Bank account is invalid.'),
  bankNumberMissing: e('11414', 'Bank number is missing.'),
  bankNumberInvalid: e('18414', 'Bank number is invalid.'),
  payboxNumberMissing: e('11415', 'Paybox number is missing.'),
  payboxNumberInvalid: e('18415', 'Paybox number is invalid.'),
  voucherIdMissing: e('11416', 'Voucher id is missing.'),
  voucherIdInvalid: e('18416', 'Voucher id is invalid.'),
  pci3NotSimulated: e('18417', 'The PCI DSS SAQ-A iframe (javascriptScriptVersion=pci3) is not simulated; pass the payment information.'),
  // transport problems (simulator-assigned)
  malformedRequest: e('10001', 'Request is malformed.'),
  duplicateParameter: e('10002', 'Parameter was sent more than once.'),
  requestTooLarge: e('10003', 'Request is too large.'),
  methodNotAllowed: e('10004', 'Method is not allowed; use POST.'),
  unknownOperation: e('10005', 'Operation is unknown.'),
  internalError: e('10099', 'Internal error.'),
} satisfies Record<string, GatewayError>;

/** The same error with a more specific message (code unchanged). */
export function withMessage(error: GatewayError, message: string): GatewayError {
  return { ...error, message };
}

/**
 * consumerMessage is localized by `language` and may contain HTML numeric entities (PROTOCOL.md §1.2, §11:
 * `PAYMENTTYPE ist ung&#252;ltig.`). The simulator knows English and a little German.
 */
export function localize(error: GatewayError, language: string | undefined): GatewayError {
  if (error.consumerMessage !== undefined) return error;
  let consumerMessage = error.message;
  if (language?.toLowerCase() === 'de') {
    consumerMessage = consumerMessage
      .replace(/ is missing\.$/, ' fehlt.')
      .replace(/ is invalid\.$/, ' ist ung&#252;ltig.')
      .replace(/ has an invalid length\.$/, ' hat eine ung&#252;ltige L&#228;nge.');
  }
  return { ...error, consumerMessage };
}
