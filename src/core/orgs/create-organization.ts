import { z } from 'zod';
import { platforms } from '../chat.ts';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { isNeedCategory } from '../needs/categories.ts';
import { ensurePerson } from '../people/resolve-person.ts';
import { requireWorker } from '../roles/require-worker.ts';

export const createOrganizationInput = z.object({
  communityId: z.number().int(),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['resident_team', 'ngo', 'unit']).default('resident_team'),
  /** Need categories the organization serves (supply meets demand on publish). */
  serves: z.array(z.string().refine(isNeedCategory, 'unknown category')).default([]),
  areas: z.array(z.string().trim().min(1).max(50)).default([]),
  /** Members as platform accounts: "telegram:2001". */
  members: z.array(z.object({ platform: z.enum(platforms), user: z.string().min(1).max(200), name: z.string().optional() })).default([]),
  actorId: z.number().int().nullable().default(null),
  via: z.enum(['chat', 'cli', 'api', 'console']).default('cli'),
});
export type CreateOrganizationInput = z.input<typeof createOrganizationInput>;

/**
 * Creates (or updates, by name within the community) an organization and adds its members. Only a
 * worker of the community (or the CLI, actorId null); COMMUNITY_NOT_FOUND for a community that does
 * not exist, checked before any member's person is made.
 */
export async function createOrganization(ctx: CoreContext, input: CreateOrganizationInput) {
  const i = createOrganizationInput.parse(input);
  const community = await ctx.prisma.community.findUnique({ where: { id: i.communityId }, select: { id: true } });
  if (!community) throw new AppError('COMMUNITY_NOT_FOUND', { code: String(i.communityId) });
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, i.communityId);
  const memberIds: number[] = [];
  for (const m of i.members) memberIds.push(await ensurePerson(ctx, m.platform, m.user, m.name ?? ''));
  return ctx.prisma.$transaction(async (tx) => {
    const org = await tx.organization.upsert({
      where: { communityId_name: { communityId: i.communityId, name: i.name } },
      create: { communityId: i.communityId, name: i.name, kind: i.kind, serves: i.serves, areas: i.areas },
      update: { kind: i.kind, serves: i.serves, areas: i.areas },
    });
    await tx.organizationMember.createMany({
      data: memberIds.map((personId, idx) => ({ organizationId: org.id, personId, role: idx === 0 ? 'leader' : 'member' })),
      skipDuplicates: true,
    });
    await writeAudit(tx, {
      communityId: i.communityId,
      actorId: i.actorId,
      via: i.via,
      action: 'organization.upsert',
      entity: 'Organization',
      entityId: org.id,
      after: { name: org.name, kind: org.kind, serves: org.serves, members: i.members.map((m) => `${m.platform}:${m.user}`) },
    });
    return org;
  });
}
