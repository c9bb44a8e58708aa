import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { findProject } from './find-project.ts';
import { isNeedCategory } from '../needs/categories.ts';

export const editProjectInput = z.object({
  communityId: z.number().int(),
  number: z.number().int().positive(),
  title: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(2000).optional(),
  /** A need category code, or null for none. */
  category: z.string().refine(isNeedCategory, 'unknown category').nullable().optional(),
  /** Who may take part: volunteers sign up, organizations claim, or both. */
  claimType: z.enum(['volunteers', 'organization', 'both']).optional(),
  allowMultipleClaims: z.boolean().optional(),
  actorId: z.number().int().nullable().default(null),
  via: z.enum(['chat', 'cli', 'api', 'console']).default('api'),
});
export type EditProjectInput = z.input<typeof editProjectInput>;

/**
 * Changes a project's title, description, category or claim settings. One AuditLog row carries the changed fields before
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
    const before: Record<string, string | boolean | null> = {};
    const after: Record<string, string | boolean | null> = {};
    if (i.title !== undefined && i.title !== project.title) {
      before.title = project.title;
      after.title = i.title;
    }
    if (i.description !== undefined && i.description !== project.description) {
      before.description = project.description;
      after.description = i.description;
    }
    if (i.category !== undefined && i.category !== project.category) {
      before.category = project.category;
      after.category = i.category;
    }
    if (i.claimType !== undefined && i.claimType !== project.claimType) {
      before.claimType = project.claimType;
      after.claimType = i.claimType;
    }
    if (i.allowMultipleClaims !== undefined && i.allowMultipleClaims !== project.allowMultipleClaims) {
      before.allowMultipleClaims = project.allowMultipleClaims;
      after.allowMultipleClaims = i.allowMultipleClaims;
    }
    if (Object.keys(after).length === 0) return { project, changed: false };
    const updated = await tx.project.update({
      where: { id: project.id },
      data: {
        ...('title' in after ? { title: i.title } : {}),
        ...('description' in after ? { description: i.description } : {}),
        ...('category' in after ? { category: i.category } : {}),
        ...('claimType' in after ? { claimType: i.claimType } : {}),
        ...('allowMultipleClaims' in after ? { allowMultipleClaims: i.allowMultipleClaims } : {}),
      },
    });
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
