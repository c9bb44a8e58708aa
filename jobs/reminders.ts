import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { hashTaggedPrefix } from '../src/lib/redis.ts';
import { z } from 'zod';
import { systemClock, type Clock, type CoreContext } from '../src/core/context.ts';
import type { Effect } from '../src/core/effects.ts';
import type { ReminderChanges, ReminderJob, SilenceCheck } from '../src/core/reminders/plan-reminders.ts';
import { overdueSilenceChecks, reportSilentVolunteers } from '../src/core/reminders/report-silent-volunteers.ts';
import { offerSubstituteToGroups } from '../src/core/substitutes/offer-to-groups.ts';
import { substituteGroupMessages } from '../src/notices/substitute-offer.ts';
import { prepareReminders, type PreparedReminder } from '../src/core/reminders/prepare-reminder.ts';
import { reminderOutbound } from '../src/notices/reminder-message.ts';
import type { SessionStore } from '../src/core/sessions/session-store.ts';
import type { Logger } from '../src/lib/logger.ts';
import { reminderLateness } from '../src/lib/metrics.ts';
import type { Outbox } from './outbound.ts';

export const reminderQueueName = 'reminders';

/**
 * Reminder jobs, version 1. `send` is one reminder (one Reminder row), delayed until it is due, with
 * the job id of its row's plan (`rem-<sign-up>-<offset>-v<version>`), so it is queued once; it checks
 * its row before sending (prepareReminder), so a stale or repeated job sends nothing. `sweep` runs
 * every minute and re-queues the job of any row still scheduled a minute after it was due (a job
 * lost with Redis, or never added because a process died between the commit and the add).
 */
export const reminderJobs = {
  send: {
    name: 'send',
    version: 1,
    schema: z.object({ v: z.literal(1), reminderId: z.number().int(), /** When it is due (ms), for tools that move time. */ dueAt: z.number().optional() }),
  },
  sweep: { name: 'sweep', version: 1, schema: z.object({ v: z.literal(1) }) },
  /**
   * `silence`: at Community.silentReportMinutes before a shift, its confirmed volunteers who have not
   * answered their last reminder are reported to the workers (and with silentReleasesPlace, their
   * places go to the waitlist). Job id `silent-<shift>-<due ms>`: one per shift and time, so the
   * many sign-ups of a shift add one job, and a moved shift gets a new one (the old finds its time
   * is no longer the shift's and does nothing).
   */
  silence: {
    name: 'silence',
    version: 1,
    schema: z.object({ v: z.literal(1), shiftId: z.number().int(), dueAt: z.number() }),
  },
  /** `substitute-groups`: a 找人替班 offer still open after the waitlist's turn goes to the groups. Job id `subst-<request>`. */
  substituteToGroups: {
    name: 'substitute-groups',
    version: 1,
    schema: z.object({ v: z.literal(1), requestId: z.number().int(), dueAt: z.number() }),
  },
} as const;

const jobOptions = { attempts: 10, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 7 * 86400 } } as const;
const batch = 1000;
const sweepEveryMs = 60_000;
/** A scheduled row this long past due has lost its job (the worker would have run it). */
const overdueAfterMs = 60_000;

/** The job id of a shift's silence check at one time: `silent-<shift>-<due ms>`. */
function silenceJobId(c: SilenceCheck): string {
  return `silent-${c.shiftId}-${new Date(c.at).getTime()}`;
}

/** Adds and removes reminder jobs: the alarm clocks of Reminder rows (the effect executor's `remindersPlanned`). */
export class ReminderScheduler {
  readonly queue: Queue;
  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(reminderQueueName, { connection, prefix: hashTaggedPrefix(prefix) });
  }

  /**
   * Adds the jobs, each delayed until its reminder is due by `clock` (the community's time, the
   * system's by default); a job already there stays. BullMQ counts a delay from when the job is
   * added, so each batch's delays are computed as it is added.
   */
  async add(jobs: readonly ReminderJob[], clock: Clock = systemClock): Promise<void> {
    for (let i = 0; i < jobs.length; i += batch) {
      const now = clock.now().getTime();
      await this.queue.addBulk(
        jobs.slice(i, i + batch).map((j) => ({
          name: reminderJobs.send.name,
          data: { v: 1 as const, reminderId: j.reminderId, dueAt: j.dueAt.getTime() },
          opts: { ...jobOptions, jobId: j.jobId, delay: Math.max(0, j.dueAt.getTime() - now) },
        })),
      );
    }
  }

  /** Removes jobs that are still waiting or delayed; missing ones are fine. */
  async remove(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) await this.queue.remove(id).catch(() => 0);
  }

  async apply(changes: ReminderChanges, clock: Clock = systemClock): Promise<void> {
    await this.remove(changes.remove);
    await this.add(changes.add, clock);
    await this.checkSilenceAt(changes.checks ?? [], clock);
  }

  /** Adds the silence checks of shifts, each delayed until due; one job per shift and time. */
  async checkSilenceAt(checks: readonly SilenceCheck[], clock: Clock = systemClock): Promise<void> {
    if (checks.length === 0) return;
    const now = clock.now().getTime();
    await this.queue.addBulk(
      checks.map((c) => ({
        name: reminderJobs.silence.name,
        data: { v: 1 as const, shiftId: c.shiftId, dueAt: c.at.getTime() },
        opts: { ...jobOptions, jobId: silenceJobId(c), delay: Math.max(0, c.at.getTime() - now) },
      })),
    );
  }

  /** Adds the offer of a substitute request to the groups, delayed until `at`; a job already there stays. */
  async offerToGroupsAt(requestId: number, at: Date, clock: Clock = systemClock): Promise<void> {
    const delay = Math.max(0, at.getTime() - clock.now().getTime());
    await this.queue.add(reminderJobs.substituteToGroups.name, { v: 1, requestId, dueAt: at.getTime() }, { ...jobOptions, jobId: `subst-${requestId}`, delay });
  }

  /** Starts (or keeps) the once-a-minute sweep. Safe to call from every worker process. */
  async startSweeper(): Promise<void> {
    await this.queue.upsertJobScheduler('reminder-sweep', { every: sweepEveryMs }, { name: reminderJobs.sweep.name, data: { v: 1 }, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * Re-queues the jobs of reminders still scheduled well after they were due, and the silence checks
 * that are overdue with someone still to look at and no job (lost with Redis, or never added).
 * Returns how many.
 */
export async function sweepReminders(ctx: CoreContext, scheduler: ReminderScheduler): Promise<number> {
  let requeued = 0;
  for (const c of await overdueSilenceChecks(ctx, new Date(ctx.clock.now().getTime() - overdueAfterMs), batch)) {
    if (await scheduler.queue.getJob(silenceJobId(c))) continue;
    await scheduler.checkSilenceAt([c], ctx.clock);
    requeued++;
  }
  return requeued + (await sweepReminderJobs(ctx, scheduler));
}

async function sweepReminderJobs(ctx: CoreContext, scheduler: ReminderScheduler): Promise<number> {
  const overdue = await ctx.prisma.reminder.findMany({
    where: { status: 'scheduled', dueAt: { lt: new Date(ctx.clock.now().getTime() - overdueAfterMs) }, jobId: { not: null } },
    orderBy: { dueAt: 'asc' },
    take: batch,
    select: { id: true, jobId: true, dueAt: true },
  });
  let requeued = 0;
  for (const r of overdue) {
    const job = await scheduler.queue.getJob(r.jobId!);
    if (!job) {
      await scheduler.add([{ reminderId: r.id, jobId: r.jobId!, dueAt: r.dueAt }], ctx.clock);
      requeued++;
    } else if (await job.isFailed()) {
      await job.retry().catch(() => undefined);
      requeued++;
    }
  }
  return requeued;
}

/**
 * Groups work that arrives within a few milliseconds into one call (a DataLoader for jobs): each
 * caller gets its own answer, or the batch's error. With the worker's concurrency at 50, the jobs
 * due together share their SQL statements, their session upsert and one outbound addBulk.
 */
export class Batcher<I, O> {
  private pending: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: { maxSize: number; maxWaitMs: number },
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.opts.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.run(batch.map((b) => b.item)).then(
      (out) => batch.forEach((b, i) => b.resolve(out[i]!)),
      (err: unknown) => batch.forEach((b) => b.reject(err)),
    );
  }
}

/**
 * Sends a batch of due reminders: checks and claims their rows (prepareReminders), records the
 * answer sessions in the volunteers' private chats (so a bare `1` or `2` finds the reminder; the
 * latest reminder sent wins), then queues the messages in one go. Each message's key is its
 * reminder's plan, so a batch run again after a crash queues nothing twice. Safe to retry.
 */
export async function sendReminders(
  deps: { ctx: CoreContext; outbox: Pick<Outbox, 'send'>; sessions: SessionStore },
  jobs: ReadonlyArray<{ reminderId: number; jobId: string }>,
): Promise<PreparedReminder[]> {
  const prepared = await prepareReminders(deps.ctx, jobs);
  const out = prepared.flatMap((p, i) => (p.action === 'send' ? [reminderOutbound(p.reminder, jobs[i]!.jobId)] : []));
  if (out.length) {
    await deps.sessions.setMany(out.map((o) => ({ key: o.sessionKey, session: o.session })));
    await deps.outbox.send(out.map((o) => o.item));
  }
  return prepared;
}

/**
 * The reminder worker (the `workers` role): each due job joins a batch (up to 200 jobs, 5 ms) that
 * sendReminders works in a few statements; the job completes when its batch is done. `sweep` jobs
 * re-queue lost ones; `silence` and `substitute-groups` jobs hand their effects to `apply`.
 */
export function startReminderWorker(opts: {
  ctx: CoreContext;
  outbox: Pick<Outbox, 'send'>;
  sessions: SessionStore;
  scheduler: ReminderScheduler;
  /** Carries out the effects of silence checks and substitute offers (the effect executor). */
  apply: (effects: Effect[]) => Promise<unknown>;
  connection: Redis;
  prefix: string;
  log: Logger;
  concurrency?: number;
  /** At most this many jobs per batch (default 200). */
  batchSize?: number;
}): Worker {
  const batcher = new Batcher((jobs: Array<{ reminderId: number; jobId: string }>) => sendReminders(opts, jobs), { maxSize: opts.batchSize ?? 200, maxWaitMs: 5 });
  // Its own connection, closed with it (BullMQ leaves a connection it was given open).
  const connection = opts.connection.duplicate();
  const worker = new Worker(
    reminderQueueName,
    async (job: Job) => {
      if (job.name === reminderJobs.sweep.name) return { requeued: await sweepReminders(opts.ctx, opts.scheduler) };
      if (job.name === reminderJobs.silence.name) {
        const { shiftId, dueAt } = reminderJobs.silence.schema.parse(job.data);
        const r = await reportSilentVolunteers(opts.ctx, { shiftId, at: new Date(dueAt) });
        // The notices' keys are deterministic: a retry after a failed apply queues them once.
        await opts.apply(r.effects);
        return { reported: r.reported.length, released: r.released };
      }
      if (job.name === reminderJobs.substituteToGroups.name) {
        const { requestId } = reminderJobs.substituteToGroups.schema.parse(job.data);
        const offer = await offerSubstituteToGroups(opts.ctx, requestId);
        if (offer) await opts.apply(substituteGroupMessages(offer));
        return { groups: offer?.groups.length ?? 0 };
      }
      const { reminderId, dueAt } = reminderJobs.send.schema.parse(job.data);
      const r = await batcher.add({ reminderId, jobId: job.id ?? '' });
      // BullMQ's delay runs on the real clock: so does the lateness.
      if (r.action === 'send') reminderLateness.observe(Math.max(0, Date.now() - (dueAt ?? job.timestamp + (job.opts.delay ?? 0))) / 1000);
      return r.action === 'send' ? { sent: r.reminder.reminderId } : { skipped: r.reason };
    },
    { connection, prefix: hashTaggedPrefix(opts.prefix), concurrency: opts.concurrency ?? 500, lockDuration: 15_000, stalledInterval: 5_000 },
  );
  worker.on('failed', (job, err) => opts.log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'reminder job failed'));
  worker.on('closed', () => connection.disconnect());
  worker.on('error', (err) => opts.log.error({ err: err.message }, 'reminder worker error'));
  return worker;
}
