import { encodeForm, signConfirmation } from '@seamless-ops/qenta';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../events/event-store';
import type { ShopsService } from '../shops/shops.service';
import { ConfirmationService } from './confirmation.service';

// Checks that decide before the database is touched (the store below fails any use).
const untouchable = new Proxy({}, { get: () => () => Promise.reject(new Error('the database must not be used')) });
const service = new ConfirmationService(untouchable as EventStore, untouchable as ShopsService);

describe('ConfirmationService before the database', () => {
  it('answers a NUL character anywhere as malformed (PostgreSQL could not store it; found by the fault suite fuzz)', async () => {
    const signed = signConfirmation({ amount: '1.00', currency: 'EUR', paymentType: 'CCARD', orderNumber: '\u0000', paymentState: 'SUCCESS' }, 'secret');
    for (const body of [encodeForm(signed), 'responseFingerprintOrder=%00', 'a%00b=1', 'x=\u0000']) {
      expect(await service.handle(body, null)).toEqual({ result: 'malformed', reason: 'NUL character in a parameter' });
    }
  });

  it('answers duplicate parameters and an empty body as malformed', async () => {
    expect(await service.handle('a=1&a=2', null)).toMatchObject({ result: 'malformed' });
    expect(await service.handle('', null)).toEqual({ result: 'malformed', reason: 'empty confirmation' });
  });
});
