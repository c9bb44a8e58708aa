import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { hashTaggedPrefix } from '../src/lib/redis.ts';
import { z } from 'zod';
import { systemClock, type Clock, type CoreContext } from '../src/core/context.ts';
import type { Effect } from '../src/core/effects.ts';
import { escalateTicket } from '../src/core/tickets/escalate-ticket.ts';
import type { Logger } from '../src/lib/logger.ts';

export const ticketQueueName = 'tickets';

/**
 * Ticket jobs, version 1. `escalate` looks at one urgent ticket when its time comes (delayed until
 * then, job id `esc-<ticket>`, so it is queued once); escalateTicket decides whether anything is
 * left to do (nobody answered) and does it once, so a job run twice tells the street once.
 */
export const ticketJobs = {
  escalate: {
    name: 'escalate',
    version: 1,
    schema: z.object({ v: z.literal(1), ticketId: z.number().int(), /** When it is due (ms), for tools that move time. */ dueAt: z.number().optional() }),
  },
} as const;

const jobOptions = { attempts: 10, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 7 * 86400 } } as const;

/** Adds the delayed escalation jobs (the effect executor's `ticketEscalation`). */
export class TicketScheduler {
  readonly queue: Queue;
  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(ticketQueueName, { connection, prefix: hashTaggedPrefix(prefix) });
  }

  /** Adds the escalation of a ticket, delayed until `at` by `clock`; a job already there stays. */
  async escalateAt(ticketId: number, at: Date, clock: Clock = systemClock): Promise<void> {
    const delay = Math.max(0, at.getTime() - clock.now().getTime());
    await this.queue.add(ticketJobs.escalate.name, { v: 1, ticketId, dueAt: at.getTime() }, { ...jobOptions, jobId: `esc-${ticketId}`, delay });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** The ticket worker (the `workers` role): carries out escalations, their notices through `apply`. */
export function startTicketWorker(opts: {
  ctx: CoreContext;
  apply: (effects: Effect[]) => Promise<unknown>;
  connection: Redis;
  prefix: string;
  log: Logger;
}): Worker {
  const connection = opts.connection.duplicate();
  const worker = new Worker(
    ticketQueueName,
    async (job: Job) => {
      const { ticketId } = ticketJobs.escalate.schema.parse(job.data);
      const r = await escalateTicket(opts.ctx, ticketId);
      // The notices' keys are deterministic: a retry after a failed apply queues them once.
      if (r.escalated) await opts.apply(r.effects);
      return { escalated: r.escalated };
    },
    { connection, prefix: hashTaggedPrefix(opts.prefix), concurrency: 10 },
  );
  worker.on('failed', (job, err) => opts.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'ticket job failed'));
  worker.on('closed', () => connection.disconnect());
  worker.on('error', (err) => opts.log.error({ err: err.message }, 'ticket worker error'));
  return worker;
}
