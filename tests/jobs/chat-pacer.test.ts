// Per-chat pacing (jobs/chat-pacer.ts): GCRA with a burst plus a sliding-window log, in Redis.
// Times here are virtual (each reservation says when it arrives), so a property over hundreds of
// arrival patterns and hours of traffic runs in about a second.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { ChatPacer, paceFor } from '../../jobs/chat-pacer.ts';
import { chatPacers, smoothLimiter } from '../../jobs/outbound.ts';
import { platformLimits } from '../../src/bots/limits.ts';
import { seededRandom } from '../../src/lib/seeded-random.ts';

/** The most slots any window of `windowMs` holds, wherever it starts (the platform's count). */
function busiestWindow(slots: readonly number[], windowMs: number): number {
  const sorted = [...slots].sort((a, b) => a - b);
  let most = 0;
  for (let s = 0, e = 0; e < sorted.length; e++) {
    while ((sorted[e] ?? 0) - (sorted[s] ?? 0) >= windowMs) s++;
    most = Math.max(most, e - s + 1);
  }
  return most;
}

/**
 * A random arrival pattern for one chat, in ms from 0, sorted: quiet stretches, bursts (up to 40
 * at one instant, or spread over a second), and steady stretches at 5 to 60 a minute.
 */
function arrivals(rand: () => number, count: number): number[] {
  const out: number[] = [];
  let t = Math.floor(rand() * 120_000);
  while (out.length < count) {
    const kind = rand();
    if (kind < 0.25) {
      t += 60_000 + Math.floor(rand() * 120_000); // quiet
    } else if (kind < 0.55) {
      const k = 1 + Math.floor(rand() * 40);
      const spread = rand() < 0.5 ? 0 : 1000;
      for (let i = 0; i < k; i++) out.push(t + Math.floor(rand() * spread));
      t += spread;
    } else {
      const perMinute = 5 + rand() * 55;
      const k = 1 + Math.floor(rand() * 30);
      for (let i = 0; i < k; i++) {
        t += Math.floor((-Math.log(1 - rand()) * 60_000) / perMinute);
        out.push(t);
      }
    }
  }
  return out.slice(0, count).sort((a, b) => a - b);
}

describe('ChatPacer (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `pace${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  test('Telegram groups, 200 random arrival patterns: no 60 s ever holds more than 20; the first 5 replies of a quiet minute go at once; order kept', async () => {
    const { group } = chatPacers(redis, `${prefix}:tg`, platformLimits.telegram);
    expect({ burst: group.burst, gap: group.intervalMs, windows: group.windows }).toEqual({ burst: 5, gap: 3030, windows: [{ max: 20, perMs: 61_225 }] });
    const rand = seededRandom(4031977);
    const base = Date.now();
    let quietMinutes = 0;
    let flooded = 0;
    for (let p = 0; p < 200; p++) {
      const chat = `-100${p}`;
      const at = arrivals(rand, 30 + Math.floor(rand() * 60)).map((t) => base + t);
      // Arrivals at one instant reserve concurrently; the others one after another, as they come.
      const slots: number[] = new Array(at.length);
      for (let i = 0; i < at.length; ) {
        let j = i;
        while (j < at.length && at[j] === at[i]) j++;
        const got = await Promise.all(at.slice(i, j).map((t) => group.reserve(chat, t)));
        got.sort((a, b) => a - b).forEach((s, k) => (slots[i + k] = s));
        i = j;
      }
      // Telegram counts a sliding minute: never more than 20 in any 60 s.
      const most = busiestWindow(slots, 60_000);
      expect(most, `pattern ${p}`).toBeLessThanOrEqual(20);
      if (most === 20) flooded++;
      for (let i = 0; i < at.length; i++) {
        // Never before it was asked for; never before an earlier reply to the same chat.
        expect(slots[i]!).toBeGreaterThanOrEqual(at[i]!);
        if (i > 0) expect(slots[i]!).toBeGreaterThanOrEqual(slots[i - 1]!);
        // A quiet minute starts here: nothing sent in the 60 s before. Its first 5 replies (or all,
        // if fewer) go out the moment they are asked for.
        const quiet = slots.slice(0, i).every((s) => s <= at[i]! - 60_000);
        if (!quiet) continue;
        quietMinutes++;
        const inMinute = at.map((t, k) => k).filter((k) => k >= i && at[k]! < at[i]! + 60_000);
        const atOnce = inMinute.filter((k) => slots[k] === at[k]).length;
        expect(atOnce, `pattern ${p}, quiet minute at ${at[i]! - base} ms`).toBeGreaterThanOrEqual(Math.min(5, inMinute.length));
      }
    }
    // The patterns did test something: many quiet minutes, and many chats driven to the limit.
    expect(quietMinutes).toBeGreaterThan(200);
    expect(flooded).toBeGreaterThan(30);
  });

  test('a flood of 120 replies at once: 5 at once, then one every 3.03 s, and no more than 20 in any minute', async () => {
    const { group } = chatPacers(redis, `${prefix}:tg`, platformLimits.telegram);
    const now = Date.now();
    const slots = (await Promise.all(Array.from({ length: 120 }, () => group.reserve('-100flood', now)))).sort((a, b) => a - b);
    expect(slots.slice(0, 5)).toEqual([now, now, now, now, now]);
    expect(slots[5]! - now).toBe(3030);
    expect(busiestWindow(slots, 60_000)).toBe(20);
    // The limit is used, not wasted: 120 replies in at most 6 minutes and a bit (20 a minute).
    expect(slots[119]! - now).toBeLessThan(6 * 60_625 + 3030);
  });

  test('a private Telegram chat: evenly spaced, one a second (no burst)', async () => {
    const { direct } = chatPacers(redis, `${prefix}:tg`, platformLimits.telegram);
    const now = Date.now();
    const slots = (await Promise.all(Array.from({ length: 10 }, () => direct.reserve('42', now)))).sort((a, b) => a - b);
    expect(slots[0]).toBe(now);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(1010);
    expect(busiestWindow(slots, 1000)).toBe(1);
  });

  test('200 concurrent reservations for one chat without a burst get distinct slots, evenly spaced', async () => {
    const gap = paceFor({ max: 20, perMs: 60_000 }, 100); // 20 a minute, scaled ×100
    const pacer = new ChatPacer(redis, prefix, { intervalMs: gap, burst: 1, windows: [] });
    const now = Date.now();
    const slots = (await Promise.all(Array.from({ length: 200 }, () => pacer.reserve('g1', now)))).sort((a, b) => a - b);
    expect(slots[0]).toBe(now);
    for (let i = 1; i < slots.length; i++) expect((slots[i] ?? 0) - (slots[i - 1] ?? 0)).toBe(gap);
    // Never more than 20 in any window of 600 ms (the scaled minute), wherever the window starts.
    expect(busiestWindow(slots, 60_000 / 100)).toBeLessThanOrEqual(20);
  });

  test('chats do not wait for each other', async () => {
    const pacer = new ChatPacer(redis, prefix, { intervalMs: 1000, burst: 1, windows: [] });
    const now = Date.now();
    expect(await Promise.all(['a', 'b', 'c'].map((c) => pacer.reserve(c, now)))).toEqual([now, now, now]);
  });

  test('the platform-wide limit is applied in tenths of its period', () => {
    expect(smoothLimiter({ max: 30, perMs: 1000 })).toEqual({ max: 3, duration: 100 });
    expect(smoothLimiter({ max: 30, perMs: 1000 }, 10)).toEqual({ max: 30, duration: 100 });
    expect(smoothLimiter({ max: 5, perMs: 1000 })).toEqual({ max: 5, duration: 1000 });
  });
});
