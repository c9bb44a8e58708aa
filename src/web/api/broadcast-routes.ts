import type { FastifyInstance } from 'fastify';
import { broadcastProgress, cancelBroadcast } from '../../core/broadcasts/create-broadcast.ts';
import { parseRequest } from './errors.ts';
import { formatLocal, idParams } from './schemas.ts';
import { scopeOf, type ApiDeps } from './scope.ts';

/** Broadcasts (群发): progress with each group's result, and cancelling one not yet (fully) sent. */
export function broadcastRoutes(c: FastifyInstance, deps: ApiDeps): void {
  const { ctx } = deps;

  c.get('/broadcasts/:id', async (req) => {
    const { community } = scopeOf(req);
    const { id } = parseRequest(req, idParams, req.params);
    const p = await broadcastProgress(ctx, { communityId: community.id, broadcastId: id });
    const b = p.broadcast;
    const project = b.projectId ? await ctx.prisma.project.findUnique({ where: { id: b.projectId }, select: { number: true, title: true } }) : null;
    return {
      broadcast: {
        id: b.id,
        status: b.status,
        project,
        text: b.text,
        buttons: b.buttons,
        sendAt: b.sendAt,
        sendAtLocal: b.sendAt ? formatLocal(b.sendAt, community.timezone) : null,
        cron: b.cron,
        timezone: b.timezone,
        groupIds: b.groupIds,
        createdAt: b.createdAt,
        startedAt: b.startedAt,
        finishedAt: b.finishedAt,
      },
      counts: p.counts,
      total: p.total,
      groups: p.deliveries.map((d) => ({ group: d.group, status: d.status, sentAt: d.sentAt, attempts: d.attempts, error: d.error })),
    };
  });

  c.post('/broadcasts/:id/cancel', async (req) => {
    const { community, actorId } = scopeOf(req);
    const { id } = parseRequest(req, idParams, req.params);
    const r = await cancelBroadcast(ctx, { communityId: community.id, broadcastId: id, actorId, via: 'api' });
    // After the commit: a job that fires meanwhile finds the broadcast cancelled and sends nothing.
    await deps.effects.apply(r.effects);
    return { broadcast: { id, status: 'cancelled' as const }, deliveriesCancelled: r.deliveriesCancelled };
  });
}
