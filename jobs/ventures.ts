import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { hashTaggedPrefix } from '../src/lib/redis.ts';
import type { CoreContext } from '../src/core/context.ts';
import type { Effect } from '../src/core/effects.ts';
import { advanceDueRounds, type ScheduledMove } from '../src/core/ventures/schedule-phase.ts';
import { ventureAnnouncer } from '../src/notices/venture-announce.ts';
import type { Logger } from '../src/lib/logger.ts';

export const ventureQueueName = 'ventures';

/**
 * 微创投 jobs, version 1. `advance` is fired by a job scheduler every minute (so a phase begins at
 * most a minute after its planned date): it moves on each round whose next planned date has been
 * reached, through the use case a worker's command uses (advanceDueRounds → changePhase), and
 * carries out each move's announcement. The move is conditional on the phase it read, so a run
 * repeated, or two processes running it at once, move and announce a round once. It also
 * re-queues announcements whose fan-out was never queued (a process that died between committing
 * a move and queueing its broadcast), so a phase change is not left unannounced either.
 */
export const ventureJobs = {
  advance: { name: 'advance', version: 1, schema: z.object({ v: z.literal(1) }) },
} as const;

const advanceEveryMs = 60_000;

export class VentureScheduler {
  readonly queue: Queue;
  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(ventureQueueName, { connection, prefix: hashTaggedPrefix(prefix) });
  }

  /** Starts (or keeps) the once-a-minute `advance`. Safe to call from every worker process. */
  async startScheduler(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'venture-phases',
      { every: advanceEveryMs },
      { name: ventureJobs.advance.name, data: { v: 1 }, opts: { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * One `advance`: the rounds due move on (each move's effects carried out as it is made), then the
 * announcements left unqueued are queued again. Returns what it moved and re-queued.
 */
export async function advanceVentures(ctx: CoreContext, apply: (effects: Effect[]) => Promise<unknown>): Promise<{ moved: ScheduledMove[]; requeued: number }> {
  const moved = await advanceDueRounds(ctx, ventureAnnouncer, (m) => apply(m.effects));
  const stuck = await unqueuedAnnouncements(ctx);
  if (stuck.length) await apply(stuck.map((b) => ({ kind: 'broadcastScheduled', broadcast: b })));
  return { moved, requeued: stuck.length };
}

/**
 * Broadcasts to send at once whose fan-out never started, recorded between a minute and a day ago
 * (database time): their job was never added. Queueing one again is safe: its job id is
 * `bc-<id>`, and BullMQ keeps a finished job for a week, so an existing job is not added twice.
 */
async function unqueuedAnnouncements(ctx: CoreContext) {
  const rows = await ctx.prisma.$queryRaw<Array<{ id: number }>>`
    SELECT id FROM "Broadcast"
    WHERE status = 'scheduled' AND "sendAt" IS NULL AND cron IS NULL
      AND "createdAt" < (now() AT TIME ZONE 'UTC') - interval '1 minute'
      AND "createdAt" > (now() AT TIME ZONE 'UTC') - interval '1 day'
    ORDER BY id LIMIT 500`;
  return rows.map((r) => ({ id: r.id, sendAt: null, cron: null, timezone: null }));
}

/** The ventures worker (the `workers` role). */
export function startVentureWorker(opts: { ctx: CoreContext; apply: (effects: Effect[]) => Promise<unknown>; connection: Redis; prefix: string; log: Logger }): Worker {
  const connection = opts.connection.duplicate();
  const worker = new Worker(
    ventureQueueName,
    async (job: Job) => {
      ventureJobs.advance.schema.parse(job.data);
      const r = await advanceVentures(opts.ctx, opts.apply);
      if (r.moved.length) opts.log.info({ moved: r.moved.map((m) => ({ round: m.roundId, from: m.from, to: m.to })) }, 'rounds moved on by their dates');
      return { moved: r.moved.length, requeued: r.requeued };
    },
    { connection, prefix: hashTaggedPrefix(opts.prefix), concurrency: 1 },
  );
  worker.on('failed', (job, err) => opts.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'ventures job failed'));
  worker.on('closed', () => connection.disconnect());
  worker.on('error', (err) => opts.log.error({ err: err.message }, 'ventures worker error'));
  return worker;
}
