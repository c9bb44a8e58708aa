import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireCommunityAdmin } from '../roles/is-admin.ts';

export const voteAuditInput = z.object({
  communityId: z.number().int(),
  actorId: z.number().int(),
  /** Why the votes are taken out (recorded). */
  reason: z.string().trim().min(1).max(200),
  via: z.enum(['api', 'console']),
});

/** One vote as the audited export shows it: who cast it is a pseudonym, never a person. */
export interface AuditedVote {
  round: number;
  roundTitle: string;
  /** `V-` and 12 hex digits: the same for one voter's votes within a round of this export, nothing more. */
  voter: string;
  proposal: number;
  proposalTitle: string;
  castAt: Date;
  /** Whether the ballot counts in the tally (a knapsack ballot under the minimum share does not). */
  counts: boolean;
}

/**
 * The individual votes of every round of a community, for an administrator's audit (recount a
 * tally, see that no ballot went over its limit): only an administrator of the community (an
 * `admin` grant: NOT_AN_ADMIN otherwise), and recorded (AuditLog `export.votes`: who, why, how
 * many) before the rows are returned. Voters are pseudonyms keyed by a random secret made for
 * this export and then forgotten: one voter's votes in a round share a pseudonym, so ballots can
 * be recounted, but nobody (the administrator included) can tell from the file who cast them, nor
 * link a voter across rounds or across two exports.
 */
export async function auditedVoteExport(ctx: CoreContext, input: z.input<typeof voteAuditInput>): Promise<AuditedVote[]> {
  const i = voteAuditInput.parse(input);
  await requireCommunityAdmin(ctx, i.actorId, i.communityId);
  const rows = await ctx.prisma.$queryRaw<Array<{ round: number; roundTitle: string; roundId: number; personId: number; proposal: number; proposalTitle: string; castAt: Date; counts: boolean }>>`
    SELECT r.number AS round, r.title AS "roundTitle", r.id AS "roundId", v."personId", p.number AS proposal, p.title AS "proposalTitle", v."createdAt" AS "castAt",
           (r."ballotStyle" <> 'knapsack' OR b."spentFen" >= ceil(COALESCE(r."minShare", 0) * r."budgetFen")) AS counts
    FROM "Vote" v
    JOIN "ProposalRound" r ON r.id = v."roundId"
    JOIN "Proposal" p ON p.id = v."proposalId"
    LEFT JOIN "Ballot" b ON b."roundId" = v."roundId" AND b."personId" = v."personId"
    WHERE r."communityId" = ${i.communityId}
    ORDER BY r.number, p.number, v.id`;
  await writeAudit(ctx.prisma, {
    communityId: i.communityId,
    actorId: i.actorId,
    via: i.via,
    action: 'export.votes',
    entity: 'Export',
    entityId: 'votes',
    after: { rows: rows.length, rounds: [...new Set(rows.map((r) => r.round))], reason: i.reason, pseudonymous: true },
  });
  const key = randomBytes(32);
  const pseudonym = (roundId: number, personId: number) => `V-${createHmac('sha256', key).update(`${roundId}:${personId}`).digest('hex').slice(0, 12)}`;
  return rows.map((r) => ({
    round: r.round,
    roundTitle: r.roundTitle,
    voter: pseudonym(r.roundId, r.personId),
    proposal: r.proposal,
    proposalTitle: r.proposalTitle,
    castAt: r.castAt,
    counts: r.counts,
  }));
}
