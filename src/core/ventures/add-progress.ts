import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { announceRound, currentRound, proposalByNumber, requireRoundWorker, roundByNumber, type AnnounceCommunity, type VentureAnnouncer } from './rounds.ts';

export const addProgressInput = z.object({
  communityId: z.number().int(),
  round: z.number().int().positive().optional(),
  number: z.number().int().positive(),
  percent: z.number().int().min(0).max(100),
  /** The milestone this update marks, if any (console: 书架装好); announced with the percent. */
  milestone: z.string().trim().max(60).default(''),
  note: z.string().trim().max(300).default(''),
  actorId: z.number().int().nullable(),
  via: z.enum(['chat', 'cli', 'api', 'console']),
});
export type AddProgressInput = z.input<typeof addProgressInput>;

/**
 * `提案进度 N 50% 说明` (or the console, with a milestone): a worker records how far winning proposal N's project has come, after the
 * vote (results or tracking), and it is announced to the community's groups. Returns the update and
 * the effects (the broadcast).
 */
export async function addProgress(ctx: CoreContext, input: AddProgressInput, announcer: VentureAnnouncer) {
  const i = addProgressInput.parse(input);
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, i.communityId);
  const round = i.round === undefined ? await currentRound(ctx.prisma, i.communityId) : await roundByNumber(ctx.prisma, i.communityId, i.round);
  // A street's round is tracked by the street's workers; its updates reach all its communities.
  if (i.actorId !== null) await requireRoundWorker(ctx, i.actorId, round);
  if (round.phase !== 'results' && round.phase !== 'tracking') throw new AppError('NOT_TRACKING', { round: round.number, phase: round.phase });
  const proposal = await proposalByNumber(ctx.prisma, round.id, i.number);
  if (proposal.status !== 'winner') throw new AppError('PROPOSAL_NOT_WINNER', { number: proposal.number });
  return ctx.prisma.$transaction(async (tx) => {
    const update = await tx.proposalUpdate.create({ data: { proposalId: proposal.id, percent: i.percent, milestone: i.milestone, note: i.note, createdById: i.actorId } });
    const updated = await tx.proposal.update({ where: { id: proposal.id }, data: { progress: i.percent }, include: { project: { select: { number: true } } } });
    await writeAudit(tx, {
      communityId: i.communityId,
      actorId: i.actorId,
      via: i.via,
      action: 'proposal.progress',
      entity: 'Proposal',
      entityId: proposal.id,
      before: { progress: proposal.progress },
      after: { progress: i.percent, milestone: i.milestone, note: i.note },
    });
    const text = (community: AnnounceCommunity) =>
      announcer.progress(round, { number: updated.number, title: updated.title, projectNumber: updated.project?.number ?? null }, { percent: i.percent, milestone: i.milestone, note: i.note }, community);
    const effects = await announceRound(tx, round, { text, actorId: i.actorId, via: i.via });
    return { round, proposal: updated, update, effects };
  });
}
