// mergeNeeds: supporters move to the target once, the duplicates become merged (mergedIntoId),
// chains are flattened, a +1 on a merged need reaches the target, and one audit row records it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { systemClock, type CoreContext } from '../../../src/core/context.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { grantRole } from '../../../src/core/roles/grant-role.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { reportNeed } from '../../../src/core/needs/report-need.ts';
import { supportNeed } from '../../../src/core/needs/support-need.ts';
import { mergeNeeds } from '../../../src/core/needs/merge-needs.ts';

describe('mergeNeeds', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let ht01 = 0;
  let ht02 = 0;
  let worker = 0;
  const p: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock: systemClock };
    ht01 = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    ht02 = (await createCommunity(ctx, { code: 'HT02', name: '回天二社区' })).id;
    worker = (await grantRole(ctx, { community: 'HT01', role: 'worker', platform: 'web', user: 'wang' })).personId;
    for (const n of ['a', 'b', 'c', 'd', 'e']) p[n] = await ensurePerson(ctx, 'web', n, n);
    // #1 by a (+b), #2 by b (+c), #3 by d (+a), #4 by e: four ways of saying the same, as typed.
    for (const [who, text, plus] of [
      ['a', '3号楼楼道灯坏了', ['b']],
      ['b', '希望社区能组织给独居老人送饭', ['c']],
      ['d', '小区门口的快递柜太少了', ['a']],
      ['e', '电动车在楼道里充电太危险', []],
    ] as const) {
      const r = await reportNeed(ctx, { communityId: ht01, authorId: p[who] ?? 0, text });
      expect(r.kind).toBe('created');
      for (const x of plus) await supportNeed(ctx, { communityId: ht01, number: r.need.number, personId: p[x] ?? 0 });
    }
    await reportNeed(ctx, { communityId: ht02, authorId: p.a ?? 0, text: '二社区的需求' });
  });
  afterAll(async () => db?.drop());

  test('supporters move once, duplicates are merged, the target recounted; audited with before and after', async () => {
    const r = await mergeNeeds(ctx, { communityId: ht01, into: 1, from: [2, 3], actorId: worker, via: 'console' });
    // #1 had a, b; #2 brings b (already there), c; #3 brings d, a (already there): a b c d.
    expect(r).toEqual({ into: { id: expect.any(Number), number: 1, supportCount: 4 }, merged: [2, 3], supportersAdded: 2 });
    const needs = await db.prisma.need.findMany({ where: { communityId: ht01 }, orderBy: { number: 'asc' } });
    expect(needs.map((n) => [n.number, n.status, n.supportCount, n.mergedIntoId])).toEqual([
      [1, 'open', 4, null],
      [2, 'merged', 2, r.into.id],
      [3, 'merged', 2, r.into.id],
      [4, 'open', 1, null],
    ]);
    const supporters = await db.prisma.needSupport.findMany({ where: { needId: r.into.id }, orderBy: { personId: 'asc' } });
    expect(supporters.map((s) => s.personId)).toEqual([p.a, p.b, p.c, p.d]);
    const audit = await db.prisma.auditLog.findMany({ where: { action: 'need.merge' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: worker,
      via: 'console',
      communityId: ht01,
      entity: 'Need',
      entityId: String(r.into.id),
      before: { into: { number: 1, supportCount: 2, status: 'open' }, from: [{ number: 2, status: 'open', supportCount: 2 }, { number: 3, status: 'open', supportCount: 2 }] },
      after: { into: { number: 1, supportCount: 4 }, from: [{ number: 2, status: 'merged', mergedInto: 1 }, { number: 3, status: 'merged', mergedInto: 1 }], supportersAdded: 2 },
    });
  });

  test('a +1 on a merged need reaches the target, once per person', async () => {
    const r = await supportNeed(ctx, { communityId: ht01, number: 2, personId: p.e ?? 0 });
    expect(r.need.number).toBe(1);
    expect(r.supportCount).toBe(5);
    await expect(supportNeed(ctx, { communityId: ht01, number: 3, personId: p.c ?? 0 })).rejects.toMatchObject({ code: 'ALREADY_SUPPORTED' });
  });

  test('chains are flattened: merging the target later re-points what was merged into it', async () => {
    const r = await mergeNeeds(ctx, { communityId: ht01, into: 4, from: [1], actorId: worker, via: 'console' });
    expect(r.into.supportCount).toBe(5); // e was already a supporter of #4
    const two = await db.prisma.need.findFirstOrThrow({ where: { communityId: ht01, number: 2 } });
    expect(two.mergedIntoId).toBe(r.into.id);
  });

  test('refusals: merged or foreign or missing needs, a non-worker, nothing to merge; nothing changes', async () => {
    await expect(mergeNeeds(ctx, { communityId: ht01, into: 4, from: [2], actorId: worker, via: 'console' })).rejects.toMatchObject({ code: 'NEED_CLOSED' });
    await expect(mergeNeeds(ctx, { communityId: ht01, into: 2, from: [4], actorId: worker, via: 'console' })).rejects.toMatchObject({ code: 'NEED_CLOSED' });
    await expect(mergeNeeds(ctx, { communityId: ht01, into: 4, from: [9], actorId: worker, via: 'console' })).rejects.toMatchObject({ code: 'NEED_NOT_FOUND' });
    await expect(mergeNeeds(ctx, { communityId: ht02, into: 1, from: [4], actorId: worker, via: 'console' })).rejects.toMatchObject({ code: 'NOT_A_WORKER' });
    await expect(mergeNeeds(ctx, { communityId: ht01, into: 4, from: [4], actorId: worker, via: 'console' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(mergeNeeds(ctx, { communityId: ht01, into: 4, from: [1], actorId: p.a ?? 0, via: 'console' })).rejects.toMatchObject({ code: 'NOT_A_WORKER' });
    expect(await db.prisma.auditLog.count({ where: { action: 'need.merge' } })).toBe(2);
  });
});
