import type { CoreContext } from '../context.ts';
import { ballotState, type BallotState } from './cast-votes.ts';
import { currentRound } from './rounds.ts';

/**
 * `我的投票`: the person's ballot in the community's current round (one Person: every platform
 * account of theirs), the proposals on it and what is left. Reads only.
 */
export async function myBallot(ctx: CoreContext, input: { communityId: number; personId: number }) {
  const round = await currentRound(ctx.prisma, input.communityId);
  const votes = await ctx.prisma.vote.findMany({
    where: { roundId: round.id, personId: input.personId },
    select: { proposal: { select: { number: true, title: true, requestedFen: true } } },
    orderBy: { proposal: { number: 'asc' } },
  });
  const state: BallotState = await ballotState(ctx, round, input.personId);
  return { round, proposals: votes.map((v) => v.proposal), state };
}
