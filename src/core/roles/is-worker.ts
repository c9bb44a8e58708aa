import type { CoreContext } from '../context.ts';

/**
 * Whether a person may act as a community worker for this community: a worker or admin grant
 * on the community itself, on its street, or on its district.
 */
export async function isWorker(ctx: CoreContext, personId: number, communityId: number): Promise<boolean> {
  // One statement (Prisma would read the community, its street and the grants in three).
  const [row] = await ctx.prisma.$queryRaw<Array<{ ok: boolean }>>`
    SELECT EXISTS (
      SELECT 1 FROM "Community" c
      LEFT JOIN "Street" s ON s.id = c."streetId"
      JOIN "RoleGrant" g ON g."personId" = ${personId} AND g.role::text IN ('worker', 'admin')
        AND (g."communityId" = c.id OR g."streetId" = c."streetId" OR g."districtId" = s."districtId")
      WHERE c.id = ${communityId}
    ) AS ok`;
  return row?.ok === true;
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
