// 微创投 votes against the real PostgreSQL: one ballot per person per round, within its votes or
// its budget, under 2,000 residents voting at once; a person's linked accounts share one ballot;
// the tally's winners become projects.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { PersonDirectory } from '../../../src/core/people/resolve-person.ts';
import { recordMember } from '../../../src/core/people/community-members.ts';
import { createRound, type CreateRoundInput } from '../../../src/core/ventures/create-round.ts';
import { changePhase } from '../../../src/core/ventures/change-phase.ts';
import { submitProposal } from '../../../src/core/ventures/submit-proposal.ts';
import { reviewProposal } from '../../../src/core/ventures/review-proposal.ts';
import { castVotes, withdrawVote } from '../../../src/core/ventures/cast-votes.ts';
import { myBallot } from '../../../src/core/ventures/my-ballot.ts';
import { listProposals } from '../../../src/core/ventures/list-proposals.ts';
import { closeVoting } from '../../../src/core/ventures/close-voting.ts';
import { ventureAnnouncer } from '../../../src/notices/venture-announce.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';

const residents = 2000;

describe('微创投 votes (real Postgres)', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let people: number[];
  let author: number;
  let seq = 0;

  /** The residents (and the author) seen in the community's groups, in one statement. */
  async function seenIn(communityId: number, personIds: number[] = [author, ...people]) {
    await db.prisma.communityMember.createMany({ data: personIds.map((personId) => ({ personId, communityId, firstSeenAt: ctx.clock.now() })), skipDuplicates: true });
  }

  /** A community with a round in voting: proposals with these amounts (yuan), all approved. */
  async function votingRound(round: Omit<CreateRoundInput, 'communityId'>, amounts: number[], alsoSeen: number[] = []) {
    const code = `V${++seq}`;
    const { id: communityId } = await createCommunity(ctx, { code, name: `社区${seq}` });
    await seenIn(communityId, [author, ...people, ...alsoSeen]);
    await createRound(ctx, { ...round, communityId, via: 'cli' });
    await changePhase(ctx, { communityId, round: 1, to: 'collecting', actorId: null, via: 'cli' }, ventureAnnouncer);
    for (const [i, yuan] of amounts.entries()) {
      await submitProposal(ctx, { communityId, personId: author, title: `提案${i + 1}`, description: '说明', requestedYuan: yuan });
      await reviewProposal(ctx, { communityId, number: i + 1, approve: true, actorId: null, via: 'cli' });
    }
    await changePhase(ctx, { communityId, round: 1, to: 'voting', actorId: null, via: 'cli' }, ventureAnnouncer);
    return communityId;
  }

  async function refusal(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      if (isAppError(e)) return e.code;
      throw e;
    }
    return 'accepted';
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock: new TestClock(new Date(Date.now() - 3_600_000)) };
    await db.prisma.person.createMany({ data: Array.from({ length: residents + 1 }, (_, i) => ({ displayName: `居民${i}` })) });
    const all = (await db.prisma.person.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
    author = all[0]!;
    people = all.slice(1);
  });
  afterAll(async () => db?.drop());

  test('2,000 residents at once, 3 votes each, each trying 4: exact tallies, no ballot over 3', { timeout: 300_000 }, async () => {
    const communityId = await votingRound({ title: '2027年微创投', budgetYuan: 30000, style: 'approval', maxVotes: 3 }, [2000, 2000, 2000, 2000, 2000]);
    // Each resident sends four single votes at the same moment; only three may land.
    const attempts = people.flatMap((personId, i) => [0, 1, 2, 3].map((k) => ({ personId, number: ((i + k) % 5) + 1 })));
    const outcomes = await Promise.all(attempts.map((a) => refusal(castVotes(ctx, { communityId, personId: a.personId, numbers: [a.number] }))));
    expect(new Set(outcomes)).toEqual(new Set(['accepted', 'VOTE_OVER_LIMIT']));

    const accepted = new Map<number, number>();
    const perPerson = new Map<number, number>();
    attempts.forEach((a, idx) => {
      if (outcomes[idx] !== 'accepted') return;
      accepted.set(a.number, (accepted.get(a.number) ?? 0) + 1);
      perPerson.set(a.personId, (perPerson.get(a.personId) ?? 0) + 1);
    });
    // Every resident got exactly three: the limit held, and no vote was refused below it.
    expect([...perPerson.values()].every((n) => n === 3)).toBe(true);
    expect(perPerson.size).toBe(residents);

    const round = await db.prisma.proposalRound.findFirstOrThrow({ where: { communityId } });
    const votes = await db.prisma.vote.groupBy({ by: ['personId'], where: { roundId: round.id }, _count: true });
    expect(Math.max(...votes.map((v) => v._count))).toBe(3);
    expect(votes).toHaveLength(residents);
    const ballots = await db.prisma.ballot.findMany({ where: { roundId: round.id } });
    expect(ballots.every((b) => b.votes === 3)).toBe(true);

    // The tally is exactly what the residents were told was accepted.
    const closed = await closeVoting(ctx, { communityId, actorId: null, via: 'cli' }, ventureAnnouncer);
    const tallied = Object.fromEntries(closed.ranking.map((r) => [r.number, r.votes]));
    expect(tallied).toEqual(Object.fromEntries([...accepted.entries()]));
    expect(closed.ranking.reduce((n, r) => n + r.votes, 0)).toBe(3 * residents);
  });

  test('the same 2,000 with a knapsack ballot: no ballot over the budget, totals match the votes', { timeout: 300_000 }, async () => {
    const amounts = [3000, 4000, 2500, 5000, 1500];
    const communityId = await votingRound({ title: '预算投票', budgetYuan: 10000, style: 'knapsack', minShare: 0.5 }, amounts);
    const attempts = people.flatMap((personId, i) => [0, 1, 2, 3, 4].map((k) => ({ personId, number: ((i + k) % 5) + 1 })));
    const outcomes = await Promise.all(attempts.map((a) => refusal(castVotes(ctx, { communityId, personId: a.personId, numbers: [a.number] }))));
    expect(new Set(outcomes)).toEqual(new Set(['accepted', 'VOTE_OVER_BUDGET']));

    const round = await db.prisma.proposalRound.findFirstOrThrow({ where: { communityId } });
    const votes = await db.prisma.vote.findMany({ where: { roundId: round.id }, select: { personId: true, proposal: { select: { requestedFen: true } } } });
    const spent = new Map<number, number>();
    for (const v of votes) spent.set(v.personId, (spent.get(v.personId) ?? 0) + v.proposal.requestedFen);
    expect(Math.max(...spent.values())).toBeLessThanOrEqual(10000 * 100);
    expect(spent.size).toBe(residents);
    const ballots = await db.prisma.ballot.findMany({ where: { roundId: round.id } });
    expect(ballots.every((b) => b.spentFen === spent.get(b.personId))).toBe(true);
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(votes.length);
  });

  test('one person, one ballot across a telegram and a web account', async () => {
    const directory = new PersonDirectory(ctx);
    const web = await directory.resolve('web', 'zhang-web', '张阿姨');
    // Her telegram account is linked to the same person (as `user create --platform` links accounts).
    await db.prisma.identity.create({ data: { platform: 'telegram', externalId: '7001', displayName: '张阿姨', personId: web.personId } });
    const telegram = await directory.resolve('telegram', '7001', '张阿姨');
    expect(telegram.personId).toBe(web.personId);
    const communityId = await votingRound({ title: '联名账号', budgetYuan: 9000, style: 'approval', maxVotes: 2 }, [1000, 1000, 1000], [web.personId]);

    expect((await castVotes(ctx, { communityId, personId: telegram.personId, numbers: [1] })).votesLeft).toBe(1);
    expect(await refusal(castVotes(ctx, { communityId, personId: web.personId, numbers: [1] }))).toBe('ALREADY_VOTED');
    expect((await castVotes(ctx, { communityId, personId: web.personId, numbers: [2] })).votesLeft).toBe(0);
    expect(await refusal(castVotes(ctx, { communityId, personId: telegram.personId, numbers: [3] }))).toBe('VOTE_OVER_LIMIT');
    const ballot = await myBallot(ctx, { communityId, personId: web.personId });
    expect(ballot.proposals.map((p) => p.number)).toEqual([1, 2]);
    expect(ballot.state.votesLeft).toBe(0);
    // The same vote from both accounts at the same moment: one lands, the other is a second vote.
    await withdrawVote(ctx, { communityId, personId: web.personId, number: 2 });
    const both = await Promise.all([web, telegram].map((a) => refusal(castVotes(ctx, { communityId, personId: a.personId, numbers: [3] }))));
    expect(both.sort()).toEqual(['ALREADY_VOTED', 'accepted']);
    expect(await db.prisma.vote.count({ where: { personId: web.personId, round: { communityId } } })).toBe(2);
    expect((await db.prisma.ballot.findFirstOrThrow({ where: { personId: web.personId, round: { communityId } } })).votes).toBe(2);
  });

  test('refusals: a newcomer after voting opened, a person seen only in another community, not approved, outside voting; tally winners become projects', async () => {
    const { id: communityId } = await createCommunity(ctx, { code: 'TALLY', name: '计票社区' });
    const { id: elsewhere } = await createCommunity(ctx, { code: 'ELSE', name: '隔壁社区' });
    const [a, b, c, d] = people;
    await seenIn(communityId, [author, a!, b!, c!]);
    // d has only ever been seen in the next community's groups.
    await seenIn(elsewhere, [d!]);
    await createRound(ctx, { communityId, title: '计票', budgetYuan: 5000, style: 'approval', maxVotes: 3, minVotes: 2, via: 'cli' });
    expect(await refusal(submitProposal(ctx, { communityId, personId: author, title: '太早', requestedYuan: 100 }))).toBe('NO_ROUND');
    await changePhase(ctx, { communityId, round: 1, to: 'collecting', actorId: null, via: 'cli' }, ventureAnnouncer);
    expect(await refusal(submitProposal(ctx, { communityId, personId: author, title: '太贵', requestedYuan: 6000 }))).toBe('PROPOSAL_OVER_BUDGET');
    for (const [title, yuan] of [['图书角', 2000], ['花园', 3000], ['健身角', 2000], ['被拒', 100], ['一票', 100]] as const) {
      await submitProposal(ctx, { communityId, personId: author, title, requestedYuan: yuan });
    }
    for (const n of [1, 2, 3, 5]) await reviewProposal(ctx, { communityId, number: n, approve: true, actorId: null, via: 'cli' });
    // A decline needs a reason; with one, the proposer is told why.
    expect(await refusal(reviewProposal(ctx, { communityId, number: 4, approve: false, actorId: null, via: 'cli' }))).toBe('REASON_NEEDED');
    const declined = await reviewProposal(ctx, { communityId, number: 4, approve: false, reason: '不在社区范围内', actorId: null, via: 'cli' });
    expect(declined.effects).toEqual([
      { kind: 'notify', notices: [expect.objectContaining({ personId: author, message: 'proposalDeclined', params: expect.objectContaining({ reason: '不在社区范围内' }) })] },
    ]);
    expect(await refusal(castVotes(ctx, { communityId, personId: a!, numbers: [1] }))).toBe('VOTING_NOT_OPEN');
    await changePhase(ctx, { communityId, round: 1, to: 'voting', actorId: null, via: 'cli' }, ventureAnnouncer);
    expect(await refusal(reviewProposal(ctx, { communityId, number: 4, approve: true, actorId: null, via: 'cli' }))).toBe('NOT_REVIEWING');
    const newcomer = (await db.prisma.person.create({ data: { displayName: '新来的' } })).id;
    expect(await refusal(castVotes(ctx, { communityId, personId: newcomer, numbers: [1] }))).toBe('NOT_SEEN_HERE');
    // First seen in the community's groups after the vote opened: too late for this round.
    await recordMember(ctx, newcomer, communityId);
    expect(await refusal(castVotes(ctx, { communityId, personId: newcomer, numbers: [1] }))).toBe('MAY_NOT_VOTE');
    // Seen before the vote opened, but only in another community's groups.
    expect(await refusal(castVotes(ctx, { communityId, personId: d!, numbers: [1] }))).toBe('NOT_SEEN_HERE');
    expect(await refusal(castVotes(ctx, { communityId, personId: a!, numbers: [4] }))).toBe('PROPOSAL_NOT_ON_BALLOT');
    expect(await refusal(castVotes(ctx, { communityId, personId: a!, numbers: [9] }))).toBe('PROPOSAL_NOT_FOUND');
    // 花园 (3,000) 3 votes; 图书角 and 健身角 (2,000 each) 2 votes, 图书角 submitted first; 一票 1 vote.
    await castVotes(ctx, { communityId, personId: a!, numbers: [2, 1, 5] });
    await castVotes(ctx, { communityId, personId: b!, numbers: [2, 3] });
    await castVotes(ctx, { communityId, personId: c!, numbers: [2, 3, 1] });
    // Hidden tallies: residents see no counts while voting.
    expect((await listProposals(ctx, { communityId, viewerId: a! })).proposals.map((p) => p.votes)).toEqual([null, null, null, null]);
    const r = await closeVoting(ctx, { communityId, actorId: null, via: 'cli' }, ventureAnnouncer);
    expect(r.ranking.map((x) => [x.number, x.votes, x.winner])).toEqual([
      [2, 3, true],
      [1, 2, true],
      [3, 2, false], // does not fit what is left of the budget
      [5, 1, false], // below minVotes
    ]);
    const winners = await db.prisma.proposal.findMany({ where: { round: { communityId }, status: 'winner' }, include: { project: true }, orderBy: { number: 'asc' } });
    expect(winners.map((w) => [w.number, w.grantFen, w.project?.title, w.project?.communityId])).toEqual([
      [1, 200000, '图书角', communityId],
      [2, 300000, '花园', communityId],
    ]);
    expect(r.effects.filter((e) => e.kind === 'notify').flatMap((e) => (e.kind === 'notify' ? e.notices.map((n) => n.message) : []))).toEqual(['proposalWon', 'proposalWon']);
    expect(await refusal(castVotes(ctx, { communityId, personId: a!, numbers: [3] }))).toBe('VOTING_NOT_OPEN');
    const after = await listProposals(ctx, { communityId, viewerId: a! });
    expect(after.proposals.map((p) => [p.number, p.votes])).toEqual([
      [2, 3],
      [1, 2],
      [3, 2],
      [5, 1],
    ]);
  });
});
