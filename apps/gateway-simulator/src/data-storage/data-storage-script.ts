import { ERRORS, localize, type GatewayError } from '../gateway-errors';
import { DEMO_CARDS, STORE_METHOD_PAYMENT_TYPE } from './payment-data';

export interface DataStorageScriptConfig {
  /** Absolute URL the script posts payment data to. */
  storeUrl: string;
  storageId: string;
  javascriptScriptVersion: string;
  language: string;
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The data-storage JavaScript served at `javascriptUrl` (PROTOCOL.md §5). It defines `QentaCEE_DataStorage` and
 * its Wirecard-era alias `WirecardCEE_DataStorage`; each store method validates card data in the browser (Luhn,
 * expiry), posts it to the simulator with fetch (CORS) and calls back with an object offering getStatus(),
 * getErrors() and getAnonymizedPaymentInformation(). The shop never sees more than the anonymized data.
 */
export function dataStorageScript(config: DataStorageScriptConfig): string {
  const errors: Record<string, GatewayError> = {};
  for (const name of ['panMissing', 'panInvalid', 'expirationMonthMissing', 'expirationMonthInvalid', 'expirationYearMissing', 'expirationYearInvalid', 'cardExpired', 'cardVerifyCodeInvalid', 'pci3NotSimulated'] as const) {
    errors[name] = localize(ERRORS[name], config.language);
  }
  errors['network'] = { errorCode: '10010', message: 'The data storage could not be reached.', consumerMessage: 'The payment data could not be transmitted. Please try again.' };
  return `/* QENTA Checkout Seamless data storage (gateway simulator) */
(function (root) {
  'use strict';
  var CONFIG = ${scriptJson(config)};
  var ERRORS = ${scriptJson(errors)};
  var DEMO_PANS = ${scriptJson(Object.keys(DEMO_CARDS))};
  var METHODS = ${scriptJson(STORE_METHOD_PAYMENT_TYPE)};

  function StoreResponse(status, errors, info) {
    this._status = status;
    this._errors = errors;
    this._info = info;
  }
  StoreResponse.prototype.getStatus = function () { return this._status; };
  StoreResponse.prototype.getErrors = function () { return this._errors.slice(); };
  StoreResponse.prototype.getAnonymizedPaymentInformation = function () { return this._info; };

  function later(fn) { Promise.resolve().then(fn); }

  function text(value) { return value === undefined || value === null ? '' : String(value).trim(); }

  function luhn(digits) {
    var sum = 0, dbl = false;
    for (var i = digits.length - 1; i >= 0; i--) {
      var d = digits.charCodeAt(i) - 48;
      if (dbl) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 === 0;
  }

  function validateCard(info) {
    var errors = [];
    var pan = text(info.pan).replace(/[\\s-]/g, '');
    if (pan === '') errors.push(ERRORS.panMissing);
    else if (!/^[0-9]{13,19}$/.test(pan) || (DEMO_PANS.indexOf(pan) < 0 && !luhn(pan))) errors.push(ERRORS.panInvalid);
    var month = text(info.expirationMonth), yearText = text(info.expirationYear), year = 0;
    var monthOk = /^(0?[1-9]|1[0-2])$/.test(month);
    if (month === '') errors.push(ERRORS.expirationMonthMissing);
    else if (!monthOk) errors.push(ERRORS.expirationMonthInvalid);
    if (yearText === '') errors.push(ERRORS.expirationYearMissing);
    else if (/^[0-9]{4}$/.test(yearText)) year = Number(yearText);
    else if (/^[0-9]{2}$/.test(yearText)) year = 2000 + Number(yearText);
    else errors.push(ERRORS.expirationYearInvalid);
    if (year > 0 && monthOk) {
      var now = new Date();
      if (year * 12 + Number(month) - 1 < now.getUTCFullYear() * 12 + now.getUTCMonth()) errors.push(ERRORS.cardExpired);
    }
    var cvc = text(info.cardverifycode);
    if (cvc !== '' && !/^[0-9]{3,4}$/.test(cvc)) errors.push(ERRORS.cardVerifyCodeInvalid);
    return errors;
  }

  function store(paymentType, info, callback, validate) {
    var done = typeof callback === 'function' ? callback : function () {};
    if (info === null || info === undefined) {
      later(function () { done(new StoreResponse(1, [ERRORS.pci3NotSimulated], {})); });
      return;
    }
    var errors = validate ? validate(info) : [];
    if (errors.length > 0) {
      later(function () { done(new StoreResponse(1, errors, {})); });
      return;
    }
    var body = new URLSearchParams();
    body.append('paymentType', paymentType);
    for (var key in info) {
      if (Object.prototype.hasOwnProperty.call(info, key) && info[key] !== undefined && info[key] !== null) body.append(key, String(info[key]));
    }
    fetch(CONFIG.storeUrl, { method: 'POST', mode: 'cors', credentials: 'omit', body: body })
      .then(function (res) { return res.json(); })
      .then(function (answer) {
        done(new StoreResponse(answer.status, answer.errors || [], answer.paymentInformation || {}));
      }, function () {
        done(new StoreResponse(1, [ERRORS.network], {}));
      });
  }

  function DataStorage() {}
  Object.keys(METHODS).forEach(function (method) {
    var paymentType = METHODS[method];
    var isCard = paymentType === 'CCARD' || paymentType === 'CCARD-MOTO' || paymentType === 'MAESTRO';
    DataStorage.prototype[method] = function (paymentInformation, callback) {
      store(paymentType, paymentInformation, callback, isCard ? validateCard : null);
    };
  });
  function noIframe() { return false; }
  DataStorage.prototype.buildIframeCreditCard = noIframe;
  DataStorage.prototype.buildIframeCreditCardMoto = noIframe;
  DataStorage.prototype.buildIframeMaestro = noIframe;
  DataStorage.prototype.getStorageId = function () { return CONFIG.storageId; };

  root.QentaCEE_DataStorage = DataStorage;
  root.WirecardCEE_DataStorage = DataStorage;
})(typeof window !== 'undefined' ? window : typeof globalThis !== 'undefined' ? globalThis : this);
`;
}
