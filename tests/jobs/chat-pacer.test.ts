import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { ChatPacer, paceFor } from '../../jobs/chat-pacer.ts';
import { smoothLimiter } from '../../jobs/outbound.ts';

describe('ChatPacer (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `pace${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  test('200 concurrent reservations for one chat get distinct slots, evenly spaced', async () => {
    const gap = paceFor({ max: 20, perMs: 60_000 }, 100); // 20 a minute, scaled ×100
    const pacer = new ChatPacer(redis, prefix, gap);
    const now = Date.now();
    const slots = (await Promise.all(Array.from({ length: 200 }, () => pacer.reserve('g1', now)))).sort((a, b) => a - b);
    expect(slots[0]).toBe(now);
    for (let i = 1; i < slots.length; i++) expect((slots[i] ?? 0) - (slots[i - 1] ?? 0)).toBe(gap);
    // Never more than 20 in any window of 600 ms (the scaled minute), wherever the window starts.
    const window = 60_000 / 100;
    const most = Math.max(...slots.map((s) => slots.filter((x) => x >= s && x < s + window).length));
    expect(most).toBeLessThanOrEqual(20);
  });

  test('chats do not wait for each other', async () => {
    const pacer = new ChatPacer(redis, prefix, 1000);
    const now = Date.now();
    expect(await Promise.all(['a', 'b', 'c'].map((c) => pacer.reserve(c, now)))).toEqual([now, now, now]);
  });

  test('the platform-wide limit is applied in tenths of its period', () => {
    expect(smoothLimiter({ max: 30, perMs: 1000 })).toEqual({ max: 3, duration: 100 });
    expect(smoothLimiter({ max: 30, perMs: 1000 }, 10)).toEqual({ max: 30, duration: 100 });
    expect(smoothLimiter({ max: 5, perMs: 1000 })).toEqual({ max: 5, duration: 1000 });
  });
});
