import { signConfirmation, type FingerprintAlgorithm } from '@seamless-ops/qenta';
import type { GatewayError } from '../gateway-errors';
import type { AnonymizedPaymentInformation } from '../data-storage/payment-data';
import { normalizeCurrency } from '../money';

export type PaymentState = 'SUCCESS' | 'CANCEL' | 'FAILURE' | 'PENDING';
export type ConfirmationFields = Array<[string, string]>;

/** What a confirmation is built from: the payment as initiated, plus what the gateway decided. */
export interface ConfirmationSource {
  orderNumber: string;
  paymentType: string;
  language: string;
  amount: string;
  currency: string;
  financialInstitution?: string;
  paymentInformation?: AnonymizedPaymentInformation;
  customParameters: ReadonlyArray<readonly [string, string]>;
  /** When the gateway accepted the payment (SEPA mandate dates). */
  acceptedAt: Date;
}

/** Demo reference values (PROTOCOL.md §8.3, §10). */
export const DEMO_CONTRACT_NUMBER = 'DemoContractNumber123';
export const DEMO_CREDITOR_ID = 'AT94ZZZ00000001251';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const dotDate = (d: Date): string => `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
const compactTimestamp = (d: Date): string =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

const FINANCIAL_INSTITUTION_BY_TYPE: Readonly<Record<string, string>> = {
  'SEPA-DD': 'SEPA-DD',
  PAYPAL: 'PayPal',
  SOFORTUEBERWEISUNG: 'sofortueberweisung',
  IDL: 'INGBANK',
  EPS: 'BA-CA',
  QUICK: 'QUICK',
  PSC: 'PSC',
  GIROPAY: 'GIROPAY',
};

/** The card a consumer "enters" on the hosted page when no data storage was used (demo card 9500000000000001). */
export function hostedPageCard(paymentType: string, now: Date): AnonymizedPaymentInformation {
  return {
    paymentType: paymentType === 'MAESTRO' ? 'MAESTRO' : paymentType === 'CCARD-MOTO' ? 'CCARD-MOTO' : 'CCARD',
    anonymousPan: '0001',
    maskedPan: '950000******0001',
    financialInstitution: 'MC',
    brand: 'MasterCard',
    cardholdername: '',
    expiry: `12/${now.getUTCFullYear() + 2}`,
  };
}

export function isCardType(paymentType: string): boolean {
  return paymentType === 'CCARD' || paymentType === 'CCARD-MOTO' || paymentType === 'MAESTRO';
}

/**
 * Business fields of a SUCCESS or PENDING confirmation in posting order (as in the CCL credit-card fixture and
 * the QCS-EX SEPA-DD recording), then the custom parameters. `amountOverride` is the altered-amount knob.
 */
export function successFields(source: ConfirmationSource, state: 'SUCCESS' | 'PENDING', amountOverride?: string | null): ConfirmationFields {
  const card = isCardType(source.paymentType) ? (source.paymentInformation ?? hostedPageCard(source.paymentType, source.acceptedAt)) : undefined;
  const financialInstitution =
    card?.['financialInstitution'] ?? source.financialInstitution ?? FINANCIAL_INSTITUTION_BY_TYPE[source.paymentType] ?? source.paymentType;
  const fields: ConfirmationFields = [
    ['amount', amountOverride ?? source.amount],
    ['currency', normalizeCurrency(source.currency) ?? source.currency],
    ['paymentType', source.paymentType],
    ['financialInstitution', financialInstitution],
    ['language', source.language],
    ['orderNumber', source.orderNumber],
    ['paymentState', state],
  ];
  if (card) {
    fields.push(
      ['authenticated', source.paymentType === 'CCARD-MOTO' ? 'No' : 'Yes'],
      ['anonymousPan', card['anonymousPan'] ?? ''],
      ['expiry', card['expiry'] ?? ''],
      ['cardholder', card['cardholdername'] ?? ''],
      ['maskedPan', card['maskedPan'] ?? ''],
    );
  }
  if (source.paymentType === 'SEPA-DD') {
    const accepted = source.acceptedAt;
    const due = new Date(accepted.getTime() + 2 * 24 * 60 * 60 * 1000);
    fields.push(
      ['mandateId', `P000000001-1${source.orderNumber.padStart(9, '0')}${compactTimestamp(accepted)}`],
      ['mandateSignatureDate', dotDate(accepted)],
      ['creditorId', DEMO_CREDITOR_ID],
      ['dueDate', dotDate(due)],
    );
  }
  fields.push(
    ['gatewayReferenceNumber', `DGW_${source.orderNumber}_RN`],
    ['gatewayContractNumber', DEMO_CONTRACT_NUMBER],
    ['avsResponseCode', 'X'],
    ['avsResponseMessage', 'Demo AVS ResultMessage'],
    ['avsProviderResultCode', 'X'],
    ['avsProviderResultMessage', 'Demo AVS ProviderResultMessage'],
  );
  return [...fields, ...source.customParameters.map(([k, v]): [string, string] => [k, v])];
}

/** FAILURE: paymentState, the custom parameters and an error block (CCL `Returns/Failure.php`). Not signed. */
export function failureFields(source: ConfirmationSource, error: GatewayError): ConfirmationFields {
  return [
    ['paymentState', 'FAILURE'],
    ...source.customParameters.map(([k, v]): [string, string] => [k, v]),
    ['error.1.errorCode', error.errorCode],
    ['error.1.message', error.message],
    ['error.1.consumerMessage', error.consumerMessage ?? error.message],
    ['error.1.paySysMessage', error.paySysMessage ?? ''],
    ['errors', '1'],
  ];
}

/** CANCEL: paymentState and the custom parameters only. Not signed. */
export function cancelFields(source: ConfirmationSource): ConfirmationFields {
  return [['paymentState', 'CANCEL'], ...source.customParameters.map(([k, v]): [string, string] => [k, v])];
}

/**
 * Signs with libs/qenta (every posted field in posting order, then `secret`, then `responseFingerprintOrder`,
 * PROTOCOL.md §3.4). `corrupt` changes one hex digit of the fingerprint (the wrong-fingerprint knob).
 */
export function signed(fields: ConfirmationFields, secret: string, algorithm: FingerprintAlgorithm, corrupt = false): ConfirmationFields {
  const out = signConfirmation(fields, secret, { algorithm });
  if (corrupt) {
    const fp = out['responseFingerprint'] as string;
    out['responseFingerprint'] = (fp[0] === '0' ? '1' : '0') + fp.slice(1);
  }
  return Object.entries(out);
}
