import type { CoreContext } from '../context.ts';
import { requireWorker } from '../roles/require-worker.ts';

/** A need without an outcome this long after it was raised is "unanswered for a week". */
export const unansweredAfterMs = 7 * 86_400_000;
const take = 10;

/**
 * `待办`: what waits for a worker of the community: claims to decide, hours to approve (by project),
 * tickets not closed (urgent first), and open needs nobody answered for a week. Each list is cut to
 * 10 with its full count. Only a worker of the community (NOT_A_WORKER). Read-only, JSON-safe.
 */
export async function workerTodo(ctx: CoreContext, input: { communityId: number; actorId: number }) {
  await requireWorker(ctx, input.actorId, input.communityId);
  const communityId = input.communityId;
  const weekAgo = new Date(ctx.clock.now().getTime() - unansweredAfterMs);
  const needWhere = { communityId, status: 'open' as const, answeredAt: null, createdAt: { lt: weekAgo } };
  const ticketWhere = { communityId, status: { not: 'closed' as const } };
  const [claims, claimCount, hours, tickets, ticketCount, needs, needCount] = await Promise.all([
    ctx.prisma.claim.findMany({ where: { status: 'pending', project: { communityId } }, orderBy: { id: 'asc' }, take, select: { id: true, project: { select: { number: true } }, organization: { select: { name: true } } } }),
    ctx.prisma.claim.count({ where: { status: 'pending', project: { communityId } } }),
    ctx.prisma.hoursEntry.groupBy({ by: ['projectId'], where: { status: 'pending', project: { communityId } }, _count: { _all: true }, orderBy: { projectId: 'asc' } }),
    ctx.prisma.ticket.findMany({ where: ticketWhere, orderBy: [{ urgent: 'desc' }, { number: 'asc' }], take, select: { number: true, urgent: true, status: true, person: { select: { displayName: true } } } }),
    ctx.prisma.ticket.count({ where: ticketWhere }),
    ctx.prisma.need.findMany({ where: needWhere, orderBy: [{ supportCount: 'desc' }, { number: 'asc' }], take, select: { number: true, supportCount: true } }),
    ctx.prisma.need.count({ where: needWhere }),
  ]);
  const projects = await ctx.prisma.project.findMany({ where: { id: { in: hours.flatMap((h) => (h.projectId === null ? [] : [h.projectId])) } }, select: { id: true, number: true } });
  const numberOf = new Map(projects.map((p) => [p.id, p.number]));
  return {
    claims: { count: claimCount, items: claims.map((c) => ({ id: c.id, project: c.project.number, organization: c.organization.name })) },
    hours: {
      count: hours.reduce((a, h) => a + h._count._all, 0),
      byProject: hours.flatMap((h) => (h.projectId === null ? [] : [{ project: numberOf.get(h.projectId) ?? 0, count: h._count._all }])),
    },
    tickets: { count: ticketCount, items: tickets.map((t) => ({ number: t.number, urgent: t.urgent, status: t.status, person: t.person.displayName })) },
    needs: { count: needCount, items: needs.map((n) => ({ number: n.number, supportCount: n.supportCount })) },
  };
}
