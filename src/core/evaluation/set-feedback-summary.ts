import { AppError } from '../../lib/errors.ts';
import { cleanText } from '../../lib/clean-text.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { findProject } from '../projects/find-project.ts';
import { requireWorker } from '../roles/require-worker.ts';

/** A summary longer than this is refused (the evaluation is one printed page). */
export const maxFeedbackSummaryChars = 2000;

/**
 * The summary of residents' feedback shown on project N's evaluation, as a worker wrote or edited
 * it (the LLM's `summariseFeedback` only drafts it; this is the one way it is saved). Personal
 * data is masked, as in the comments it sums up (the evaluation is printed and passed on). Empty
 * text removes it. Only a worker of the community (NOT_A_WORKER); audited in the same transaction; safe
 * to repeat.
 */
export async function setFeedbackSummary(
  ctx: CoreContext,
  input: { communityId: number; number: number; text: string; actorId: number; via: 'chat' | 'cli' | 'api' | 'console' },
): Promise<{ feedbackSummary: string | null }> {
  const text = maskPersonalData(cleanText(typeof input.text === 'string' ? input.text : '')).trim();
  if (Array.from(text).length > maxFeedbackSummaryChars) throw new AppError('INVALID_INPUT', { field: 'summary' });
  await requireWorker(ctx, input.actorId, input.communityId);
  const feedbackSummary = text || null;
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, input.communityId, input.number);
    const before = await tx.project.findUniqueOrThrow({ where: { id: project.id }, select: { feedbackSummary: true } });
    await tx.project.update({ where: { id: project.id }, data: { feedbackSummary } });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'project.feedback_summary',
      entity: 'Project',
      entityId: project.id,
      before: { feedbackSummary: before.feedbackSummary },
      after: { feedbackSummary },
    });
    return { feedbackSummary };
  });
}
