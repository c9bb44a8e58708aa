// One Linli process for a test file: its own Postgres schema, its own Redis queue prefix, the
// real router, outbound queue, workers and web chat adapter. `drain()` waits until every queued
// message has been delivered, so a test can assert on exactly what people saw.
import { randomBytes } from 'node:crypto';
import type { Understander } from '../../src/core/understanding/understanding.ts';
import { LinliApp } from '../../src/app.ts';
import type { ChatAdapter } from '../../src/bots/types.ts';
import { loadConfig, type ProcessRole } from '../../src/config.ts';
import type { Clock } from '../../src/core/context.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { ensurePerson } from '../../src/core/people/resolve-person.ts';
import type { Queue } from 'bullmq';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface Harness {
  app: LinliApp;
  db: TestDatabase;
  /** This harness's Redis key prefix as the app uses it: hash-tagged, `{t…}`. */
  prefix: string;
  /**
   * Waits until no outbound or broadcast job is waiting, active or delayed, and no reminder,
   * digest or ticket job is waiting, active or due within a second (reminders due tomorrow do not count).
   */
  drain(timeoutMs?: number): Promise<void>;
  /**
   * Moves the test clock (opts.clock must be a TestClock) to `to` and makes every reminder and ticket job
   * due by then run now (BullMQ's delays are real time; the clock is not), as if the time had passed.
   */
  advanceTo(to: Date): Promise<void>;
  /** A web persona (web identity) with this id and display name. */
  persona(id: string, name?: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  roles?: ProcessRole[];
  clock?: Clock;
  personRatePerMinute?: number;
  port?: number;
  /** Platform adapters to run besides the web chat (they start with the `bots` role). */
  adapters?: ChatAdapter[];
  /** Multiplies platform send limits so transcripts need not wait a second per reply (default 100). */
  limitScale?: number;
  /** A Redis of the test's own (default REDIS_URL or 127.0.0.1:6379). */
  redisUrl?: string;
  /** false: the app is created but not started (call h.app.start() later). Default true. */
  start?: boolean;
  /** The web chat's POST limit per IP address (LINLI_WEBCHAT_POSTS_PER_MINUTE); default 10,000. */
  webChatPostsPerMinute?: number;
  /** More settings, as environment variables (LLM_BASE_URL, LLM_MODEL, …). */
  env?: Record<string, string>;
  /** Reads plain words; the offline model by default. */
  understander?: Understander;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    LINLI_QUEUE_PREFIX: prefix,
    LINLI_ROLES: (opts.roles ?? ['bots', 'workers']).join(','),
    LINLI_WEBCHAT: 'on',
    PORT: String(opts.port ?? 0),
    LINLI_WEBCHAT_POSTS_PER_MINUTE: String(opts.webChatPostsPerMinute ?? 10_000),
    HOST: '127.0.0.1',
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
    ...opts.env,
  });
  const app = await LinliApp.create({
    config,
    log: silentLogger,
    databaseUrl: db.url,
    schema: db.schema,
    clock: opts.clock,
    personRatePerMinute: opts.personRatePerMinute ?? 1000,
    adapters: opts.adapters,
    limitScale: opts.limitScale ?? 100,
    understander: opts.understander,
  });
  if (opts.start !== false) await app.start();

  /** Reminder and digest jobs wait for their time: only the ones due within a second count. */
  const dueSoon = async (q: Queue) => {
    const counts = await q.getJobCounts('waiting', 'active', 'prioritized');
    const delayed = await q.getDelayed();
    return { ...counts, delayed: delayed.filter((j) => j.timestamp + j.delay <= Date.now() + 1000).length };
  };
  const drain = async (timeoutMs = 10_000) => {
    const queues = [...app.adapters.keys()].map((p) => app.outbox.queue(p));
    const timed = [app.reminders.queue, app.digests.queue, app.tickets.queue];
    const deadline = Date.now() + timeoutMs;
    const counted = (q: Queue) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    for (;;) {
      // Jobs that queue messages first, the outbound queues after: a job that finishes between the
      // two reads has already added its messages, so they are seen.
      const upstream = [await counted(app.broadcasts.queue), ...(await Promise.all(timed.map(dueSoon)))];
      const counts = [...upstream, ...(await Promise.all(queues.map(counted)))];
      const names = [app.broadcasts.queue, ...timed, ...queues].map((q) => q.name);
      const c = Object.fromEntries(counts.flatMap((x, i) => Object.entries(x).map(([k, v]) => [`${names[i]}:${k}`, v])));
      if (Object.values(c).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`outbound queue not drained: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const advanceTo = async (to: Date) => {
    const clock = opts.clock as { set?: (to: Date) => void } | undefined;
    if (!clock?.set) throw new Error('advanceTo needs createHarness({ clock: new TestClock(…) })');
    clock.set(to);
    for (const job of [...(await app.reminders.queue.getDelayed()), ...(await app.tickets.queue.getDelayed())]) {
      const dueAt = (job.data as { dueAt?: number }).dueAt;
      if (dueAt !== undefined && dueAt <= to.getTime()) await job.promote().catch(() => undefined);
    }
  };

  return {
    app,
    db,
    prefix: config.queuePrefix,
    drain,
    advanceTo,
    persona: (id, name) => ensurePerson(app.ctx, 'web', id, name ?? id),
    async close() {
      for (const p of app.adapters.keys()) await app.outbox.queue(p).obliterate({ force: true }).catch(() => undefined);
      await app.broadcasts.queue.obliterate({ force: true }).catch(() => undefined);
      await app.reminders.queue.obliterate({ force: true }).catch(() => undefined);
      await app.digests.queue.obliterate({ force: true }).catch(() => undefined);
      await app.tickets.queue.obliterate({ force: true }).catch(() => undefined);
      const keys = await app.redis.keys(`${config.queuePrefix}:*`);
      if (keys.length) await app.redis.del(...keys);
      await app.stop();
      await db.drop();
    },
  };
}
