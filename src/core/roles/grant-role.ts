import { z } from 'zod';
import { platforms } from '../chat.ts';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { ensurePerson } from '../people/resolve-person.ts';
import { communityCodeSchema } from '../communities/create-community.ts';

export const grantRoleInput = z.object({
  community: communityCodeSchema,
  role: z.enum(['worker', 'admin', 'viewer']),
  platform: z.enum(platforms),
  user: z.string().trim().min(1).max(200),
  name: z.string().trim().max(100).optional(),
});
export type GrantRoleInput = z.input<typeof grantRoleInput>;

/** Gives the person behind a platform account a role in one community. Granting twice is a no-op. */
export async function grantRole(ctx: CoreContext, input: GrantRoleInput, actorId?: number) {
  const i = grantRoleInput.parse(input);
  const community = await ctx.prisma.community.findUnique({ where: { code: i.community } });
  if (!community) throw new AppError('COMMUNITY_NOT_FOUND', { code: i.community });
  const personId = await ensurePerson(ctx, i.platform, i.user, i.name ?? '');
  const scope = `community:${community.id}`;
  return ctx.prisma.$transaction(async (tx) => {
    const existing = await tx.roleGrant.findUnique({ where: { personId_role_scope: { personId, role: i.role, scope } } });
    if (existing) return existing;
    const grant = await tx.roleGrant.create({
      data: { personId, role: i.role, scope, communityId: community.id, grantedById: actorId ?? null },
    });
    // A worker's private chat with the bot is about their community until they act in another one's group.
    await tx.person.updateMany({ where: { id: personId, homeCommunityId: null }, data: { homeCommunityId: community.id } });
    await writeAudit(tx, {
      communityId: community.id,
      actorId,
      via: 'cli',
      action: 'role.grant',
      entity: 'RoleGrant',
      entityId: grant.id,
      after: { personId, role: i.role, platform: i.platform, user: i.user },
    });
    return grant;
  });
}
