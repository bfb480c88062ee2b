/**
 * Fixed fingerprint orders and required fingerprint members (PROTOCOL.md §3.2, §3.3, §9.3).
 * Optional names (shopId, javascriptScriptVersion, bracketed back-end fields) contribute nothing when absent,
 * because a missing value hashes as the empty string.
 */

export const DATA_STORAGE_INIT_ORDER = ['customerId', 'shopId', 'orderIdent', 'returnUrl', 'language', 'javascriptScriptVersion', 'secret'] as const;

export const DATA_STORAGE_READ_ORDER = ['customerId', 'shopId', 'storageId', 'secret'] as const;

/** Every Seamless back-end request starts with these, then the operation's own fields. */
export const BACKEND_COMMON_ORDER = ['customerId', 'shopId', 'password', 'secret', 'language'] as const;

export const BACKEND_OPERATIONS = [
  'getOrderDetails',
  'deposit',
  'depositReversal',
  'approveReversal',
  'refund',
  'refundReversal',
  'recurPayment',
  'transferFund',
  'generateOrderNumber',
] as const;
export type BackendOperation = (typeof BACKEND_OPERATIONS)[number];

export type FundTransferType = 'EXISTINGORDER' | 'SKRILLWALLET' | 'MONETA' | 'SEPA-CT';

/** Operation-specific fields after {@link BACKEND_COMMON_ORDER}, in fingerprint order. */
export const BACKEND_OPERATION_ORDER: Record<Exclude<BackendOperation, 'transferFund'>, readonly string[]> = {
  getOrderDetails: ['orderNumber'],
  deposit: ['orderNumber', 'amount', 'currency'],
  depositReversal: ['orderNumber', 'paymentNumber'],
  approveReversal: ['orderNumber'],
  refund: ['orderNumber', 'amount', 'currency'],
  refundReversal: ['orderNumber', 'creditNumber'],
  recurPayment: ['orderNumber', 'sourceOrderNumber', 'autoDeposit', 'orderDescription', 'amount', 'currency', 'orderReference', 'customerStatement'],
  generateOrderNumber: [],
};

export const TRANSFER_FUND_ORDER = ['orderNumber', 'creditNumber', 'orderDescription', 'amount', 'currency', 'orderReference', 'customerStatement', 'fundTransferType'] as const;

export const TRANSFER_FUND_TYPE_ORDER: Record<FundTransferType, readonly string[]> = {
  EXISTINGORDER: ['sourceOrderNumber'],
  SKRILLWALLET: ['consumerEmail'],
  MONETA: ['consumerWalletId'],
  'SEPA-CT': ['bankAccountOwner', 'bankBic', 'bankAccountIban'],
};

/** The complete fingerprint order for one back-end request. */
export function backendFingerprintOrder(operation: BackendOperation, fundTransferType?: FundTransferType): string[] {
  if (operation === 'transferFund') {
    return [...BACKEND_COMMON_ORDER, ...TRANSFER_FUND_ORDER, ...(fundTransferType ? TRANSFER_FUND_TYPE_ORDER[fundTransferType] : [])];
  }
  return [...BACKEND_COMMON_ORDER, ...BACKEND_OPERATION_ORDER[operation]];
}

/** Frontend init: names that must always be inside `requestFingerprintOrder` (§3.3). */
export const FRONTEND_REQUIRED_IN_FINGERPRINT = [
  'customerId',
  'language',
  'amount',
  'currency',
  'orderDescription',
  'successUrl',
  'consumerIpAddress',
  'consumerUserAgent',
  'requestFingerprintOrder',
  'secret',
] as const;

/** Frontend init: names that must be inside `requestFingerprintOrder` when they are sent. */
export const FRONTEND_REQUIRED_IF_SENT = [
  'confirmUrl',
  'shopId',
  'orderNumber',
  'duplicateRequestCheck',
  'customerStatement',
  'orderReference',
  'transactionIdentifier',
  'autoDeposit',
  'confirmMail',
  'orderIdent',
  'storageId',
] as const;

/** Frontend init: names that may be sent without being fingerprinted. */
export const FRONTEND_MAY_BE_UNSIGNED = [
  'paymentType',
  'cancelUrl',
  'failureUrl',
  'serviceUrl',
  'pendingUrl',
  'financialInstitution',
  'noScriptInfoUrl',
  'windowName',
  'pluginVersion',
] as const;

/** Confirmation (§3.4): for SUCCESS and PENDING these must be inside `responseFingerprintOrder` and non-empty. */
export const CONFIRMATION_REQUIRED_SIGNED = ['secret', 'paymentState', 'orderNumber', 'paymentType'] as const;
