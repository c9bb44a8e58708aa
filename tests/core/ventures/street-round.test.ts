// A street's 微创投 round, against the real PostgreSQL: made by a street worker (not a community's),
// announced in every community of the street, proposals and votes from any of them (one ballot a
// person, and only people seen in the street's groups), winners' projects in their own community,
// and the reports counting it once for the street. Community rounds are left as they were.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import { grantScopedRole } from '../../../src/core/roles/grant-scoped-role.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import type { Effect } from '../../../src/core/effects.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { runCli } from '../../../src/cli.ts';
import type { EffectExecutor } from '../../../jobs/effects.ts';
import { createRound } from '../../../src/core/ventures/create-round.ts';
import { changePhase } from '../../../src/core/ventures/change-phase.ts';
import { submitProposal } from '../../../src/core/ventures/submit-proposal.ts';
import { reviewProposal } from '../../../src/core/ventures/review-proposal.ts';
import { castVotes } from '../../../src/core/ventures/cast-votes.ts';
import { listProposals } from '../../../src/core/ventures/list-proposals.ts';
import { currentRound } from '../../../src/core/ventures/rounds.ts';
import { recordMember } from '../../../src/core/people/community-members.ts';
import { reportData } from '../../../src/core/reports/report-data.ts';
import { ventureAnnouncer } from '../../../src/notices/venture-announce.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';

describe("a street's 微创投 round", () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  const clock = new TestClock(new Date(Date.now() - 10 * 86_400_000));
  const ids = { ht01: 0, ht02: 0, xx01: 0, street: 0 };
  const who = { streetWorker: 0, ht01Worker: 0, a: 0, b: 0, c: 0, d: 0 };
  const applied: Effect[] = [];
  const lines: string[] = [];
  const cli = (argv: string[]) =>
    runCli(argv, ctx, (l) => lines.push(l), { queues: async () => ({ effects: { apply: async (e: readonly Effect[]) => void applied.push(...e) } as unknown as EffectExecutor }) });

  async function refusal(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      if (isAppError(e)) return e.code;
      throw e;
    }
    return 'accepted';
  }
  /** The communities (by code) whose groups were told, one broadcast each, since `after`. */
  const toldSince = async (after: number) =>
    (await db.prisma.broadcast.findMany({ where: { id: { gt: after } }, include: { community: { select: { code: true } } }, orderBy: { id: 'asc' } })).map((b) => b.community.code);
  const lastBroadcast = async () => (await db.prisma.broadcast.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    ids.ht01 = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '霍营街道' })).id;
    ids.ht02 = (await createCommunity(ctx, { code: 'HT02', name: '回天二社区', street: '霍营街道' })).id;
    ids.xx01 = (await createCommunity(ctx, { code: 'XX01', name: '别的社区', street: '别的街道' })).id;
    ids.street = (await db.prisma.street.findFirstOrThrow({ where: { name: '霍营街道' } })).id;
    for (const code of ['HT01', 'HT02', 'XX01']) await bindGroup(ctx, { community: code, platform: 'web', chat: `${code}-g` });
    for (const name of Object.keys(who) as Array<keyof typeof who>) who[name] = (await db.prisma.person.create({ data: { displayName: name } })).id;
    await grantScopedRole(ctx, { personId: who.streetWorker, role: 'worker', scope: { street: '霍营街道' }, actorId: null, via: 'cli' });
    await grantScopedRole(ctx, { personId: who.ht01Worker, role: 'worker', scope: { community: 'HT01' }, actorId: null, via: 'cli' });
    // Seen in the groups: a in HT01, b in HT02, c in both, d only in the other street's XX01.
    await recordMember(ctx, who.a, ids.ht01);
    await recordMember(ctx, who.b, ids.ht02);
    await recordMember(ctx, who.c, ids.ht01);
    await recordMember(ctx, who.c, ids.ht02);
    await recordMember(ctx, who.d, ids.xx01);
  });
  afterAll(async () => db?.drop());

  test('made by a street worker only, announced in every community of the street', async () => {
    const round = { streetId: ids.street, title: '霍营街道微创投', budgetYuan: 5000, style: 'approval' as const, maxVotes: 2 };
    expect(await refusal(createRound(ctx, { ...round, actorId: who.ht01Worker, via: 'chat' }))).toBe('NOT_A_WORKER');
    const made = await createRound(ctx, { ...round, actorId: who.streetWorker, via: 'console' });
    expect([made.round.number, made.round.streetId, made.round.communityId]).toEqual([1, ids.street, null]);
    // A community round keeps its own numbers, next to the street's.
    const own = await createRound(ctx, { communityId: ids.ht01, title: '社区自己的', budgetYuan: 100, via: 'cli' });
    expect(own.round.number).toBe(1);

    const before = await lastBroadcast();
    expect(await refusal(changePhase(ctx, { streetId: ids.street, round: 1, to: 'collecting', actorId: who.ht01Worker, via: 'chat' }, ventureAnnouncer))).toBe('NOT_A_WORKER');
    const opened = await changePhase(ctx, { streetId: ids.street, round: 1, to: 'collecting', actorId: who.streetWorker, via: 'console' }, ventureAnnouncer);
    expect(opened.effects.map((e) => e.kind)).toEqual(['broadcastScheduled', 'broadcastScheduled']);
    expect(await toldSince(before)).toEqual(['HT01', 'HT02']);
    // Residents of either community are talking about it; the other street's are not.
    expect((await currentRound(ctx, ids.ht02)).id).toBe(made.round.id);
    expect(await refusal(currentRound(ctx, ids.xx01))).toBe('NO_ROUND');
  });

  test('proposals from any of its communities; reviewed by the street; one ballot a person; only residents seen in the street', async () => {
    await submitProposal(ctx, { communityId: ids.ht01, personId: who.a, title: '一社区图书角', requestedYuan: 2000 });
    await submitProposal(ctx, { communityId: ids.ht02, personId: who.b, title: '二社区花园', requestedYuan: 2500 });
    expect((await db.prisma.proposal.findMany({ where: { round: { streetId: ids.street } }, orderBy: { number: 'asc' } })).map((p) => [p.number, p.communityId])).toEqual([
      [1, ids.ht01],
      [2, ids.ht02],
    ]);
    // A community's worker may not review the street's proposals, nor open its vote from the chat.
    expect(await refusal(reviewProposal(ctx, { communityId: ids.ht01, number: 1, approve: true, actorId: who.ht01Worker, via: 'chat' }))).toBe('NOT_A_WORKER');
    for (const number of [1, 2]) await reviewProposal(ctx, { streetId: ids.street, round: 1, number, approve: true, actorId: who.streetWorker, via: 'console' });
    await changePhase(ctx, { streetId: ids.street, round: 1, to: 'voting', actorId: who.streetWorker, via: 'console' }, ventureAnnouncer);

    expect((await castVotes(ctx, { communityId: ids.ht01, personId: who.a, numbers: [1, 2] })).votesLeft).toBe(0);
    expect((await castVotes(ctx, { communityId: ids.ht02, personId: who.b, numbers: [2] })).votesLeft).toBe(1);
    // c, seen in both communities, has one ballot: from HT01 and then from HT02 it is the same one.
    expect((await castVotes(ctx, { communityId: ids.ht01, personId: who.c, numbers: [2] })).votesLeft).toBe(1);
    expect(await refusal(castVotes(ctx, { communityId: ids.ht02, personId: who.c, numbers: [2] }))).toBe('ALREADY_VOTED');
    expect((await castVotes(ctx, { communityId: ids.ht02, personId: who.c, numbers: [1] })).votesLeft).toBe(0);
    // d was only ever seen in another street's community.
    expect(await refusal(castVotes(ctx, { communityId: ids.ht01, personId: who.d, numbers: [1] }))).toBe('NOT_SEEN_HERE');
    expect(await db.prisma.ballot.count({ where: { round: { streetId: ids.street } } })).toBe(3);
    expect((await listProposals(ctx, { communityId: ids.ht02, viewerId: who.b })).proposals.map((p) => p.number)).toEqual([1, 2]);
  });

  test('the results reach every community; each winner becomes a project of its own community', async () => {
    const before = await lastBroadcast();
    const r = await changePhase(ctx, { streetId: ids.street, round: 1, to: 'results', actorId: who.streetWorker, via: 'console' }, ventureAnnouncer);
    expect(await toldSince(before)).toEqual(['HT01', 'HT02']);
    const winners = await db.prisma.proposal.findMany({ where: { roundId: r.round.id, status: 'winner' }, include: { project: true }, orderBy: { number: 'asc' } });
    // 二社区花园 3 votes (¥2,500), 一社区图书角 2 votes (¥2,000): both fit ¥5,000.
    expect(winners.map((w) => [w.title, w.project?.communityId])).toEqual([
      ['一社区图书角', ids.ht01],
      ['二社区花园', ids.ht02],
    ]);
  });

  test("the reports count the street's round once, for the whole street only", async () => {
    const period = { from: new Date(clock.now().getTime() - 86_400_000), to: new Date(clock.now().getTime() + 86_400_000), timezone: 'Asia/Shanghai' };
    const street = await reportData(ctx, { communityIds: [ids.ht01, ids.ht02], ...period });
    // Residents seen in the street: a, b, c (once, though seen in both).
    expect(street.streetRounds).toEqual([{ id: ids.street, name: '霍营街道', ventures: { rounds: 1, voters: 3, residents: 3, turnout: 1, grantedYuan: 4500, winners: 2, completed: 0 } }]);
    expect(street.perCommunity.map((c) => [c.code, c.ventures.rounds])).toEqual([
      ['HT01', 0],
      ['HT02', 0],
    ]);
    expect(street.totals.ventures).toMatchObject({ rounds: 1, voters: 3, grantedYuan: 4500, winners: 2 });
    // One community's report does not show what the street's other communities did.
    const one = await reportData(ctx, { communityIds: [ids.ht01], ...period });
    expect(one.streetRounds).toEqual([]);
    expect(one.totals.ventures.rounds).toBe(0);
  });

  test('the CLI: --street makes, moves and plans a street round', async () => {
    await cli(['round', 'create', '--street', '霍营街道', '--title', '第二轮', '--budget', '3000']);
    expect(lines.pop()).toMatch(/^round 2 第二轮: budget ¥3000/);
    const before = await lastBroadcast();
    await cli(['round', 'phase', '--street', '霍营街道', '--round', '2', '--to', 'collecting']);
    expect(lines.pop()).toBe('round 2 第二轮: draft → collecting, announced to the groups');
    expect(await toldSince(before)).toEqual(['HT01', 'HT02']);
    await expect(cli(['round', 'create', '--street', '霍营街道', '--community', 'HT01', '--title', 'x', '--budget', '1'])).rejects.toThrow(/--community or --street/);
    await expect(cli(['round', 'phase', '--street', '没有的街道', '--round', '1', '--to', 'closed'])).rejects.toMatchObject({ code: 'COMMUNITY_NOT_FOUND' });
  });
});
