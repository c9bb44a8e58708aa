import type { CoreContext } from '../context.ts';
import { listSilentVolunteers, type SilentVolunteer } from '../reminders/silent-volunteers.ts';

export interface WeeklyDigest {
  community: { id: number; name: string; timezone: string };
  from: Date;
  to: Date;
  /** Needs raised in the week, by category, most first. */
  newNeeds: Array<{ category: string; count: number }>;
  /** Project numbers waiting for a worker: drafts and those in review. */
  drafts: number[];
  inReview: number[];
  pendingClaims: Array<{ id: number; projectNumber: number; organization: string }>;
  silentVolunteers: SilentVolunteer[];
  pendingHours: { count: number; hours: number };
  /** Who gets it: the community's own workers and admins. */
  workerIds: number[];
}

/**
 * What a community's workers read on Monday morning: the past 7 days' new needs by category,
 * projects waiting for action (drafts, in review, pending claims), volunteers silent after their
 * last reminder, and hours waiting for approval. Read-only.
 */
export async function weeklyDigest(ctx: CoreContext, communityId: number): Promise<WeeklyDigest> {
  const to = ctx.clock.now();
  const from = new Date(to.getTime() - 7 * 86_400_000);
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { id: true, name: true, timezone: true } });
  const [needs, projects, claims, silentVolunteers, hours, workers] = await Promise.all([
    ctx.prisma.need.groupBy({ by: ['category'], where: { communityId, createdAt: { gte: from, lt: to } }, _count: { _all: true } }),
    ctx.prisma.project.findMany({ where: { communityId, status: { in: ['draft', 'review'] } }, orderBy: { number: 'asc' }, select: { number: true, status: true } }),
    ctx.prisma.claim.findMany({
      where: { status: 'pending', project: { communityId } },
      orderBy: { id: 'asc' },
      select: { id: true, project: { select: { number: true } }, organization: { select: { name: true } } },
    }),
    listSilentVolunteers(ctx, { communityId, limit: 50 }),
    ctx.prisma.hoursEntry.aggregate({ where: { status: 'pending', project: { communityId } }, _count: { _all: true }, _sum: { hours: true } }),
    ctx.prisma.roleGrant.findMany({ where: { communityId, role: { in: ['worker', 'admin'] } }, select: { personId: true } }),
  ]);
  return {
    community,
    from,
    to,
    newNeeds: needs.map((n) => ({ category: n.category, count: n._count._all })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
    drafts: projects.filter((p) => p.status === 'draft').map((p) => p.number),
    inReview: projects.filter((p) => p.status === 'review').map((p) => p.number),
    pendingClaims: claims.map((c) => ({ id: c.id, projectNumber: c.project.number, organization: c.organization.name })),
    silentVolunteers,
    pendingHours: { count: hours._count._all, hours: Number(hours._sum.hours ?? 0) },
    workerIds: [...new Set(workers.map((w) => w.personId))],
  };
}
