import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';

/** A community as the console lists it, with the street and district it rolls up into. */
export interface VisibleCommunity {
  id: number;
  code: string;
  name: string;
  timezone: string;
  locale: string;
  streetId: number | null;
  streetName: string | null;
  districtId: number | null;
  districtName: string | null;
}

/** A level a person may look at: one community, a street's communities or a district's. */
export type Area = { level: 'community' | 'street' | 'district'; id: number; name: string };

const roles = ['worker', 'admin', 'viewer'] as const;

/**
 * The communities a person may look at: those of their worker, admin or viewer grants on a
 * community, on a street (its communities) or on a district (its streets' communities), sorted by
 * code. A viewer sees but may not change (the use cases' requireWorker refuses them). Reads only.
 */
export async function communitiesVisibleTo(ctx: CoreContext, personId: number): Promise<VisibleCommunity[]> {
  const grants = await ctx.prisma.roleGrant.findMany({
    where: { personId, role: { in: [...roles] } },
    select: { communityId: true, streetId: true, districtId: true },
  });
  const communityIds = grants.flatMap((g) => (g.communityId === null ? [] : [g.communityId]));
  const streetIds = grants.flatMap((g) => (g.streetId === null ? [] : [g.streetId]));
  const districtIds = grants.flatMap((g) => (g.districtId === null ? [] : [g.districtId]));
  if (!communityIds.length && !streetIds.length && !districtIds.length) return [];
  const rows = await ctx.prisma.community.findMany({
    where: {
      OR: [
        ...(communityIds.length ? [{ id: { in: communityIds } }] : []),
        ...(streetIds.length ? [{ streetId: { in: streetIds } }] : []),
        ...(districtIds.length ? [{ street: { districtId: { in: districtIds } } }] : []),
      ],
    },
    orderBy: { code: 'asc' },
    select: {
      id: true,
      code: true,
      name: true,
      timezone: true,
      locale: true,
      streetId: true,
      street: { select: { name: true, districtId: true, district: { select: { name: true } } } },
    },
  });
  return rows.map((c) => ({
    id: c.id,
    code: c.code,
    name: c.name,
    timezone: c.timezone,
    locale: c.locale,
    streetId: c.streetId,
    streetName: c.street?.name ?? null,
    districtId: c.street?.districtId ?? null,
    districtName: c.street?.district?.name ?? null,
  }));
}

/**
 * The community with this code, if the person may look at it; COMMUNITY_NOT_FOUND otherwise, the
 * same answer for a community that does not exist and one that is someone else's (so a worker of
 * community A learns nothing about B, not even whether its code exists).
 */
export async function requireVisibleCommunity(ctx: CoreContext, personId: number, code: string): Promise<VisibleCommunity> {
  const visible = await communitiesVisibleTo(ctx, personId);
  const found = visible.find((c) => c.code === code.trim().toUpperCase());
  if (!found) throw new AppError('COMMUNITY_NOT_FOUND', { code: code.slice(0, 32) });
  return found;
}

/**
 * The areas a person may see rolled up: each visible community, and each street and district of
 * which they see every community through a grant on that street or district. Reads only.
 */
export async function areasVisibleTo(ctx: CoreContext, personId: number): Promise<Area[]> {
  const grants = await ctx.prisma.roleGrant.findMany({
    where: { personId, role: { in: [...roles] }, OR: [{ streetId: { not: null } }, { districtId: { not: null } }] },
    select: { street: { select: { id: true, name: true } }, district: { select: { id: true, name: true, streets: { select: { id: true, name: true } } } } },
  });
  const areas = new Map<string, Area>();
  for (const g of grants) {
    if (g.district) {
      areas.set(`district:${g.district.id}`, { level: 'district', id: g.district.id, name: g.district.name });
      for (const s of g.district.streets) areas.set(`street:${s.id}`, { level: 'street', id: s.id, name: s.name });
    }
    if (g.street) areas.set(`street:${g.street.id}`, { level: 'street', id: g.street.id, name: g.street.name });
  }
  const order = { district: 0, street: 1, community: 2 } as const;
  return [...areas.values()].sort((a, b) => order[a.level] - order[b.level] || a.name.localeCompare(b.name, 'zh'));
}

/** The ids of the visible communities inside an area the person may see; COMMUNITY_NOT_FOUND when the area is not theirs. */
export async function communitiesOfArea(ctx: CoreContext, personId: number, area: { level: Area['level']; id: number }): Promise<VisibleCommunity[]> {
  const visible = await communitiesVisibleTo(ctx, personId);
  const inside = visible.filter((c) =>
    area.level === 'community' ? c.id === area.id : area.level === 'street' ? c.streetId === area.id : c.districtId === area.id,
  );
  if (area.level !== 'community') {
    const areas = await areasVisibleTo(ctx, personId);
    if (!areas.some((a) => a.level === area.level && a.id === area.id)) throw new AppError('COMMUNITY_NOT_FOUND', { code: `${area.level}:${area.id}` });
  }
  if (inside.length === 0) throw new AppError('COMMUNITY_NOT_FOUND', { code: `${area.level}:${area.id}` });
  return inside;
}
