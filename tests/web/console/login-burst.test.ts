// Regression: the console's login lockout gave way to parallel requests. 80 login posts at once
// against a fresh account (79 wrong passwords, 1 right) let the right one in after only 5 failures
// were counted: every request read the failure count before any of them wrote it. Attempts are now
// reserved (rate-limiter-flexible's atomic consume) before a password is checked.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createConsoleUser } from '../../../src/core/console-users/console-users.ts';
import { LoginGuard } from '../../../src/web/console/login-guard.ts';

const password = 'burst-secret-2026';

describe('console login lockout under a burst of parallel attempts', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness({ roles: ['web'] });
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    for (const login of ['burst', 'burst2']) {
      await createConsoleUser(h.app.ctx, { login, name: '王书记', password, grants: [{ role: 'worker', scope: { community: 'HT01' } }], actorId: null, via: 'cli' });
    }
  });
  afterAll(async () => h?.close());

  /** A client holding the login form's double-submit token, ready to post at once. */
  const ready = async () => {
    const c = new ConsoleClient(h.app.url ?? '');
    const page = await c.request('GET', '/console/login');
    return { c, token: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
  };

  test('79 wrong passwords and the right one at once: 5 are checked, every other attempt is refused, the right one too, and the account stays locked', async () => {
    const clients = await Promise.all(Array.from({ length: 80 }, ready));
    // The right password is the last of the burst.
    const results = await Promise.all(
      clients.map(({ c, token }, i) => c.request('POST', '/console/login', { _csrf: token, login: 'burst', password: i === 79 ? password : `wrong-${i}-password` })),
    );
    const right = results[79]!;
    expect(right.status).toBe(429);
    expect(right.setCookies.some((x) => x.startsWith('linli_console='))).toBe(false);
    const wrong = results.filter((r) => r.status === 401);
    const refused = results.filter((r) => r.status === 429);
    // Exactly the configured 5 failures counted: 4 answered "wrong", the 5th locked the account…
    expect(wrong).toHaveLength(4);
    expect(wrong.every((r) => r.text.includes('账号或密码不对'))).toBe(true);
    // …and everything else, the right password included, was refused unchecked.
    expect(refused).toHaveLength(76);
    expect(refused.every((r) => r.text.includes('尝试次数过多'))).toBe(true);
    expect(results.filter((r) => r.status === 303)).toHaveLength(0);
    // Locked afterwards as well, even for the right password.
    const again = await new ConsoleClient(h.app.url ?? '').login('burst', password);
    expect(again.status).toBe(429);
    // Nobody signed in: no session was opened.
    expect(await h.app.redis.keys(`${h.prefix}:console:session:*`)).toEqual([]);
  });

  test('the guard itself: 80 attempts at once from 80 addresses reserve exactly 5 checks; the 5th failure locks', async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    try {
      const guard = new LoginGuard(redis, `tguard${randomBytes(4).toString('hex')}`, { accountFailures: 5 });
      const reserved = await Promise.all(Array.from({ length: 80 }, (_, i) => guard.reserve('wang', `10.0.0.${i}`)));
      const attempts = reserved.flatMap((r) => ('attempt' in r ? [r.attempt] : []));
      expect(attempts).toHaveLength(5);
      expect(reserved.filter((r) => 'lockedFor' in r)).toHaveLength(75);
      const locks = await Promise.all(attempts.map((a) => guard.failed(a)));
      expect(locks.filter((s) => s > 0)).toEqual([15 * 60]);
      expect(await guard.reserve('wang', '10.0.1.1')).toMatchObject({ lockedFor: expect.any(Number) });
      // Another login is not affected, and a right password resets its run of failures.
      const other = await guard.reserve('li', '10.0.0.1');
      expect('attempt' in other).toBe(true);
      if ('attempt' in other) await guard.succeeded(other.attempt);
      for (let i = 0; i < 4; i++) {
        const r = await guard.reserve('li', '10.0.2.1');
        if ('attempt' in r) expect(await guard.failed(r.attempt)).toBe(0);
        else throw new Error('li locked too early');
      }
    } finally {
      redis.disconnect();
    }
  });

  test('a burst below the limit with the right password: it gets in, and the failures start again from nothing', async () => {
    const clients = await Promise.all(Array.from({ length: 3 }, ready));
    const results = await Promise.all(clients.map(({ c, token }, i) => c.request('POST', '/console/login', { _csrf: token, login: 'burst2', password: i === 2 ? password : `wrong-${i}-password` })));
    expect(results.map((r) => r.status).sort()).toEqual([303, 401, 401]);
    for (let i = 1; i <= 4; i++) expect((await new ConsoleClient(h.app.url ?? '').login('burst2', `again-${i}-wrong`)).status, `try ${i}`).toBe(401);
  });
});
