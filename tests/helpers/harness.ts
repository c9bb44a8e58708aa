// One Linli process for a test file: its own Postgres schema, its own Redis queue prefix, the
// real router, outbound queue, workers and web chat adapter. `drain()` waits until every queued
// message has been delivered, so a test can assert on exactly what people saw.
import { randomBytes } from 'node:crypto';
import { LinliApp } from '../../src/app.ts';
import type { ChatAdapter } from '../../src/bots/types.ts';
import { loadConfig, type ProcessRole } from '../../src/config.ts';
import type { Clock } from '../../src/core/context.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { ensurePerson } from '../../src/core/people/resolve-person.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface Harness {
  app: LinliApp;
  db: TestDatabase;
  prefix: string;
  /** Waits until no outbound job is waiting, active or delayed. */
  drain(timeoutMs?: number): Promise<void>;
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
    HOST: '127.0.0.1',
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
  });
  await app.start();

  const drain = async (timeoutMs = 10_000) => {
    const queues = [app.broadcasts.queue, ...[...app.adapters.keys()].map((p) => app.outbox.queue(p))];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
      const c = Object.fromEntries(counts.flatMap((x, i) => Object.entries(x).map(([k, v]) => [`${queues[i]?.name}:${k}`, v])));
      if (Object.values(c).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`outbound queue not drained: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  return {
    app,
    db,
    prefix,
    drain,
    persona: (id, name) => ensurePerson(app.ctx, 'web', id, name ?? id),
    async close() {
      for (const p of app.adapters.keys()) await app.outbox.queue(p).obliterate({ force: true }).catch(() => undefined);
      await app.broadcasts.queue.obliterate({ force: true }).catch(() => undefined);
      const keys = await app.redis.keys(`${prefix}:*`);
      if (keys.length) await app.redis.del(...keys);
      await app.stop();
      await db.drop();
    },
  };
}
