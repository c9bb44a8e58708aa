// A throwaway Linli world for one benchmark: a fresh Postgres schema (migrated), a fresh Redis
// prefix, and a LinliApp over them with only the roles asked for. `cleanup()` drops the schema,
// obliterates the prefix's queues and deletes every key under the prefix.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LinliApp } from '../../src/app.ts';
import { platforms } from '../../src/bots/types.ts';
import { loadConfig, type ProcessRole } from '../../src/config.ts';
import type { Clock } from '../../src/core/context.ts';
import { silentLogger, type Logger } from '../../src/lib/logger.ts';
import type pg from 'pg';
import { createTestSchema } from '../../tests/helpers/test-db.ts';

export interface BenchEnv {
  app: LinliApp;
  /** The schema the app works in (the app's own pool and Prisma client are `app.db`). */
  db: { url: string; schema: string };
  prefix: string;
  /** Drops the schema, obliterates the queues, deletes the prefix's keys; says what it did. */
  cleanup(): Promise<string>;
}

export interface BenchEnvOptions {
  /** Default `bots`: the web chat adapter is started, no HTTP server, no outbound workers. */
  roles?: ProcessRole[];
  personRatePerMinute?: number;
  limitScale?: number;
  clock?: Clock;
  log?: Logger;
  /**
   * Runs against the schema before LinliApp opens its own pool (bulk seeding). The harness's pool
   * is ended afterwards and it never opens a Prisma client, so the memory measured is the app's.
   */
  seed?: (db: { pool: pg.Pool; url: string; schema: string }) => Promise<void>;
}

export async function createBenchEnv(opts: BenchEnvOptions = {}): Promise<BenchEnv> {
  const db = await createTestSchema();
  const prefix = `{bench${randomBytes(5).toString('hex')}}`; // hash-tagged, as the app's keys are
  let app: LinliApp | undefined;
  const cleanup = async (): Promise<string> => {
    let keys = 0;
    if (app) {
      await obliterateQueues(app).catch((err: unknown) => console.error('  (cleanup) queues:', err));
      keys = await deleteKeys(app.redis, `${prefix}:*`).catch((err: unknown) => (console.error('  (cleanup) keys:', err), 0));
      await app.stop().catch(() => undefined);
    }
    await db.drop();
    return `schema ${db.schema} dropped, queues obliterated, ${keys} leftover keys under ${prefix}: deleted`;
  };
  try {
    if (opts.seed) await opts.seed(db);
    await db.pool.end();
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: db.url,
      LINLI_QUEUE_PREFIX: prefix,
      LINLI_ROLES: (opts.roles ?? ['bots']).join(','),
      LINLI_WEBCHAT: 'on',
      LINLI_DEMO: 'off',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    app = await LinliApp.create({
      config,
      log: opts.log ?? silentLogger,
      databaseUrl: db.url,
      schema: db.schema,
      clock: opts.clock,
      personRatePerMinute: opts.personRatePerMinute,
      limitScale: opts.limitScale,
    });
    await app.start();
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
  return { app, db: { url: db.url, schema: db.schema }, prefix, cleanup };
}

/** Obliterates the outbound queue of every platform (then deleteKeys catches anything left). */
async function obliterateQueues(app: LinliApp): Promise<void> {
  for (const platform of platforms) await app.outbox.queue(platform).obliterate({ force: true });
}

export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  const keys = await scanKeys(redis, pattern);
  for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
  return keys.length;
}

/** The PostgreSQL backend pids behind a pg pool's open connections (for CPU accounting). */
export function backendPids(pool: unknown): number[] {
  const clients = (pool as { _clients?: Array<{ processID?: number | null }> })._clients ?? [];
  return clients.flatMap((c) => (typeof c.processID === 'number' ? [c.processID] : []));
}
