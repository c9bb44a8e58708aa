import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { notify, type Notice } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';

/**
 * A worker approves or declines a claim. One approved claim per project unless the project allows
 * several. Returns the decision and the effects: the claimant is told.
 */
export async function decideClaim(
  ctx: CoreContext,
  input: { communityId: number; claimId: number; approve: boolean; reason?: string; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' },
) {
  const claim = await ctx.prisma.claim.findUnique({ where: { id: input.claimId }, include: { project: true, organization: true } });
  if (!claim || claim.project.communityId !== input.communityId) throw new AppError('CLAIM_NOT_FOUND', { id: input.claimId });
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    if (input.approve && !claim.project.allowMultipleClaims) {
      // Lock the project row so two approvals at once cannot both pass this check.
      await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${claim.projectId} FOR UPDATE`;
      const other = await tx.claim.findFirst({ where: { projectId: claim.projectId, status: 'approved', id: { not: claim.id } } });
      if (other) throw new AppError('CLAIM_TAKEN', { number: claim.project.number });
    }
    const decided = await tx.claim.updateMany({
      where: { id: claim.id, status: 'pending' },
      data: { status: input.approve ? 'approved' : 'declined', decidedById: input.actorId, decidedAt: ctx.clock.now(), note: input.reason ?? '' },
    });
    if (decided.count === 0) throw new AppError('CLAIM_DECIDED', { id: claim.id, status: claim.status });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: input.approve ? 'claim.approve' : 'claim.decline',
      entity: 'Claim',
      entityId: claim.id,
      before: { status: claim.status },
      after: { status: input.approve ? 'approved' : 'declined', reason: input.reason ?? '' },
    });
    const decision: ClaimDecision = {
      claimId: claim.id,
      approved: input.approve,
      requestedById: claim.requestedById,
      projectNumber: claim.project.number,
      projectTitle: claim.project.title,
      organization: claim.organization.name,
      reason: input.reason ?? '',
    };
    return { ...decision, effects: notify([claimDecidedNotice(decision)]) };
  });
}

/** What decideClaim decided, as far as telling the claimant needs it. */
export interface ClaimDecision {
  claimId: number;
  approved: boolean;
  requestedById: number;
  projectNumber: number;
  projectTitle: string;
  organization: string;
  reason: string;
}

/**
 * The private notice that tells the person who filed a claim how it was decided. Its key is per
 * claim, so whether the worker decided in the chat or through the API, it is queued once. Not
 * informational: the claimant asked, so they are told even after 退订.
 */
export function claimDecidedNotice(d: ClaimDecision): Notice {
  return {
    personId: d.requestedById,
    key: `claim:${d.claimId}:decided`,
    message: d.approved ? 'claimApproved' : 'claimDeclined',
    params: { org: d.organization, number: d.projectNumber, title: d.projectTitle, reason: d.reason },
  };
}
