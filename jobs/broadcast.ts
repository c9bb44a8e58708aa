import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { hashTaggedPrefix } from '../src/lib/redis.ts';
import { z } from 'zod';
import type { CoreContext } from '../src/core/context.ts';
import { broadcastTargets } from '../src/core/broadcasts/create-broadcast.ts';
import type { Logger } from '../src/lib/logger.ts';
import type { Outbox } from './outbound.ts';

export const broadcastQueueName = 'broadcasts';

/**
 * Broadcast jobs, version 1. `fanout` sends one broadcast: a Delivery row per group (unique per
 * broadcast and group) and an outbound job per pending delivery, keyed `bc:<broadcast>:<group>`,
 * so running it twice, or after a crash, sends nothing twice. `occurrence` is what a recurring
 * broadcast's job scheduler fires: it copies the broadcast and fans the copy out.
 */
export const broadcastJobs = {
  fanout: { name: 'fanout', version: 1, schema: z.object({ v: z.literal(1), broadcastId: z.number().int() }) },
  occurrence: { name: 'occurrence', version: 1, schema: z.object({ v: z.literal(1), parentId: z.number().int() }) },
} as const;

const batch = 1000;

export class BroadcastScheduler {
  readonly queue: Queue;
  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(broadcastQueueName, { connection, prefix: hashTaggedPrefix(prefix) });
  }

  /** Schedules a recorded broadcast: now, at its sendAt, or on its cron pattern. Safe to call twice. */
  async schedule(b: { id: number; sendAt: Date | null; cron: string | null; timezone: string | null }, now = new Date()): Promise<void> {
    if (b.cron) {
      await this.queue.upsertJobScheduler(
        `bc-${b.id}`,
        { pattern: b.cron, tz: b.timezone ?? 'Asia/Shanghai' },
        { name: broadcastJobs.occurrence.name, data: { v: 1, parentId: b.id }, opts: { removeOnComplete: 1000, removeOnFail: 1000 } },
      );
      return;
    }
    const delay = b.sendAt ? Math.max(0, b.sendAt.getTime() - now.getTime()) : 0;
    await this.queue.add(
      broadcastJobs.fanout.name,
      { v: 1, broadcastId: b.id },
      { jobId: `bc-${b.id}`, delay, attempts: 10, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 7 * 86400 } },
    );
  }

  /** Stops a broadcast's future runs (its scheduler, or its delayed job). */
  async unschedule(broadcastId: number): Promise<void> {
    await this.queue.removeJobScheduler(`bc-${broadcastId}`).catch(() => undefined);
    const job = await this.queue.getJob(`bc-${broadcastId}`);
    if (job && (await job.isDelayed())) await job.remove().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Sends one broadcast's deliveries through the outbox. Returns how many deliveries it queued. */
export async function fanOut(ctx: CoreContext, outbox: Outbox, broadcastId: number): Promise<number> {
  const b = await ctx.prisma.broadcast.findUnique({ where: { id: broadcastId } });
  if (!b || b.status === 'cancelled' || b.status === 'done') return 0;
  if (b.status === 'scheduled') {
    // Only from scheduled: a cancel that landed since the read above is never turned back into running.
    const started = await ctx.prisma.broadcast.updateMany({ where: { id: b.id, status: 'scheduled' }, data: { status: 'running', startedAt: ctx.clock.now() } });
    if (started.count === 0 && (await ctx.prisma.broadcast.findUnique({ where: { id: b.id }, select: { status: true } }))?.status !== 'running') return 0;
  }
  const groups = await broadcastTargets(ctx, b);
  for (let i = 0; i < groups.length; i += batch) {
    await ctx.prisma.delivery.createMany({ data: groups.slice(i, i + batch).map((g) => ({ broadcastId: b.id, groupId: g.id })), skipDuplicates: true });
  }
  const byId = new Map(groups.map((g) => [g.id, g]));
  let queued = 0;
  for (let cursor = 0; ; ) {
    const pending = await ctx.prisma.delivery.findMany({
      where: { broadcastId: b.id, status: 'pending', id: { gt: cursor } },
      orderBy: { id: 'asc' },
      take: batch,
      select: { id: true, groupId: true },
    });
    if (pending.length === 0) break;
    cursor = pending[pending.length - 1]?.id ?? cursor;
    await outbox.send(
      pending.flatMap((d) => {
        const g = byId.get(d.groupId);
        const message = { text: b.text, ...(Array.isArray(b.buttons) && b.buttons.length ? { buttons: b.buttons as Array<{ label: string; payload: string }> } : {}) };
        return g ? [{ key: `bc:${b.id}:${d.groupId}`, to: { platform: g.platform, chatId: g.externalId, kind: 'group' as const }, message, delivery: d.id, broadcast: b.id }] : [];
      }),
    );
    queued += pending.length;
  }
  if (groups.length === 0) await ctx.prisma.broadcast.updateMany({ where: { id: b.id, status: 'running' }, data: { status: 'done', finishedAt: ctx.clock.now() } });
  return queued;
}

/** The broadcast worker (the `workers` role). */
export function startBroadcastWorker(opts: { ctx: CoreContext; outbox: Outbox; connection: Redis; prefix: string; log: Logger }): Worker {
  // Its own connection, closed with it (BullMQ leaves a connection it was given open).
  const connection = opts.connection.duplicate();
  const worker = new Worker(
    broadcastQueueName,
    async (job: Job) => {
      if (job.name === broadcastJobs.occurrence.name) {
        const { parentId } = broadcastJobs.occurrence.schema.parse(job.data);
        // One occurrence per scheduled run: the run's timestamp makes the copy unique. The parent's
        // row is locked while its run is made, as cancelBroadcast locks it: a cancel either comes
        // first (no run is made) or finds the run and cancels it too.
        const runAt = new Date(job.timestamp);
        const child = await opts.ctx.prisma.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT id FROM "Broadcast" WHERE id = ${parentId} FOR UPDATE`;
          const parent = await tx.broadcast.findUnique({ where: { id: parentId } });
          if (!parent || parent.status === 'cancelled') return null;
          const existing = await tx.broadcast.findFirst({ where: { parentId, sendAt: runAt } });
          return (
            existing ??
            tx.broadcast.create({
              data: {
                communityId: parent.communityId,
                projectId: parent.projectId,
                text: parent.text,
                buttons: parent.buttons ?? undefined,
                createdById: parent.createdById,
                sendAt: runAt,
                parentId,
                groupIds: parent.groupIds,
              },
            })
          );
        });
        if (!child) return { skipped: true };
        return { queued: await fanOut(opts.ctx, opts.outbox, child.id) };
      }
      const { broadcastId } = broadcastJobs.fanout.schema.parse(job.data);
      return { queued: await fanOut(opts.ctx, opts.outbox, broadcastId) };
    },
    { connection, prefix: hashTaggedPrefix(opts.prefix), concurrency: 2, lockDuration: 15_000, stalledInterval: 5_000 },
  );
  worker.on('closed', () => connection.disconnect());
  worker.on('failed', (job, err) => opts.log.warn({ jobId: job?.id, err: err.message }, 'broadcast job failed'));
  worker.on('error', (err) => opts.log.error({ err: err.message }, 'broadcast worker error'));
  return worker;
}
