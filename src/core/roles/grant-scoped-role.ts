import { AppError } from '../../lib/errors.ts';
import type { Db, Tx } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';

/** Where a grant applies: one community (by code), one street or one district (by code or name). */
export type GrantScope = { community: string } | { street: string } | { district: string };

/** The scope's row and its RoleGrant key ("community:<id>", "street:<id>", "district:<id>"). */
export async function resolveScope(db: Db, scope: GrantScope) {
  if ('community' in scope) {
    const c = await db.community.findUnique({ where: { code: scope.community.trim().toUpperCase() }, select: { id: true, name: true } });
    if (!c) throw new AppError('COMMUNITY_NOT_FOUND', { code: scope.community });
    return { key: `community:${c.id}`, data: { communityId: c.id }, communityId: c.id as number | null, label: c.name };
  }
  if ('street' in scope) {
    const s = await db.street.findFirst({ where: { OR: [{ code: scope.street.trim() }, { name: scope.street.trim() }] }, select: { id: true, name: true } });
    if (!s) throw new AppError('COMMUNITY_NOT_FOUND', { code: scope.street });
    return { key: `street:${s.id}`, data: { streetId: s.id }, communityId: null, label: s.name };
  }
  const d = await db.district.findFirst({ where: { OR: [{ code: scope.district.trim() }, { name: scope.district.trim() }] }, select: { id: true, name: true } });
  if (!d) throw new AppError('COMMUNITY_NOT_FOUND', { code: scope.district });
  return { key: `district:${d.id}`, data: { districtId: d.id }, communityId: null, label: d.name };
}

/** Who gets which role where, and who gave it. */
export interface ScopedGrantInput {
  personId: number;
  role: 'worker' | 'admin' | 'viewer';
  scope: GrantScope;
  actorId: number | null;
  via: 'chat' | 'cli' | 'api' | 'console';
}

/**
 * Gives a person a role on a community, a street or a district (street and district staff see,
 * and as workers act in, every community below). Granting twice is a no-op. Audited.
 */
export async function grantScopedRole(ctx: CoreContext, input: ScopedGrantInput) {
  return ctx.prisma.$transaction((tx) => grantScopedRoleIn(tx, input));
}

/** grantScopedRole inside the caller's transaction (a console account is made with its grants in one). */
export async function grantScopedRoleIn(tx: Tx, input: ScopedGrantInput) {
  const s = await resolveScope(tx, input.scope);
  const existing = await tx.roleGrant.findUnique({ where: { personId_role_scope: { personId: input.personId, role: input.role, scope: s.key } } });
  if (existing) return { grant: existing, created: false, label: s.label };
  const grant = await tx.roleGrant.create({
    data: { personId: input.personId, role: input.role, scope: s.key, ...s.data, grantedById: input.actorId },
  });
  if (s.communityId !== null) {
    await tx.person.updateMany({ where: { id: input.personId, homeCommunityId: null }, data: { homeCommunityId: s.communityId } });
  }
  await writeAudit(tx, {
    communityId: s.communityId,
    actorId: input.actorId,
    via: input.via,
    action: 'role.grant',
    entity: 'RoleGrant',
    entityId: grant.id,
    after: { personId: input.personId, role: input.role, scope: s.key },
  });
  return { grant, created: true, label: s.label };
}
