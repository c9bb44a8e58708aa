import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { notify } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { currentRound, fenOf, maxYuan, roundWorkerIds, yuanOf } from './rounds.ts';

export const proposalTitleMax = 60;
export const proposalTextMax = 1000;

export const submitProposalInput = z.object({
  communityId: z.number().int(),
  personId: z.number().int(),
  title: z.string().trim().min(1).max(proposalTitleMax),
  description: z.string().trim().max(proposalTextMax).default(''),
  /** The grant asked for, in yuan. */
  requestedYuan: z.number().positive().max(maxYuan),
});
export type SubmitProposalInput = z.input<typeof submitProposalInput>;

/**
 * `提案 标题；内容；预算 2000`: a resident proposes a small project to the community's current round,
 * only while it collects, for no more than the round's budget. Numbered per round. Returns the
 * proposal and the effects: the community's workers are told it waits for review.
 */
export async function submitProposal(ctx: CoreContext, input: SubmitProposalInput) {
  const i = submitProposalInput.parse(input);
  const round = await currentRound(ctx.prisma, i.communityId);
  if (round.phase !== 'collecting') throw new AppError('NOT_COLLECTING', { round: round.number, phase: round.phase });
  const requestedFen = fenOf(i.requestedYuan);
  if (requestedFen > round.budgetFen) throw new AppError('PROPOSAL_OVER_BUDGET', { yuan: yuanOf(requestedFen), budget: yuanOf(round.budgetFen) });
  const workers = await roundWorkerIds(ctx.prisma, round);
  return ctx.prisma.$transaction(async (tx) => {
    // The phase again, with the counter bump: a proposal cannot slip in after collecting ended.
    const bumped = await tx.proposalRound.updateMany({ where: { id: round.id, phase: 'collecting' }, data: { proposalSeq: { increment: 1 } } });
    if (bumped.count === 0) throw new AppError('NOT_COLLECTING', { round: round.number, phase: 'reviewing' });
    const { proposalSeq } = await tx.proposalRound.findUniqueOrThrow({ where: { id: round.id }, select: { proposalSeq: true } });
    const proposal = await tx.proposal.create({
      data: { roundId: round.id, communityId: i.communityId, number: proposalSeq, title: i.title, description: i.description, authorId: i.personId, requestedFen },
    });
    await writeAudit(tx, {
      communityId: i.communityId,
      actorId: i.personId,
      via: 'chat',
      action: 'proposal.submit',
      entity: 'Proposal',
      entityId: proposal.id,
      after: { round: round.number, number: proposal.number, title: proposal.title, requestedFen },
    });
    const author = await tx.person.findUniqueOrThrow({ where: { id: i.personId }, select: { displayName: true } });
    const effects = notify(
      workers.map((personId) => ({
        personId,
        key: `proposal:${proposal.id}:toworker:${personId}`,
        message: 'proposalToWorkers' as const,
        params: { number: proposal.number, title: proposal.title, yuan: yuanOf(requestedFen), person: author.displayName },
      })),
    );
    return { round, proposal, effects };
  });
}
