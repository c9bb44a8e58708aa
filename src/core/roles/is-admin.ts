import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';

/**
 * Whether a person is an administrator for this community: an `admin` grant on the community
 * itself, its street or its district (a worker grant is not enough; the console's own account
 * administration, ConsoleUser.isAdmin, never is).
 */
export async function isCommunityAdmin(ctx: CoreContext, personId: number, communityId: number): Promise<boolean> {
  const community = await ctx.prisma.community.findUnique({ where: { id: communityId }, select: { streetId: true, street: { select: { districtId: true } } } });
  if (!community) return false;
  const scopes: Array<{ communityId?: number; streetId?: number; districtId?: number }> = [{ communityId }];
  if (community.streetId) scopes.push({ streetId: community.streetId });
  if (community.street?.districtId) scopes.push({ districtId: community.street.districtId });
  const grant = await ctx.prisma.roleGrant.findFirst({ where: { personId, role: 'admin', OR: scopes }, select: { id: true } });
  return grant !== null;
}

/** Throws NOT_AN_ADMIN unless the person is an administrator for the community. */
export async function requireCommunityAdmin(ctx: CoreContext, personId: number, communityId: number): Promise<void> {
  if (!(await isCommunityAdmin(ctx, personId, communityId))) throw new AppError('NOT_AN_ADMIN');
}
