import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { hashTaggedPrefix } from '../src/lib/redis.ts';
import type { CoreContext } from '../src/core/context.ts';
import { pruneInbound } from '../src/core/inbound/prune-inbound.ts';
import type { Logger } from '../src/lib/logger.ts';

export const housekeepingQueueName = 'housekeeping';

/**
 * Housekeeping jobs, version 1. `prune` (a job scheduler, every day at 03:30 Beijing time, when
 * the groups are quiet) deletes the InboundMessage rows no redelivery can need any more
 * (src/core/inbound/prune-inbound.ts). Running it twice, or in two processes at once, deletes
 * nothing twice.
 */
export const housekeepingJobs = {
  prune: { name: 'prune', version: 1, schema: z.object({ v: z.literal(1) }) },
} as const;

export class HousekeepingScheduler {
  readonly queue: Queue;
  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(housekeepingQueueName, { connection, prefix: hashTaggedPrefix(prefix) });
  }

  /** Starts (or keeps) the daily `prune`. Safe to call from every worker process. */
  async startScheduler(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'housekeeping-daily',
      { pattern: '30 3 * * *', tz: 'Asia/Shanghai' },
      { name: housekeepingJobs.prune.name, data: { v: 1 }, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 30, removeOnFail: 30 } },
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** The housekeeping worker (the `workers` role). */
export function startHousekeepingWorker(opts: { ctx: CoreContext; connection: Redis; prefix: string; log: Logger }): Worker {
  const connection = opts.connection.duplicate();
  const worker = new Worker(
    housekeepingQueueName,
    async (job: Job) => {
      housekeepingJobs.prune.schema.parse(job.data);
      const pruned = await pruneInbound(opts.ctx);
      if (pruned) opts.log.info({ pruned }, 'old inbound message records deleted');
      return { pruned };
    },
    { connection, prefix: hashTaggedPrefix(opts.prefix), concurrency: 1 },
  );
  worker.on('failed', (job, err) => opts.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'housekeeping job failed'));
  worker.on('closed', () => connection.disconnect());
  worker.on('error', (err) => opts.log.error({ err: err.message }, 'housekeeping worker error'));
  return worker;
}
