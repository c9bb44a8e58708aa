import type { CoreContext } from '../context.ts';
import { personHours } from '../hours/hours-summary.ts';

/**
 * What `我的` shows a person: their latest needs (in one community when given), active sign-ups,
 * claims, and hours. Reads only.
 */
export async function myOverview(ctx: CoreContext, personId: number, communityId: number | null) {
  const where = communityId !== null ? { communityId } : {};
  const [needs, signUps, claims, hours] = await Promise.all([
    ctx.prisma.need.findMany({ where: { authorId: personId, ...where }, orderBy: { number: 'desc' }, take: 10, select: { number: true, category: true, supportCount: true, status: true } }),
    ctx.prisma.signUp.findMany({
      where: { personId, status: { in: ['confirmed', 'waitlisted'] } },
      orderBy: { createdAt: 'desc' },
      take: 10,
      include: { shift: { select: { label: true, startsAt: true, endsAt: true, project: { select: { number: true, title: true, community: { select: { timezone: true } } } } } } },
    }),
    ctx.prisma.claim.findMany({ where: { requestedById: personId }, orderBy: { id: 'desc' }, take: 5, include: { project: { select: { number: true } }, organization: { select: { name: true } } } }),
    personHours(ctx, personId),
  ]);
  return { needs, signUps, claims, hours };
}
