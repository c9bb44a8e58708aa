import type { CoreContext } from '../context.ts';

/**
 * Whether a person may act as a community worker for this community: a worker or admin grant
 * on the community itself, on its street, or on its district.
 */
export async function isWorker(ctx: CoreContext, personId: number, communityId: number): Promise<boolean> {
  const community = await ctx.prisma.community.findUnique({
    where: { id: communityId },
    select: { streetId: true, street: { select: { districtId: true } } },
  });
  if (!community) return false;
  const scopes: Array<{ communityId?: number; streetId?: number; districtId?: number }> = [{ communityId }];
  if (community.streetId) scopes.push({ streetId: community.streetId });
  if (community.street?.districtId) scopes.push({ districtId: community.street.districtId });
  const grant = await ctx.prisma.roleGrant.findFirst({
    where: { personId, role: { in: ['worker', 'admin'] }, OR: scopes },
    select: { id: true },
  });
  return grant !== null;
}

/** The communities where a person holds a worker or admin grant directly (for `绑定` in private). */
export async function workerCommunityIds(ctx: CoreContext, personId: number): Promise<number[]> {
  const grants = await ctx.prisma.roleGrant.findMany({
    where: { personId, role: { in: ['worker', 'admin'] }, communityId: { not: null } },
    select: { communityId: true },
  });
  return grants.flatMap((g) => (g.communityId === null ? [] : [g.communityId]));
}

/** Whether a person is a worker (or admin) for a street: a grant on the street or on its district. */
export async function isStreetWorker(ctx: CoreContext, personId: number, streetId: number): Promise<boolean> {
  const street = await ctx.prisma.street.findUnique({ where: { id: streetId }, select: { districtId: true } });
  if (!street) return false;
  const scopes: Array<{ streetId?: number; districtId?: number }> = [{ streetId }];
  if (street.districtId) scopes.push({ districtId: street.districtId });
  const grant = await ctx.prisma.roleGrant.findFirst({ where: { personId, role: { in: ['worker', 'admin'] }, OR: scopes }, select: { id: true } });
  return grant !== null;
}
