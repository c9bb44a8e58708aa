// The benchmarks' ceilings (bench/lib/limits.ts) run to completion at tiny sizes, so the figures
// the benches print beside them cannot rot: pgbench's single-row INSERT run on a schema of its
// own leaves nothing behind, and raw BullMQ delayed jobs each run exactly once. No timing is
// asserted. (The scale-out bench itself starts six `npm start` processes, a minute or more on a
// loaded machine: it is run by `npm run bench -- scaleout`, not here.)
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pgbenchInsertTps, rawDelayedJobs } from '../../bench/lib/limits.ts';
import { deleteKeys } from '../../bench/lib/env.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('the benchmarks’ ceilings', () => {
  let db: TestDatabase;
  let redis: Redis;
  const prefix = `{limits${randomBytes(4).toString('hex')}}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}*`).catch(() => undefined);
    redis?.disconnect();
    await db?.drop();
  });

  test('pgbench inserts into a scratch table of the schema and drops it', async () => {
    const r = await pgbenchInsertTps({ url: db.url, schema: db.schema, clients: 2, seconds: 1 });
    expect(r.transactions).toBeGreaterThan(0);
    expect(r.tps).toBeGreaterThan(0);
    const left = await db.pool.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'bench_pgbench_insert'`, [db.schema]);
    expect(left.rows).toEqual([]);
  });

  test('raw BullMQ delayed jobs: every one runs once', async () => {
    const r = await rawDelayedJobs({ redis, prefix, count: 200, windowMs: 300, leadMs: 200, concurrency: 20, graceMs: 20_000 });
    expect(r.processed).toBe(200);
    expect(r.duplicates).toBe(0);
    expect(r.lateness).toHaveLength(200);
    expect(await redis.keys(`${prefix}:raw-delayed:*`)).toEqual([]);
  });
});
