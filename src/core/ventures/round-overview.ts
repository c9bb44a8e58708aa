import type { CoreContext } from '../context.ts';
import { isWorker } from '../roles/is-worker.ts';
import { nextPhases } from './change-phase.ts';
import { countVotes } from './tally.ts';
import { roundByNumber, talliesVisible } from './rounds.ts';

/**
 * A community's 微创投 rounds, newest first, each with how many proposals it has, how many of
 * them are on the ballot, how many people voted and the money granted. Reads only; the caller
 * has decided the person may see the community.
 */
export async function listRounds(ctx: CoreContext, input: { communityId: number }) {
  const rounds = await ctx.prisma.proposalRound.findMany({
    where: { communityId: input.communityId },
    orderBy: { number: 'desc' },
    take: 200,
    include: { _count: { select: { proposals: true, ballots: { where: { votes: { gt: 0 } } } } } },
  });
  const ids = rounds.map((r) => r.id);
  const grouped = ids.length
    ? await ctx.prisma.proposal.groupBy({ by: ['roundId', 'status'], where: { roundId: { in: ids } }, _count: { _all: true }, _sum: { grantFen: true } })
    : [];
  return rounds.map((r) => {
    const mine = grouped.filter((g) => g.roundId === r.id);
    const count = (st: string) => mine.filter((g) => g.status === st).reduce((a, g) => a + g._count._all, 0);
    return {
      round: r,
      proposals: r._count.proposals,
      onBallot: count('approved') + count('winner'),
      waiting: count('submitted'),
      winners: count('winner'),
      voters: r._count.ballots,
      grantedFen: mine.reduce((a, g) => a + (g._sum.grantFen ?? 0), 0),
    };
  });
}

/**
 * The rounds of the community's street (a street's round covers the community), opened ones only,
 * newest first, with how many proposals they have and how many people voted (never tallies). Reads
 * only; run by the street's workers (CLI `--street`, or the chat's commands in any of its groups).
 */
export async function listStreetRounds(ctx: CoreContext, input: { communityId: number }) {
  const community = await ctx.prisma.community.findUnique({ where: { id: input.communityId }, select: { streetId: true, street: { select: { name: true } } } });
  if (!community?.streetId) return [];
  const rounds = await ctx.prisma.proposalRound.findMany({
    where: { streetId: community.streetId, phase: { not: 'draft' } },
    orderBy: { number: 'desc' },
    take: 50,
    include: { _count: { select: { proposals: true, ballots: { where: { votes: { gt: 0 } } } } } },
  });
  return rounds.map((r) => ({ round: r, street: community.street?.name ?? '', proposals: r._count.proposals, voters: r._count.ballots }));
}

/**
 * Round N of a community as the console shows it: every proposal with its proposer, status,
 * review reason, amount, grant, progress updates and project; the votes of each proposal on the
 * ballot when this person may see them (the community's workers always; others only when the
 * round shows them: {@link talliesVisible}); how many people voted; and the phases the round may
 * move to. ROUND_NOT_FOUND for another community's round. Reads only.
 */
export async function roundOverview(ctx: CoreContext, input: { communityId: number; number: number; viewerId: number }) {
  const round = await roundByNumber(ctx.prisma, input.communityId, input.number);
  const worker = await isWorker(ctx, input.viewerId, input.communityId);
  const withTallies = worker || talliesVisible(round);
  const [proposals, ranking, voters] = await Promise.all([
    ctx.prisma.proposal.findMany({
      where: { roundId: round.id },
      orderBy: { number: 'asc' },
      include: {
        author: { select: { displayName: true } },
        project: { select: { number: true, status: true } },
        updates: { orderBy: { id: 'desc' }, take: 20, select: { percent: true, milestone: true, note: true, createdAt: true } },
      },
    }),
    withTallies ? countVotes(ctx.prisma, round) : Promise.resolve([]),
    ctx.prisma.ballot.count({ where: { roundId: round.id, votes: { gt: 0 } } }),
  ]);
  const votes = new Map(ranking.map((r, i) => [r.id, { votes: r.votes, rank: i + 1 }]));
  return {
    round,
    worker,
    withTallies,
    /** Tallies a worker sees while residents do not (the vote is open and the round hides them). */
    talliesHiddenFromResidents: !talliesVisible(round),
    voters,
    moves: worker ? nextPhases(round.phase) : [],
    proposals: proposals.map((p) => ({
      id: p.id,
      number: p.number,
      title: p.title,
      description: p.description,
      author: p.author.displayName,
      requestedFen: p.requestedFen,
      status: p.status,
      reviewReason: p.reviewReason,
      reviewedAt: p.reviewedAt,
      grantFen: p.grantFen,
      progress: p.progress,
      project: p.project,
      updates: p.updates,
      votes: withTallies ? (votes.get(p.id)?.votes ?? null) : null,
      rank: withTallies ? (votes.get(p.id)?.rank ?? null) : null,
      createdAt: p.createdAt,
    })),
  };
}
export type RoundOverview = Awaited<ReturnType<typeof roundOverview>>;
