import { AppError } from '../../lib/errors.ts';
import type { ProjectStatus } from '../../generated/prisma/enums.ts';
import type { Tx } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { findProject } from './find-project.ts';

/**
 * The project pipeline (domain.md): draft → review → published → in_progress → closed → evaluated,
 * or declined from draft or review. Publishing goes through publishProject.
 */
export const transitions: Record<ProjectStatus, readonly ProjectStatus[]> = {
  draft: ['review', 'published', 'declined'],
  review: ['draft', 'published', 'declined'],
  published: ['in_progress', 'closed'],
  in_progress: ['closed'],
  closed: ['evaluated'],
  evaluated: [],
  declined: ['draft'],
};

type Via = 'chat' | 'cli' | 'api' | 'console';

export async function changeProjectStatus(ctx: CoreContext, input: { communityId: number; number: number; to: ProjectStatus; actorId: number | null; via: Via }) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, input.communityId, input.number);
    return applyStatusChange(tx, project, { ...input, now: ctx.clock.now() });
  });
}

/**
 * Moves a project loaded in the caller's transaction to `to` (BAD_TRANSITION when the pipeline
 * does not allow it) and writes the audit row, in that transaction.
 */
export async function applyStatusChange(
  tx: Tx,
  project: { id: number; number: number; status: ProjectStatus; publishedAt: Date | null },
  input: { communityId: number; to: ProjectStatus; actorId: number | null; via: Via; now: Date },
) {
  if (!transitions[project.status].includes(input.to)) {
    throw new AppError('BAD_TRANSITION', { number: project.number, from: project.status, to: input.to });
  }
  const now = input.now;
  const updated = await tx.project.update({
    where: { id: project.id },
    data: {
      status: input.to,
      ...(input.to === 'published' && !project.publishedAt ? { publishedAt: now } : {}),
      ...(input.to === 'closed' ? { closedAt: now } : {}),
      ...(input.to === 'evaluated' ? { evaluatedAt: now } : {}),
    },
  });
  await writeAudit(tx, {
    communityId: input.communityId,
    actorId: input.actorId,
    via: input.via,
    action: 'project.status',
    entity: 'Project',
    entityId: project.id,
    before: { status: project.status },
    after: { status: input.to },
  });
  return updated;
}
