import type { CoreContext } from '../context.ts';
import { findProject } from '../projects/find-project.ts';

/**
 * The evaluation of project N (总结评估): its shifts (not cancelled), sign-ups on them (confirmed,
 * attended or no-show), how many came (a check-in), the attendance rate over the shifts that have
 * started, no-shows, approved and pending volunteer hours, people served (受益人次, as entered by a
 * worker), the residents' average rating, their latest comments and a worker's summary of them. Read-only, JSON-safe.
 */
export async function evaluateProject(ctx: CoreContext, input: { communityId: number; number: number }) {
  const project = await findProject(ctx.prisma, input.communityId, input.number);
  const full = await ctx.prisma.project.findUniqueOrThrow({ where: { id: project.id }, select: { status: true, peopleServed: true, feedbackSummary: true } });
  const now = ctx.clock.now();
  const shiftIds = project.shifts.map((s) => s.id);
  const startedIds = project.shifts.filter((s) => s.startsAt <= now).map((s) => s.id);
  const [signUps, attended, noShows, startedSignUps, hours, rating, comments] = await Promise.all([
    ctx.prisma.signUp.count({ where: { shiftId: { in: shiftIds }, status: { in: ['confirmed', 'attended', 'no_show'] } } }),
    ctx.prisma.checkIn.count({ where: { shiftId: { in: shiftIds }, signUp: { status: { in: ['confirmed', 'attended'] } } } }),
    ctx.prisma.signUp.count({ where: { shiftId: { in: shiftIds }, status: 'no_show' } }),
    ctx.prisma.signUp.count({ where: { shiftId: { in: startedIds }, status: { in: ['confirmed', 'attended', 'no_show'] } } }),
    ctx.prisma.hoursEntry.groupBy({ by: ['status'], where: { projectId: project.id }, _sum: { hours: true } }),
    ctx.prisma.feedback.aggregate({ where: { projectId: project.id }, _avg: { rating: true }, _count: { _all: true } }),
    ctx.prisma.feedback.findMany({ where: { projectId: project.id, comment: { not: '' } }, orderBy: { updatedAt: 'desc' }, take: 5, select: { comment: true, rating: true } }),
  ]);
  const sum = (status: 'approved' | 'pending') => Number(hours.find((h) => h.status === status)?._sum.hours ?? 0);
  return {
    number: project.number,
    title: project.title,
    status: full.status,
    shifts: shiftIds.length,
    signUps,
    attended,
    noShows,
    /** attended ÷ sign-ups on the shifts that have started; null before any has. */
    attendanceRate: startedSignUps ? attended / startedSignUps : null,
    approvedHours: sum('approved'),
    pendingHours: sum('pending'),
    peopleServed: full.peopleServed,
    /** What residents said, in a worker's words (saved by setFeedbackSummary); null until one is saved. */
    feedbackSummary: full.feedbackSummary,
    rating: { average: rating._avg.rating, count: rating._count._all },
    comments: comments.map((c) => ({ rating: c.rating, text: c.comment })),
  };
}
export type ProjectEvaluation = Awaited<ReturnType<typeof evaluateProject>>;
