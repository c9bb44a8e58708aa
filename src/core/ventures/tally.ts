import type { Db } from '../../db/prisma.ts';
import type { ProposalRound } from '../../generated/prisma/client.ts';
import { minSpendFen } from './rounds.ts';

export interface TalliedProposal {
  id: number;
  number: number;
  title: string;
  description: string;
  authorId: number;
  /** The community it was proposed in (null on older proposals: the round's). */
  communityId: number | null;
  requestedFen: number;
  status: 'submitted' | 'approved' | 'declined' | 'winner';
  votes: number;
  projectId: number | null;
}

/**
 * The votes of each proposal on a round's ballot (approved or winner), highest first, ties by the
 * earlier submission. A knapsack ballot that spends less than the round's minimum share of the
 * budget does not count. Reads only.
 */
export async function countVotes(db: Db, round: Pick<ProposalRound, 'id' | 'ballotStyle' | 'minShare' | 'budgetFen'>): Promise<TalliedProposal[]> {
  const minFen = minSpendFen(round);
  return db.$queryRaw<TalliedProposal[]>`
    SELECT p.id, p.number, p.title, p.description, p."authorId", p."communityId", p."requestedFen", p.status::text AS status, p."projectId",
           count(v.id) FILTER (WHERE b."spentFen" >= ${minFen})::int AS votes
    FROM "Proposal" p
    LEFT JOIN "Vote" v ON v."proposalId" = p.id
    LEFT JOIN "Ballot" b ON b."roundId" = v."roundId" AND b."personId" = v."personId"
    WHERE p."roundId" = ${round.id} AND p.status IN ('approved', 'winner')
    GROUP BY p.id
    ORDER BY votes DESC, p."createdAt" ASC, p.number ASC`;
}

/**
 * The winners: down the ranking, each proposal with at least `minVotes` votes (and at least one)
 * whose amount still fits what is left of the budget; one that does not fit is passed over and the
 * next ones still get their chance (the greedy rule of participatory budgeting). Pure.
 */
export function pickWinners(ranking: readonly TalliedProposal[], budgetFen: number, minVotes: number): Set<number> {
  const winners = new Set<number>();
  let left = budgetFen;
  for (const p of ranking) {
    if (p.votes < Math.max(1, minVotes)) continue;
    if (p.requestedFen > left) continue;
    winners.add(p.id);
    left -= p.requestedFen;
  }
  return winners;
}
