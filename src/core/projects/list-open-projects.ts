import type { CoreContext } from '../context.ts';
import { openStatuses } from './find-project.ts';

/**
 * The community's open projects (published or in progress) by number, at most `limit`, with their
 * shifts still to come and how many wait on each; `total` counts them all. Reads only.
 */
export async function listOpenProjects(ctx: CoreContext, communityId: number, limit: number) {
  const where = { communityId, status: { in: [...openStatuses] } };
  const [projects, total] = await Promise.all([
    ctx.prisma.project.findMany({
      where,
      orderBy: { number: 'asc' },
      take: limit,
      include: {
        shifts: {
          where: { status: 'scheduled', endsAt: { gt: ctx.clock.now() } },
          orderBy: { label: 'asc' },
          include: { _count: { select: { signUps: { where: { status: 'waitlisted' } } } } },
        },
      },
    }),
    ctx.prisma.project.count({ where }),
  ]);
  return { projects, total };
}
