import { createHmac, timingSafeEqual } from 'node:crypto';

/** Codes a few steps older than the previous one are recognised as expired (not just wrong). */
const expiredLookbackSteps = 12;

/** The time step a moment falls in: ⌊unix seconds / period⌋. */
export function codeStep(at: Date, periodSeconds: number): number {
  return Math.floor(at.getTime() / 1000 / periodSeconds);
}

/**
 * The 6-digit code of one time step for a shift's secret: HOTP (RFC 4226) over the step, i.e.
 * TOTP (RFC 6238) with the shift's period: HMAC-SHA1 keyed with the secret over the step as an
 * 8-byte big-endian counter, dynamically truncated, modulo 10⁶, zero-padded. Pure.
 */
export function codeAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', Buffer.from(secret, 'utf8')).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(bin % 1_000_000).padStart(6, '0');
}

/**
 * The code to show now, and until when it is accepted: a code is accepted during its own step and
 * the next one (so one read just before it rotates still works), i.e. until the end of step + 1.
 */
export function currentCode(secret: string, at: Date, periodSeconds: number): { code: string; step: number; validUntil: Date; rotatesAt: Date } {
  const step = codeStep(at, periodSeconds);
  return {
    code: codeAt(secret, step),
    step,
    rotatesAt: new Date((step + 1) * periodSeconds * 1000),
    validUntil: new Date((step + 2) * periodSeconds * 1000),
  };
}

export type CodeCheck = 'ok' | 'expired' | 'wrong';

/**
 * Checks a typed code at a moment: the current or the previous step's code is `ok`; the code of an
 * older step within the last hour or so (12 steps) is `expired`; anything else is `wrong`.
 * Comparisons are constant-time. Pure.
 */
export function checkCode(secret: string, typed: string, at: Date, periodSeconds: number): CodeCheck {
  if (!/^\d{6}$/.test(typed)) return 'wrong';
  const step = codeStep(at, periodSeconds);
  const same = (s: number) => timingSafeEqual(Buffer.from(codeAt(secret, s)), Buffer.from(typed));
  if (same(step) || same(step - 1)) return 'ok';
  for (let s = step - 2; s >= step - 1 - expiredLookbackSteps; s--) if (same(s)) return 'expired';
  return 'wrong';
}
