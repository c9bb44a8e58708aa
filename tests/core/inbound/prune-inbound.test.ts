// Old InboundMessage rows go; anything a redelivery could still need stays: real Postgres, the
// test's own clock, and the daily job scheduler's queue on the real Redis.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pruneInbound, inboundKeepDays } from '../../../src/core/inbound/prune-inbound.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { TestClock } from '../../helpers/clock.ts';

describe('pruning inbound message records', () => {
  let h: Harness;
  const clock = new TestClock(new Date());
  beforeAll(async () => {
    h = await createHarness({ clock });
  });
  afterAll(async () => h?.close());

  test('completed rows older than a week go, in batches; recent, unfinished and parked rows stay', async () => {
    const now = clock.now().getTime();
    const day = 86_400_000;
    const row = (externalId: string, completedAgoDays: number | null, pendingReplies?: object) => ({
      platform: 'telegram' as const,
      externalId,
      chatId: '-100',
      userId: '7',
      receivedAt: new Date(now - (completedAgoDays ?? 30) * day),
      completedAt: completedAgoDays === null ? null : new Date(now - completedAgoDays * day),
      ...(pendingReplies ? { pendingReplies } : {}),
    });
    await h.app.ctx.prisma.inboundMessage.createMany({
      data: [
        ...Array.from({ length: 25 }, (_, i) => row(`old-${i}`, inboundKeepDays + 1 + i)),
        row('recent', inboundKeepDays - 1),
        row('unfinished', null),
        row('parked', null, [{ kind: 'send' }]),
      ],
    });
    expect(await pruneInbound(h.app.ctx, { batch: 10 })).toBe(25);
    const left = (await h.app.ctx.prisma.inboundMessage.findMany({ select: { externalId: true }, orderBy: { externalId: 'asc' } })).map((r) => r.externalId);
    expect(left).toEqual(['parked', 'recent', 'unfinished']);
    expect(await pruneInbound(h.app.ctx)).toBe(0);

    // A week on, the row that was recent goes too.
    clock.set(new Date(now + 2 * day));
    expect(await pruneInbound(h.app.ctx)).toBe(1);
  });

  test('the workers role keeps one daily job scheduler for it, at 03:30 Beijing time', async () => {
    const schedulers = await h.app.housekeeping.queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([['housekeeping-daily', '30 3 * * *', 'Asia/Shanghai']]);
  });
});
