import { AppError } from '../../lib/errors.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import type { CoreContext } from '../context.ts';
import { findProject } from '../projects/find-project.ts';

/** Comments are kept to this many characters. */
export const feedbackMaxChars = 300;

/**
 * `评价 N <1-5> [话]`: a resident's rating of project N, one per person: rating again replaces the
 * earlier one (upsert on project and person), so the latest counts. Personal data in the comment
 * is masked before it is stored. A project not yet published (draft, review, declined) cannot be
 * rated (PROJECT_NOT_RATEABLE). Returns whether an earlier rating was replaced.
 */
export async function rateProject(ctx: CoreContext, input: { communityId: number; number: number; personId: number; rating: number; comment?: string }) {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new AppError('INVALID_INPUT');
  const project = await findProject(ctx.prisma, input.communityId, input.number);
  if (project.status === 'draft' || project.status === 'review' || project.status === 'declined') throw new AppError('PROJECT_NOT_RATEABLE', { number: project.number });
  const comment = maskPersonalData((input.comment ?? '').trim()).slice(0, feedbackMaxChars);
  const existing = await ctx.prisma.feedback.findUnique({ where: { projectId_personId: { projectId: project.id, personId: input.personId } }, select: { id: true } });
  const feedback = await ctx.prisma.feedback.upsert({
    where: { projectId_personId: { projectId: project.id, personId: input.personId } },
    create: { projectId: project.id, personId: input.personId, rating: input.rating, comment },
    update: { rating: input.rating, comment },
  });
  return { project: { number: project.number, title: project.title }, feedback, updated: existing !== null };
}
