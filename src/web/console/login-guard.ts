import type { Redis } from 'ioredis';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginGuardOptions {
  /** Wrong passwords in a row for one login before it is locked (default 5). */
  accountFailures?: number;
  /** How long a locked login stays locked, seconds (default 15 minutes). */
  accountLockSeconds?: number;
  /** Wrong passwords from one IP address within an hour before it is locked (default 30). */
  ipFailures?: number;
  /** How long a locked IP stays locked, seconds (default 1 hour). */
  ipLockSeconds?: number;
}

/** An attempt reserved by {@link LoginGuard.reserve}: what to settle once the password is checked. */
export interface LoginAttempt {
  login: string;
  ip: string;
  /** This attempt used the login's last allowed try: if it fails, the login locks. */
  lastForAccount: boolean;
  /** This attempt used the address's last allowed try within the hour. */
  lastForIp: boolean;
}

/**
 * Brute-force protection for the console's login, in Redis (rate-limiter-flexible), shared by all
 * web processes: a login is locked after `accountFailures` wrong passwords in a row (reset by a
 * success), an IP address after `ipFailures` wrong passwords within an hour, whatever logins they
 * were for. While locked even the right password is refused, and no password is checked at all
 * (no work for argon2, no answer to learn from). Unknown logins count like known ones, so a lock
 * tells nothing about which accounts exist.
 *
 * Counting is atomic: an attempt is reserved (`consume`, one Redis script) before its password is
 * checked, and settled after. So however many attempts arrive at once, from however many
 * addresses, at most `accountFailures` passwords of one login are ever checked before it locks;
 * the rest are refused unchecked (regression: 80 parallel posts once got the right password in
 * after only 5 failures were counted, because every request read the count before any wrote it).
 */
export class LoginGuard {
  private readonly byAccount: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;
  private readonly accountLock: number;
  private readonly ipLock: number;

  constructor(redis: Redis, prefix: string, opts: LoginGuardOptions = {}) {
    this.accountLock = opts.accountLockSeconds ?? 15 * 60;
    this.ipLock = opts.ipLockSeconds ?? 3600;
    this.byAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:console:login-fail:account`,
      // One point per attempt, reserved before its check: N attempts may be checked, the next is refused.
      points: Math.max(1, opts.accountFailures ?? 5),
      duration: this.accountLock,
      blockDuration: this.accountLock,
    });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:console:login-fail:ip`,
      points: Math.max(1, opts.ipFailures ?? 30),
      duration: 3600,
      blockDuration: this.ipLock,
    });
  }

  /**
   * Reserves one attempt of this login from this address, before any password is checked: the
   * attempt to settle with {@link failed} or {@link succeeded}, or the seconds to wait when the
   * login or the address is locked (then nothing may be checked). A refusal for one limit does
   * not count against the other.
   */
  async reserve(login: string, ip: string): Promise<{ attempt: LoginAttempt } | { lockedFor: number }> {
    const account = await consume(this.byAccount, login);
    if ('lockedFor' in account) return account;
    const byIp = await consume(this.byIp, ip);
    if ('lockedFor' in byIp) {
      await this.byAccount.reward(login, 1);
      return byIp;
    }
    return { attempt: { login, ip, lastForAccount: account.remaining === 0, lastForIp: byIp.remaining === 0 } };
  }

  /** A wrong password: its reserved point stays counted. Returns the seconds of the lock it caused, or 0. */
  async failed(a: LoginAttempt): Promise<number> {
    const locks = await Promise.all([
      a.lastForAccount ? this.byAccount.block(a.login, this.accountLock).then(() => this.accountLock) : 0,
      a.lastForIp ? this.byIp.block(a.ip, this.ipLock).then(() => this.ipLock) : 0,
    ]);
    return Math.max(...locks);
  }

  /** A right password: the login's run of failures starts again, and the address's reserved try is given back. */
  async succeeded(a: LoginAttempt): Promise<void> {
    await Promise.all([this.byAccount.delete(a.login), this.byIp.reward(a.ip, 1)]);
  }
}

/** One point of a limiter: how many remain, or how long the key is locked. */
async function consume(limiter: RateLimiterRedis, key: string): Promise<{ remaining: number } | { lockedFor: number }> {
  try {
    const r = await limiter.consume(key, 1);
    return { remaining: r.remainingPoints };
  } catch (e: unknown) {
    if (e instanceof Error) throw e; // Redis itself failed: no attempt is let through unchecked
    const ms = (e as RateLimiterRes | null)?.msBeforeNext ?? 1000;
    return { lockedFor: Math.max(1, Math.ceil(ms / 1000)) };
  }
}
