import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { findProject } from './find-project.ts';

export const editProjectInput = z.object({
  communityId: z.number().int(),
  number: z.number().int().positive(),
  title: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(2000).optional(),
  actorId: z.number().int().nullable().default(null),
  via: z.enum(['chat', 'cli', 'api', 'console']).default('api'),
});
export type EditProjectInput = z.input<typeof editProjectInput>;

/**
 * Changes a project's title or description. One AuditLog row carries the changed fields before
 * and after; a call that changes nothing writes nothing. Announcements already sent are not
 * re-sent. Only a worker of the community (or the CLI, actorId null) may do it. Safe to retry.
 */
export async function editProject(ctx: CoreContext, input: EditProjectInput) {
  const i = editProjectInput.parse(input);
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, i.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    const found = await findProject(tx, i.communityId, i.number);
    // Re-read under a row lock so `before` is what this edit replaced.
    await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${found.id} FOR UPDATE`;
    const project = await tx.project.findUniqueOrThrow({ where: { id: found.id } });
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    if (i.title !== undefined && i.title !== project.title) {
      before.title = project.title;
      after.title = i.title;
    }
    if (i.description !== undefined && i.description !== project.description) {
      before.description = project.description;
      after.description = i.description;
    }
    if (Object.keys(after).length === 0) return { project, changed: false };
    const updated = await tx.project.update({ where: { id: project.id }, data: after });
    await writeAudit(tx, {
      communityId: i.communityId,
      actorId: i.actorId,
      via: i.via,
      action: 'project.edit',
      entity: 'Project',
      entityId: project.id,
      before,
      after,
    });
    return { project: updated, changed: true };
  });
}
