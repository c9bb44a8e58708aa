import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { notify } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { currentRound, proposalByNumber, requireRoundWorker, roundOf, yuanOf, type RoundOwner } from './rounds.ts';

export const reviewProposalInput = z.object({
  /** Where the worker reviews: a community (its current round, or its round N), or a street's round N. */
  communityId: z.number().int().optional(),
  streetId: z.number().int().optional(),
  /** The round's number; absent: the community's current round (its own or its street's). */
  round: z.number().int().positive().optional(),
  number: z.number().int().positive(),
  approve: z.boolean(),
  reason: z.string().trim().max(200).default(''),
  actorId: z.number().int().nullable(),
  via: z.enum(['chat', 'cli', 'api', 'console']),
})
  .refine((i) => (i.communityId === undefined) !== (i.streetId === undefined), { message: 'a community or a street', path: ['communityId'] })
  .refine((i) => i.communityId !== undefined || i.round !== undefined, { message: "a street's round by its number", path: ['round'] });
export type ReviewProposalInput = z.input<typeof reviewProposalInput>;

/**
 * `审核提案 N 通过|不通过 原因`: a worker puts proposal N on the ballot or declines it (with a
 * reason), while the round collects or is in review; a decision may be changed until voting
 * opens; a decline without a reason is REASON_NEEDED. Returns the proposal and the effects: the proposer is told in private.
 */
export async function reviewProposal(ctx: CoreContext, input: ReviewProposalInput) {
  const i = reviewProposalInput.parse(input);
  if (i.actorId !== null && i.communityId !== undefined) await requireWorker(ctx, i.actorId, i.communityId);
  if (!i.approve && i.reason === '') throw new AppError('REASON_NEEDED');
  const owner: RoundOwner = i.communityId !== undefined ? { communityId: i.communityId } : { streetId: i.streetId ?? -1 };
  const round = i.round === undefined ? await currentRound(ctx.prisma, i.communityId ?? -1) : await roundOf(ctx.prisma, owner, i.round);
  // A street's round is reviewed by the street's workers.
  if (i.actorId !== null) await requireRoundWorker(ctx, i.actorId, round);
  if (round.phase !== 'collecting' && round.phase !== 'reviewing') throw new AppError('NOT_REVIEWING', { round: round.number, phase: round.phase });
  const found = await proposalByNumber(ctx.prisma, round.id, i.number);
  const status = i.approve ? 'approved' : 'declined';
  return ctx.prisma.$transaction(async (tx) => {
    // Only while the round is still before the vote: a ballot never changes under the voters.
    const locked = await tx.$queryRaw<Array<{ phase: string }>>`SELECT phase::text FROM "ProposalRound" WHERE id = ${round.id} FOR UPDATE`;
    const phase = locked[0]?.phase;
    if (phase !== 'collecting' && phase !== 'reviewing') throw new AppError('NOT_REVIEWING', { round: round.number, phase: phase ?? '' });
    const proposal = await tx.proposal.update({
      where: { id: found.id },
      data: { status, reviewReason: i.reason, reviewedById: i.actorId, reviewedAt: ctx.clock.now() },
    });
    await writeAudit(tx, {
      communityId: found.communityId ?? round.communityId,
      actorId: i.actorId,
      via: i.via,
      action: `proposal.${i.approve ? 'approve' : 'decline'}`,
      entity: 'Proposal',
      entityId: proposal.id,
      before: { status: found.status },
      after: { status, reason: i.reason },
    });
    const effects = notify([
      {
        personId: proposal.authorId,
        // Per decision: a changed decision is told too, the same one twice once.
        key: `proposal:${proposal.id}:review:${status}:${proposal.reviewedAt?.getTime() ?? 0}`,
        message: i.approve ? ('proposalApproved' as const) : ('proposalDeclined' as const),
        params: { number: proposal.number, title: proposal.title, yuan: yuanOf(proposal.requestedFen), reason: i.reason },
      },
    ]);
    return { round, proposal, previous: found.status, effects };
  });
}
