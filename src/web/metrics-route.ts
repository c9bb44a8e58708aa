import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PrismaClient } from '../db/prisma.ts';
import { broadcastsByStatus, metricsRegistry, queueJobs, runningBroadcastDeliveries } from '../lib/metrics.ts';

/** What /metrics reads of a queue (a BullMQ Queue has it; the queues themselves live in jobs/). */
export interface QueueCounts {
  readonly name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

export interface MetricsDeps {
  prisma: PrismaClient;
  /** The queues whose depths are shown (all of this deployment's: they live in Redis). */
  queues: () => QueueCounts[];
  /** LINLI_METRICS_TOKEN: a scraper elsewhere sends `Authorization: Bearer <token>`; undefined: loopback only. */
  token?: string;
}

const queueStates = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
const loopback = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Who may read /metrics: a request from this machine that no reverse proxy forwarded (a proxy on
 * the same machine connects from loopback too, but adds X-Forwarded-For or Forwarded), or one
 * carrying the bearer token. The socket's address is used, never a header's.
 */
export function mayReadMetrics(req: FastifyRequest, token: string | undefined): boolean {
  const forwarded = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => req.headers[h] !== undefined);
  if (!forwarded && loopback.test(req.socket.remoteAddress ?? '')) return true;
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** GET /metrics in Prometheus's text format; queue and broadcast gauges are read at each scrape. */
export function metricsRoute(app: FastifyInstance, deps: MetricsDeps): void {
  app.get('/metrics', async (req, reply) => {
    if (!mayReadMetrics(req, deps.token)) {
      return reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send(`/metrics is readable from this machine only${deps.token ? ', or with Authorization: Bearer <LINLI_METRICS_TOKEN>' : '; set LINLI_METRICS_TOKEN to scrape it from elsewhere'}\n`);
    }
    await Promise.all([readQueues(deps.queues()), readBroadcasts(deps.prisma)]);
    return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}

async function readQueues(queues: QueueCounts[]): Promise<void> {
  const counts = await Promise.all(queues.map((q) => q.getJobCounts(...queueStates)));
  queueJobs.reset();
  queues.forEach((q, i) => {
    for (const state of queueStates) queueJobs.set({ queue: q.name, state }, counts[i]?.[state] ?? 0);
  });
}

async function readBroadcasts(prisma: PrismaClient): Promise<void> {
  const [broadcasts, deliveries] = await Promise.all([
    prisma.broadcast.groupBy({ by: ['status'], where: { status: { in: ['scheduled', 'running'] } }, _count: { _all: true } }),
    prisma.delivery.groupBy({ by: ['status'], where: { broadcast: { status: 'running' } }, _count: { _all: true } }),
  ]);
  broadcastsByStatus.reset();
  for (const status of ['scheduled', 'running'] as const) broadcastsByStatus.set({ status }, broadcasts.find((b) => b.status === status)?._count._all ?? 0);
  runningBroadcastDeliveries.reset();
  for (const status of ['pending', 'sent', 'failed', 'cancelled'] as const) {
    runningBroadcastDeliveries.set({ status }, deliveries.find((d) => d.status === status)?._count._all ?? 0);
  }
}
