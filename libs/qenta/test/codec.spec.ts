import { describe, expect, it } from 'vitest';
import {
  decodeForm,
  decodeHtmlEntities,
  encodeErrors,
  encodeForm,
  flatten,
  hasErrorBlock,
  listAt,
  missingFieldError,
  parseErrors,
  unflatten,
  unflattenDetailed,
} from '../src/index';

describe('form codec', () => {
  it('always percent-encodes commas and encodes UTF-8', () => {
    expect(encodeForm({ operationsAllowed: 'DEPOSIT,APPROVEREVERSAL', customerStatement: 'Danke für den Einkauf!' })).toBe(
      'operationsAllowed=DEPOSIT%2CAPPROVEREVERSAL&customerStatement=Danke+f%C3%BCr+den+Einkauf%21',
    );
    expect(decodeForm('a=DEPOSIT%2CREFUND&b=f%C3%BCr+x').fields).toEqual({ a: 'DEPOSIT,REFUND', b: 'für x' });
  });
  it('round-trips a HITFOX-style body', () => {
    const body =
      'error.1.errorCode=15300&error.1.message=ORDERIDENT+has+an+invalid+length.&error.1.consumerMessage=ORDERIDENT+has+an+invalid+length.&errors=1';
    const { fields } = decodeForm(body);
    expect(encodeForm(fields)).toBe(body);
  });
});

describe('dotted keys', () => {
  const flat = {
    errors: '2',
    'error.1.errorCode': '11017',
    'error.1.message': 'Amount is missing.',
    'error.2.errorCode': '11019',
    'error.2.message': 'Currency is missing.',
    'paymentInformation.1.maskedPan': '950000******0001',
    'order.1.state': 'ORDERED',
    'payment.1.1.state': 'payment_approved',
    'payment.1.2.state': 'payment_deposited',
  };
  it('unflattens 1-based segments into 0-based arrays and back', () => {
    const nested = unflatten(flat);
    expect(nested).toEqual({
      errors: '2',
      error: [
        { errorCode: '11017', message: 'Amount is missing.' },
        { errorCode: '11019', message: 'Currency is missing.' },
      ],
      paymentInformation: [{ maskedPan: '950000******0001' }],
      order: [{ state: 'ORDERED' }],
      payment: [[{ state: 'payment_approved' }, { state: 'payment_deposited' }]],
    });
    expect(flatten(nested)).toEqual(flat);
  });
  it('keeps gaps as object keys and reports value/prefix conflicts', () => {
    expect(unflatten({ 'error.2.message': 'x' })).toEqual({ error: { '2': { message: 'x' } } });
    expect(unflattenDetailed({ 'a.b': '2', a: '1' })).toEqual({ value: { a: '1' }, conflicts: ['a.b'] });
    expect(unflatten({ '__proto__.x': 'y' })['__proto__']).toEqual({ x: 'y' });
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
  it('listAt bounds by the counter', () => {
    expect(listAt(flat, 'error', 2).map((e) => e['errorCode'])).toEqual(['11017', '11019']);
    expect(listAt(flat, 'error', 1)).toHaveLength(1);
    expect(listAt(flat, 'payment.1')).toEqual([{ state: 'payment_approved' }, { state: 'payment_deposited' }]);
    expect(listAt({ errors: '999999' }, 'error', 999999)).toEqual([]);
  });
});

describe('error blocks', () => {
  it('parses errors and decodes entities in consumerMessage', () => {
    const { fields } = decodeForm(
      'error.1.errorCode=18051&error.1.message=PAYMENTTYPE+is+invalid.&error.1.consumerMessage=PAYMENTTYPE+ist+ung%26%23252%3Bltig.&error.1.paySysMessage=ps&error.1.providerMessage=pm&errors=1',
    );
    expect(hasErrorBlock(fields)).toBe(true);
    expect(parseErrors(fields)).toEqual([
      { errorCode: '18051', message: 'PAYMENTTYPE is invalid.', consumerMessage: 'PAYMENTTYPE ist ungültig.', paySysMessage: 'ps', providerMessage: 'pm' },
    ]);
  });
  it('decodes numeric and named entities, leaves unknown ones', () => {
    expect(decodeHtmlEntities('ung&#252;ltig &#xFC; &uuml;&Auml;&szlig; &amp;lt; &euro; &bogus; &#0; &#xD800; &#1114112;')).toBe(
      'ungültig ü üÄß &lt; € &bogus; &#0; &#xD800; &#1114112;',
    );
  });
  it('encodes error blocks in gateway format and parses them back', () => {
    const errors = [
      { errorCode: '11017', message: 'Amount is missing.' },
      { errorCode: '11019', message: 'Currency is missing.', consumerMessage: 'Währung fehlt.' },
    ];
    const fields = encodeErrors(errors, 1);
    expect(Object.keys(fields)).toEqual([
      'error.1.errorCode', 'error.1.message', 'error.1.consumerMessage',
      'error.2.errorCode', 'error.2.message', 'error.2.consumerMessage', 'errors', 'status',
    ]);
    expect(fields['status']).toBe('1');
    const back = parseErrors(decodeForm(encodeForm(fields)).fields);
    expect(back).toEqual([
      { errorCode: '11017', message: 'Amount is missing.', consumerMessage: 'Amount is missing.' },
      { errorCode: '11019', message: 'Currency is missing.', consumerMessage: 'Währung fehlt.' },
    ]);
  });
  it('knows the missing-field codes of §11', () => {
    expect(missingFieldError('amount')).toEqual({ errorCode: '11017', message: 'Amount is missing.' });
    expect(missingFieldError('storageId').errorCode).toBe('11302');
    expect(missingFieldError('successUrl')).toEqual({ errorCode: '11000', message: 'SUCCESSURL is missing.' });
  });
});
