import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_NOTIFICATION_OPTIONS } from '../src/notifications/notification-options';
import { signNotification, verifyNotificationSignature } from '../src/notifications/notification-signature';

const SECRET = 'whsec-test-1234';
const T = 1767268800;
const BODY = '{"event":"payment.state_changed","amount":"12.50"}';
// printf '%s' '1767268800.{"event":"payment.state_changed","amount":"12.50"}' | openssl dgst -sha256 -hmac 'whsec-test-1234'
const OPENSSL_HEX = 'e015290c3cff167a06fe79a1e29c83eb7b750c6e75a39d2ad349ff8bf42b8106';
const AT_T = { now: new Date(T * 1000) };

describe('notification signature', () => {
  it('is HMAC-SHA256 over "<t>.<body>", matching an independent computation (openssl)', () => {
    expect(signNotification(SECRET, T, BODY)).toBe(`t=${T},v1=${OPENSSL_HEX}`);
    expect(signNotification(SECRET, T, Buffer.from(BODY))).toBe(`t=${T},v1=${OPENSSL_HEX}`);
  });

  it('verifies the exact body, as a string or as bytes', () => {
    const header = signNotification(SECRET, T, BODY);
    expect(verifyNotificationSignature(SECRET, header, BODY, AT_T)).toBe(true);
    expect(verifyNotificationSignature(SECRET, header, Buffer.from(BODY, 'utf8'), AT_T)).toBe(true);
  });

  it('rejects a changed body, another secret, or a re-encoded body', () => {
    const header = signNotification(SECRET, T, BODY);
    expect(verifyNotificationSignature(SECRET, header, BODY.replace('12.50', '12.51'), AT_T)).toBe(false);
    expect(verifyNotificationSignature(SECRET, header, JSON.stringify(JSON.parse(BODY), null, 1), AT_T)).toBe(false);
    expect(verifyNotificationSignature('whsec-test-1235', header, BODY, AT_T)).toBe(false);
    expect(verifyNotificationSignature('', header, BODY, AT_T)).toBe(false);
  });

  it('binds the timestamp: a changed t, or one outside the tolerance, is rejected', () => {
    const header = signNotification(SECRET, T, BODY);
    expect(verifyNotificationSignature(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, { now: new Date((T + 1) * 1000) })).toBe(false);
    expect(verifyNotificationSignature(SECRET, header, BODY, { now: new Date((T + 300) * 1000) })).toBe(true);
    expect(verifyNotificationSignature(SECRET, header, BODY, { now: new Date((T + 301) * 1000) })).toBe(false);
    expect(verifyNotificationSignature(SECRET, header, BODY, { now: new Date((T - 301) * 1000) })).toBe(false);
    expect(verifyNotificationSignature(SECRET, header, BODY, { now: new Date((T + 3600) * 1000), toleranceSeconds: 3600 })).toBe(true);
  });

  it('accepts any matching v1 (secret rotation) and ignores unknown keys', () => {
    const good = `v1=${OPENSSL_HEX}`;
    const other = `v1=${'0'.repeat(64)}`;
    expect(verifyNotificationSignature(SECRET, `t=${T},${other},${good}`, BODY, AT_T)).toBe(true);
    expect(verifyNotificationSignature(SECRET, `t=${T}, ${good}, v2=whatever`, BODY, AT_T)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['empty', ''],
    ['no timestamp', `v1=${OPENSSL_HEX}`],
    ['no v1', `t=${T}`],
    ['timestamp not a number', `t=abc,v1=${OPENSSL_HEX}`],
    ['two timestamps', `t=${T},t=${T},v1=${OPENSSL_HEX}`],
    ['uppercase hex', `t=${T},v1=${OPENSSL_HEX.toUpperCase()}`],
    ['short hex', `t=${T},v1=${OPENSSL_HEX.slice(0, 63)}`],
    ['sha256= form', `sha256=${OPENSSL_HEX}`],
    ['huge header', `t=${T},v1=${OPENSSL_HEX},${'x'.repeat(5000)}`],
  ])('rejects a malformed header (%s) without throwing', (_name, header) => {
    expect(verifyNotificationSignature(SECRET, header, BODY, AT_T)).toBe(false);
  });
});

describe('retry backoff', () => {
  const options = (random: number) => ({ ...DEFAULT_NOTIFICATION_OPTIONS, random: () => random });

  it('follows the schedule, the last step repeating', () => {
    const exact = options(0.5);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => backoffDelayMs(exact, n))).toEqual([
      10_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000, 43_200_000, 86_400_000, 86_400_000, 86_400_000,
    ]);
  });

  it('spreads each delay by at most ±20 %', () => {
    expect(backoffDelayMs(options(0), 1)).toBe(8_000);
    expect(backoffDelayMs(options(0.999999), 1)).toBeLessThanOrEqual(12_000);
    expect(backoffDelayMs(options(0.999999), 1)).toBeGreaterThan(11_999);
  });
});
