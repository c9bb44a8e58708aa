import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionHints, SessionStore } from '../../../src/core/sessions/session-store.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

describe('session hints in Redis', () => {
  let db: TestDatabase;
  let redis: Redis;
  const prefix = `test-hints-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db?.drop();
  });

  it('regression: a hint marked with an app clock behind Redis’s clock expired at once, so a group answer to a waiting question was ignored', async () => {
    // The app's clock a month behind the real one (a test clock, or a host whose clock lags Redis's).
    const clock = new TestClock(new Date(Date.now() - 30 * 86_400_000));
    const hints = new RedisSessionHints(redis, prefix);
    const store = new SessionStore({ prisma: db.prisma, clock }, { 'understand.confirm': 1 }, hints);
    const key = { platform: 'web' as const, chatId: 'g1', userId: '小二' };
    await store.set(key, { flow: 'understand.confirm', version: 1, step: 'choose', answers: { n: 2 }, expiresAt: new Date(clock.now().getTime() + 10 * 60_000) });
    expect(await store.mayHave(key)).toBe(true);
    const ttl = await redis.pttl(`${prefix}:session:web:g1:小二`);
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
    expect((await store.get(key))?.step).toBe('choose');
    await store.clear(key);
    expect(await store.mayHave(key)).toBe(false);
  });
});
