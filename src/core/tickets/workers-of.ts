import type { Db } from '../../db/prisma.ts';

/** The people with a worker or admin grant on the community itself, each once. */
export async function communityWorkerIds(db: Db, communityId: number): Promise<number[]> {
  const grants = await db.roleGrant.findMany({ where: { communityId, role: { in: ['worker', 'admin'] } }, select: { personId: true }, orderBy: { id: 'asc' } });
  return [...new Set(grants.map((g) => g.personId))];
}

/** The workers above the community: grants on its street, else on its district; none when it has neither. */
export async function streetWorkerIds(db: Db, communityId: number): Promise<number[]> {
  const c = await db.community.findUnique({ where: { id: communityId }, select: { streetId: true, street: { select: { districtId: true } } } });
  const scopes: Array<{ streetId?: number; districtId?: number }> = [];
  if (c?.streetId) scopes.push({ streetId: c.streetId });
  if (c?.street?.districtId) scopes.push({ districtId: c.street.districtId });
  if (scopes.length === 0) return [];
  const grants = await db.roleGrant.findMany({ where: { role: { in: ['worker', 'admin'] }, OR: scopes }, select: { personId: true, streetId: true }, orderBy: { id: 'asc' } });
  // The street's own workers first; the district's only when the street has none.
  const street = grants.filter((g) => g.streetId !== null);
  return [...new Set((street.length ? street : grants).map((g) => g.personId))];
}
