import type { CoreContext } from '../context.ts';
import { isWorker } from '../roles/is-worker.ts';
import { countVotes } from './tally.ts';
import { currentRound, talliesVisible } from './rounds.ts';

/**
 * `提案清单`: the current round's proposals with their numbers and amounts. Residents see the ones
 * on the ballot (and their own, whatever their status); the community's workers see all, to
 * review them. Votes are shown only when the round shows them during the vote, or after it (then
 * in ranking order with the winners). Reads only.
 */
export async function listProposals(ctx: CoreContext, input: { communityId: number; viewerId: number }) {
  const round = await currentRound(ctx.prisma, input.communityId);
  const worker = await isWorker(ctx, input.viewerId, input.communityId);
  const all = await ctx.prisma.proposal.findMany({
    where: { roundId: round.id },
    select: { id: true, number: true, title: true, requestedFen: true, status: true, authorId: true, progress: true, project: { select: { number: true } } },
    orderBy: { number: 'asc' },
  });
  const shown = all.filter((p) => worker || p.authorId === input.viewerId || p.status === 'approved' || p.status === 'winner');
  const withTallies = talliesVisible(round);
  let votes = new Map<number, number>();
  let order = shown;
  if (withTallies) {
    const ranking = await countVotes(ctx.prisma, round);
    votes = new Map(ranking.map((r) => [r.id, r.votes]));
    const rank = new Map(ranking.map((r, idx) => [r.id, idx]));
    order = [...shown].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || a.number - b.number);
  }
  return {
    round,
    withTallies,
    proposals: order.map((p) => ({
      number: p.number,
      title: p.title,
      requestedFen: p.requestedFen,
      status: p.status,
      progress: p.progress,
      projectNumber: p.project?.number ?? null,
      votes: withTallies ? (votes.get(p.id) ?? 0) : null,
    })),
  };
}
