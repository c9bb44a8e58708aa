// Broadcasts at a set time and on a cron pattern (BullMQ job schedulers with a time zone), and
// cancelling one: real Postgres, real Redis, delivered through the web chat adapter.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { cancelBroadcast, createBroadcast } from '../../src/core/broadcasts/create-broadcast.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

describe('scheduled and recurring broadcasts', () => {
  let h: Harness;
  let communityId: number;
  const lines = async (text: string) =>
    (await h.app.ctx.prisma.webChatMessage.findMany({ where: { senderId: null, text }, select: { conversation: true } })).map((r) => r.conversation).sort();

  beforeAll(async () => {
    h = await createHarness();
    communityId = (await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' })).id;
    for (const g of ['g1', 'g2']) await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: g });
  });
  afterAll(async () => h?.close());

  test('at a set time: nothing before it, every group once after it', async () => {
    const b = await createBroadcast(h.app.ctx, { communityId, text: '明早八点停水', sendAt: new Date(Date.now() + 1500), actorId: null, via: 'cli' });
    await h.app.broadcasts.schedule(b);
    await new Promise((r) => setTimeout(r, 500));
    expect(await lines('明早八点停水')).toEqual([]);
    await h.drain(); // waits for the delayed job too
    expect(await lines('明早八点停水')).toEqual(['g1', 'g2']);
    expect((await h.app.ctx.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('done');
  });

  test('recurring (every 2 s, Asia/Shanghai): each run is a broadcast of its own; cancelling stops the runs', { timeout: 30_000 }, async () => {
    const b = await createBroadcast(h.app.ctx, { communityId, text: '每周垃圾分类提醒', cron: '*/2 * * * * *', timezone: 'Asia/Shanghai', actorId: null, via: 'cli' });
    await h.app.broadcasts.schedule(b);
    const deadline = Date.now() + 15_000;
    while ((await h.app.ctx.prisma.broadcast.count({ where: { parentId: b.id, status: 'done' } })) < 2) {
      if (Date.now() > deadline) throw new Error('no two runs');
      await new Promise((r) => setTimeout(r, 200));
    }
    await cancelBroadcast(h.app.ctx, { communityId, broadcastId: b.id, actorId: null, via: 'cli' });
    await h.app.broadcasts.unschedule(b.id);
    await h.drain();
    const runs = await h.app.ctx.prisma.broadcast.count({ where: { parentId: b.id } });
    const sent = (await lines('每周垃圾分类提醒')).length;
    // Each finished run reached both groups once.
    expect(sent).toBeGreaterThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 4500));
    await h.drain();
    expect(await h.app.ctx.prisma.broadcast.count({ where: { parentId: b.id } })).toBe(runs);
    expect((await lines('每周垃圾分类提醒')).length).toBeLessThanOrEqual(runs * 2);
    expect(await h.app.broadcasts.queue.getJobSchedulersCount()).toBe(0);
  });

  test('cancelling twice: the second changes nothing and writes no second audit row', async () => {
    const b = await createBroadcast(h.app.ctx, { communityId, text: '下周一停电检修', sendAt: new Date(Date.now() + 3_600_000), actorId: null, via: 'cli' });
    await h.app.broadcasts.schedule(b);
    const first = await cancelBroadcast(h.app.ctx, { communityId, broadcastId: b.id, actorId: null, via: 'cli' });
    const again = await cancelBroadcast(h.app.ctx, { communityId, broadcastId: b.id, actorId: null, via: 'cli' });
    expect([first.effects.length, again.deliveriesCancelled, again.effects]).toEqual([1, 0, []]);
    expect(await h.app.ctx.prisma.auditLog.count({ where: { action: 'broadcast.cancel', entityId: String(b.id) } })).toBe(1);
    expect((await h.app.ctx.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('cancelled');
  });
});
