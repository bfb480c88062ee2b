import { describe, expect, it } from 'vitest';
import {
  CONFIRMATION_OK,
  confirmationNok,
  confirmationResponse,
  encodeForm,
  parseConfirmation,
  parseConfirmationResponse,
  signConfirmation,
  verifyConfirmation,
  verifyConfirmationBody,
} from '../src/index';

const SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';

// Real demo SEPA-DD confirmation shape (QCS-EX confirm_info.txt, PROTOCOL.md §8.3), signed by us.
const SEPA: [string, string][] = [
  ['amount', '30'],
  ['currency', 'EUR'],
  ['paymentType', 'SEPA-DD'],
  ['financialInstitution', 'SEPA-DD'],
  ['language', 'en'],
  ['orderNumber', '15352243'],
  ['paymentState', 'SUCCESS'],
  ['mandateId', 'P000000001-101535224320220328151522'],
  ['mandateSignatureDate', '28.03.2022'],
  ['creditorId', 'AT94ZZZ00000001251'],
  ['dueDate', '30.03.2022'],
  ['gatewayReferenceNumber', 'DGW_15352243_RN'],
  ['gatewayContractNumber', 'DemoContractNumber123'],
  ['avsResponseCode', 'X'],
  ['avsResponseMessage', 'Demo AVS ResultMessage'],
  ['avsProviderResultCode', 'X'],
  ['avsProviderResultMessage', 'Demo AVS ProviderResultMessage'],
];

describe('verifyConfirmation', () => {
  const signed = signConfirmation(SEPA, SECRET);

  it('accepts a signed confirmation and reports uncovered fields', () => {
    expect(verifyConfirmation(signed, SECRET)).toMatchObject({ ok: true, paymentState: 'SUCCESS', unsignedFields: [] });
    const withCustom = signConfirmation(SEPA, SECRET, { unsigned: { opsCorrelationId: 'abc' } });
    expect(verifyConfirmation(withCustom, SECRET)).toMatchObject({ ok: true, unsignedFields: ['opsCorrelationId'] });
  });

  it('accepts legacy SHA-512 when configured', () => {
    const legacy = signConfirmation(SEPA, SECRET, { algorithm: 'sha512' });
    expect(verifyConfirmation(legacy, SECRET, { algorithm: 'sha512' }).ok).toBe(true);
    expect(verifyConfirmation(legacy, SECRET)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('matches names in the order case-insensitively (CCL)', () => {
    const lowerOrder = { ...signed };
    // Rename a posted field: the order still says `orderNumber`, the body says `ORDERNUMBER`.
    delete lowerOrder['orderNumber'];
    lowerOrder['ORDERNUMBER'] = '15352243';
    expect(verifyConfirmation(lowerOrder, SECRET)).toMatchObject({ ok: true });
  });

  it.each([
    ['no fingerprint', (f: Record<string, string>): void => void delete f['responseFingerprint'], 'missing_fingerprint'],
    ['no order', (f: Record<string, string>): void => void delete f['responseFingerprintOrder'], 'missing_fingerprint'],
    ['short', (f: Record<string, string>): void => void (f['responseFingerprint'] = 'abc'), 'bad_length'],
    ['not hex', (f: Record<string, string>): void => void (f['responseFingerprint'] = 'g'.repeat(128)), 'not_hex'],
    ['wrong', (f: Record<string, string>): void => void (f['responseFingerprint'] = '0'.repeat(128)), 'mismatch'],
    ['tampered amount', (f: Record<string, string>): void => void (f['amount'] = '31'), 'mismatch'],
    ['empty entry', (f: Record<string, string>): void => void (f['responseFingerprintOrder'] += ','), 'bad_order'],
  ] as const)('rejects: %s', (_name, mutate, reason) => {
    const f = { ...signed };
    mutate(f);
    expect(verifyConfirmation(f, SECRET)).toMatchObject({ ok: false, reason });
  });

  it('requires secret and the mandatory fields in the list for SUCCESS/PENDING', () => {
    const noSecretOrder = SEPA.map(([k]) => k).concat('responseFingerprintOrder').join(',');
    expect(verifyConfirmation({ ...signed, responseFingerprintOrder: noSecretOrder }, SECRET)).toMatchObject({ ok: false, reason: 'secret_not_signed' });

    const withoutType = signConfirmation(SEPA.filter(([k]) => k !== 'paymentType'), SECRET, { unsigned: { paymentType: 'SEPA-DD' } });
    expect(verifyConfirmation(withoutType, SECRET)).toMatchObject({ ok: false, reason: 'mandatory_field_unsigned' });

    const emptyOrderNumber = signConfirmation(SEPA.map(([k, v]) => [k, k === 'orderNumber' ? '' : v] as [string, string]), SECRET);
    expect(verifyConfirmation(emptyOrderNumber, SECRET)).toMatchObject({ ok: false, reason: 'mandatory_field_unsigned' });

    const pending = signConfirmation([['paymentState', 'PENDING'], ['orderNumber', '1'], ['paymentType', 'PAYPAL']], SECRET);
    expect(verifyConfirmation(pending, SECRET)).toMatchObject({ ok: true, paymentState: 'PENDING' });
  });

  it('CANCEL/FAILURE: unsigned is reported, a present fingerprint is verified', () => {
    expect(verifyConfirmation({ paymentState: 'CANCEL' }, SECRET)).toMatchObject({ ok: false, reason: 'unsigned', paymentState: 'CANCEL' });
    expect(verifyConfirmation({ paymentState: 'FAILURE', errors: '1', 'error.1.errorCode': '1' }, SECRET)).toMatchObject({ ok: false, reason: 'unsigned' });
    const signedCancel = signConfirmation([['paymentState', 'CANCEL']], SECRET);
    expect(verifyConfirmation(signedCancel, SECRET)).toMatchObject({ ok: true, paymentState: 'CANCEL' });
    expect(verifyConfirmation({ ...signedCancel, paymentState: 'FAILURE' }, SECRET)).toMatchObject({ ok: false, reason: 'mismatch' });
    // SUCCESS never gets the lenient path.
    expect(verifyConfirmation({ paymentState: 'SUCCESS' }, SECRET)).toMatchObject({ ok: false, reason: 'missing_fingerprint' });
    expect(verifyConfirmation({}, SECRET)).toMatchObject({ ok: false, reason: 'missing_fingerprint' });
  });

  it('never throws on junk', () => {
    for (const junk of [null, undefined, 42, 'x', [], [['a', 'b']], { a: 1 }, { a: { b: 'c' } }, Object.create(null)]) {
      expect(() => verifyConfirmation(junk, SECRET)).not.toThrow();
      expect(verifyConfirmation(junk, SECRET).ok).toBe(false);
    }
    expect(verifyConfirmationBody('%E0%A4%A=1', SECRET)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyConfirmationBody('a=1&a=2', SECRET)).toMatchObject({ ok: false, reason: 'duplicate_fields' });
    expect(verifyConfirmationBody(encodeForm(signed), SECRET)).toMatchObject({ ok: true });
  });
});

describe('parseConfirmation', () => {
  it('SUCCESS card + custom parameters', () => {
    const r = parseConfirmation({
      paymentState: 'SUCCESS', orderNumber: '16375141', paymentType: 'CCARD', amount: '1', currency: 'EUR',
      anonymousPan: '0001', maskedPan: '950000******0001', expiry: '10/2012', cardholder: 'keiner', authenticated: 'Yes',
      opsPaymentId: 'p-1', responseFingerprint: 'x', responseFingerprintOrder: 'y',
    });
    expect(r).toMatchObject({
      ok: true,
      confirmation: {
        paymentState: 'SUCCESS', orderNumber: '16375141', amount: '1',
        card: { anonymousPan: '0001', maskedPan: '950000******0001', expiry: '10/2012', cardholder: 'keiner', authenticated: 'Yes' },
        customParameters: { opsPaymentId: 'p-1' },
      },
    });
  });
  it('SEPA-DD, PayPal, SOFORT, iDEAL extras', () => {
    const r = parseConfirmation({
      ...Object.fromEntries(SEPA), paypalPayerID: 'P1', senderIBAN: 'AT00', idealConsumerName: 'Jan',
    });
    if (!r.ok || r.confirmation.paymentState !== 'SUCCESS') throw new Error('expected success');
    expect(r.confirmation.sepaDd).toEqual({ mandateId: 'P000000001-101535224320220328151522', mandateSignatureDate: '28.03.2022', creditorId: 'AT94ZZZ00000001251', dueDate: '30.03.2022' });
    expect(r.confirmation.paypal).toEqual({ paypalPayerID: 'P1' });
    expect(r.confirmation.sofort).toEqual({ senderIBAN: 'AT00' });
    expect(r.confirmation.ideal).toEqual({ idealConsumerName: 'Jan' });
    expect(r.confirmation.card).toBeUndefined();
    expect(r.confirmation.customParameters).toEqual({});
  });
  it('FAILURE with errors, CANCEL, unknown state', () => {
    expect(
      parseConfirmation({ paymentState: 'FAILURE', errors: '1', 'error.1.errorCode': '24006', 'error.1.message': 'Declined', 'error.1.consumerMessage': 'Abgelehnt &#252;', message: 'm' }),
    ).toMatchObject({ ok: true, confirmation: { paymentState: 'FAILURE', message: 'm', errors: [{ errorCode: '24006', consumerMessage: 'Abgelehnt ü' }], customParameters: {} } });
    expect(parseConfirmation({ paymentState: 'CANCEL', shopRef: 'x' })).toMatchObject({ ok: true, confirmation: { paymentState: 'CANCEL', customParameters: { shopRef: 'x' } } });
    expect(parseConfirmation({ paymentState: 'success' })).toMatchObject({ ok: false, reason: 'unknown_state' });
    expect(parseConfirmation(7)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('QPAY-CONFIRMATION-RESPONSE', () => {
  it('builds OK and NOK (escaped) and reads them back', () => {
    expect(confirmationResponse('OK')).toBe('<QPAY-CONFIRMATION-RESPONSE result="OK" />');
    expect(CONFIRMATION_OK).toBe(confirmationResponse('OK'));
    const nok = confirmationNok('bad <fingerprint> & "quotes" \'x\'');
    expect(nok).toBe('<QPAY-CONFIRMATION-RESPONSE result="NOK" message="bad &lt;fingerprint&gt; &amp; &quot;quotes&quot; &apos;x&apos;" />');
    expect(confirmationResponse('NOK', 'x')).toBe('<QPAY-CONFIRMATION-RESPONSE result="NOK" message="x" />');
    expect(parseConfirmationResponse(`<!--${nok}-->`)).toEqual({ result: 'NOK', message: 'bad <fingerprint> & "quotes" \'x\'' });
    expect(parseConfirmationResponse(CONFIRMATION_OK)).toEqual({ result: 'OK' });
    expect(parseConfirmationResponse('OK')).toBeUndefined();
  });
});
