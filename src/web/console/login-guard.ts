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

/**
 * Brute-force protection for the console's login, in Redis (rate-limiter-flexible), shared by all
 * web processes: a login is locked after `accountFailures` wrong passwords in a row (reset by a
 * success), an IP address after `ipFailures` wrong passwords within an hour, whatever logins they
 * were for. While locked even the right password is refused, and no password is checked at all
 * (no work for argon2, no answer to learn from). Unknown logins count like known ones, so a lock
 * tells nothing about which accounts exist.
 */
export class LoginGuard {
  private readonly byAccount: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(redis: Redis, prefix: string, opts: LoginGuardOptions = {}) {
    const accountLock = opts.accountLockSeconds ?? 15 * 60;
    this.byAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:console:login-fail:account`,
      // The Nth failure is the one that locks: N-1 are allowed through.
      points: Math.max(1, (opts.accountFailures ?? 5) - 1),
      duration: accountLock,
      blockDuration: accountLock,
    });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:console:login-fail:ip`,
      points: Math.max(1, (opts.ipFailures ?? 30) - 1),
      duration: 3600,
      blockDuration: opts.ipLockSeconds ?? 3600,
    });
  }

  /** Seconds until this login from this address may try again, or 0 when it may try now. */
  async lockedFor(login: string, ip: string): Promise<number> {
    const [a, i] = await Promise.all([this.byAccount.get(login), this.byIp.get(ip)]);
    const wait = (r: RateLimiterRes | null, points: number) => (r && r.consumedPoints > points ? Math.ceil(r.msBeforeNext / 1000) : 0);
    return Math.max(wait(a, this.byAccount.points), wait(i, this.byIp.points));
  }

  /** Counts a wrong password; returns the seconds of the lock it caused, or 0. */
  async failed(login: string, ip: string): Promise<number> {
    const lock = async (p: Promise<RateLimiterRes>) =>
      p.then(
        () => 0,
        (r: unknown) => (r && typeof r === 'object' && 'msBeforeNext' in r ? Math.ceil(Number(r.msBeforeNext) / 1000) : 0),
      );
    const [a, i] = await Promise.all([lock(this.byAccount.consume(login)), lock(this.byIp.consume(ip))]);
    return Math.max(a, i);
  }

  /** A right password: the login's run of failures starts again (the IP's count stays). */
  async succeeded(login: string): Promise<void> {
    await this.byAccount.delete(login);
  }
}
