import type { Prisma } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';

/** What a worker sees of a need (the API and the console): contact phone included. */
const workerNeedFields = {
  number: true,
  text: true,
  category: true,
  categoryBy: true,
  status: true,
  supportCount: true,
  contactPhone: true,
  createdAt: true,
  resolvedAt: true,
  mergedInto: { select: { number: true } },
  projects: { select: { project: { select: { number: true } } } },
} as const;

/**
 * Needs matching a filter, most supported first, with how many match in all. For workers only:
 * the caller has checked the person may see the community (the filter must name it).
 */
export async function findNeeds(ctx: CoreContext, where: Prisma.NeedWhereInput & { communityId: number }, page: { skip?: number; take: number }) {
  const [needs, total] = await Promise.all([
    ctx.prisma.need.findMany({ where, orderBy: [{ supportCount: 'desc' }, { number: 'asc' }], skip: page.skip, take: page.take, select: workerNeedFields }),
    ctx.prisma.need.count({ where }),
  ]);
  return { needs, total };
}
