import { describe, expect, test } from 'vitest';
import { checkCode, codeAt, codeStep, currentCode } from '../../../src/core/checkins/checkin-code.ts';

describe('the rotating check-in code (TOTP-style, HMAC-SHA1 over the time step)', () => {
  // RFC 6238 appendix B (SHA-1, 30-second steps; the last 6 of its 8 digits).
  test.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('RFC 6238 test vector at %i s', (seconds, code) => {
    expect(codeAt('12345678901234567890', codeStep(new Date(seconds * 1000), 30))).toBe(code);
  });

  const secret = 'shift-secret-for-tests';
  const period = 300;
  const t0 = new Date('2026-12-05T01:02:03Z');

  test('shown with the time it stops being accepted: the end of the next step', () => {
    const c = currentCode(secret, t0, period);
    expect(c.code).toMatch(/^\d{6}$/);
    const stepStart = Math.floor(t0.getTime() / 1000 / period) * period * 1000;
    expect(c.rotatesAt.getTime()).toBe(stepStart + period * 1000);
    expect(c.validUntil.getTime()).toBe(stepStart + 2 * period * 1000);
  });

  test('the current and the previous step’s codes are accepted; older ones are expired; others wrong', () => {
    const step = codeStep(t0, period);
    expect(checkCode(secret, codeAt(secret, step), t0, period)).toBe('ok');
    expect(checkCode(secret, codeAt(secret, step - 1), t0, period)).toBe('ok');
    expect(checkCode(secret, codeAt(secret, step - 2), t0, period)).toBe('expired');
    expect(checkCode(secret, codeAt(secret, step - 12), t0, period)).toBe('expired');
    expect(checkCode(secret, codeAt(secret, step + 1), t0, period)).toBe('wrong');
    expect(checkCode(secret, 'abcdef', t0, period)).toBe('wrong');
    expect(checkCode(secret, '12345', t0, period)).toBe('wrong');
    // Another shift's code is wrong here.
    const other = codeAt('another-shift', step);
    if (![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].some((k) => codeAt(secret, step - k) === other)) expect(checkCode(secret, other, t0, period)).toBe('wrong');
  });

  test('a code shown at the end of its step still works five minutes later, not ten', () => {
    const shown = currentCode(secret, new Date(Math.floor(t0.getTime() / 1000 / period) * period * 1000 + 299_000), period);
    expect(checkCode(secret, shown.code, new Date(shown.validUntil.getTime() - 1), period)).toBe('ok');
    expect(checkCode(secret, shown.code, shown.validUntil, period)).toBe('expired');
  });
});
