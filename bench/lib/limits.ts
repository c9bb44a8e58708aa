// The ceilings a benchmark's figure is printed beside, measured in the same run on the same servers:
// what PostgreSQL does with one single-row INSERT per transaction (pgbench), and what BullMQ does
// with delayed jobs and no Linli code around them. A figure alone says little on a shared machine;
// its ratio to one of these says how much of the floor's speed Linli keeps.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { sortedCopy } from './stats.ts';

const run = promisify(execFile);

export interface PgbenchResult {
  /** Transactions per second, without the initial connection time (pgbench's own figure). */
  tps: number;
  transactions: number;
  clients: number;
  seconds: number;
}

/**
 * `pgbench -f` with one single-row INSERT per transaction into a scratch table (created, then
 * dropped), `clients` connections, for `seconds`, on the database of `url` (in `schema` when given,
 * so a bench schema's search path and its dropping take the table along).
 */
export async function pgbenchInsertTps(opts: { url: string; schema?: string; clients: number; seconds: number; pgbench?: string }): Promise<PgbenchResult> {
  const table = `${opts.schema ? `"${opts.schema}".` : ''}"bench_pgbench_insert"`;
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  const dir = await mkdtemp(join(tmpdir(), 'linli-pgbench-'));
  try {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    // A row about the size of an InboundMessage claim: an id, a few short strings, a timestamp.
    await client.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, chat text NOT NULL, sender text NOT NULL, ext text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    const script = join(dir, 'insert.sql');
    await writeFile(script, `\\set n random(1, 1000000000)\nINSERT INTO ${table} (chat, sender, ext) VALUES ('c' || :n, 'p' || :n, 'm' || :n);\n`);
    const url = new URL(opts.url);
    const args = ['-n', '-f', script, '-c', String(opts.clients), '-j', String(Math.min(opts.clients, 2)), '-T', String(opts.seconds)];
    args.push('-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), decodeURIComponent(url.pathname.slice(1) || 'postgres'));
    const { stdout } = await run(opts.pgbench ?? 'pgbench', args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, maxBuffer: 1 << 20 });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1]);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { tps, transactions, clients: opts.clients, seconds: opts.seconds };
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await client.end().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

export interface RawDelayedResult {
  count: number;
  processed: number;
  /** Jobs processed more than once (BullMQ's at-least-once showing). */
  duplicates: number;
  /** Due → the processor called, ms (sorted). */
  lateness: Float64Array;
  /** Jobs per second between the first and the last processed. */
  rate: number;
  addMs: number;
}

/**
 * `count` BullMQ delayed jobs due evenly over `windowMs` starting `leadMs` from now, on `redis` under
 * a prefix of their own, worked by one Worker of `concurrency` whose processor only notes the time:
 * the lateness and rate Linli's reminders cannot beat on this Redis.
 */
export async function rawDelayedJobs(opts: {
  redis: Redis;
  prefix: string;
  count: number;
  windowMs: number;
  leadMs: number;
  concurrency: number;
  /** Stop waiting this long after the last job was due (default 180 s). */
  graceMs?: number;
}): Promise<RawDelayedResult> {
  const name = 'raw-delayed';
  const queue = new Queue(name, { connection: opts.redis, prefix: opts.prefix });
  const dueAt = new Float64Array(opts.count);
  const doneAt = new Float64Array(opts.count);
  let processed = 0;
  let duplicates = 0;
  let worker: Worker | undefined;
  const workerConnection = opts.redis.duplicate({ maxRetriesPerRequest: null });
  try {
    const start = Date.now() + opts.leadMs;
    for (let i = 0; i < opts.count; i++) dueAt[i] = start + Math.floor((i * opts.windowMs) / opts.count);
    const a0 = performance.now();
    for (let i = 0; i < opts.count; i += 1000) {
      const now = Date.now();
      const batch = [];
      for (let j = i; j < Math.min(opts.count, i + 1000); j++) {
        batch.push({ name: 'r', data: { i: j }, opts: { jobId: `raw-${j}`, delay: Math.max(0, dueAt[j]! - now), removeOnComplete: true, removeOnFail: true } });
      }
      await queue.addBulk(batch);
    }
    const addMs = performance.now() - a0;
    worker = new Worker(
      name,
      async (job) => {
        const i = (job.data as { i: number }).i;
        if (doneAt[i]) duplicates++;
        else {
          doneAt[i] = Date.now();
          processed++;
        }
      },
      { connection: workerConnection, prefix: opts.prefix, concurrency: opts.concurrency },
    );
    const deadline = start + opts.windowMs + (opts.graceMs ?? 180_000);
    while (processed < opts.count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const late: number[] = [];
    let first = Infinity;
    let last = 0;
    for (let i = 0; i < opts.count; i++) {
      if (!doneAt[i]) continue;
      late.push(doneAt[i]! - dueAt[i]!);
      first = Math.min(first, doneAt[i]!);
      last = Math.max(last, doneAt[i]!);
    }
    return { count: opts.count, processed, duplicates, lateness: sortedCopy(late), rate: (processed / Math.max(1, last - first)) * 1000, addMs };
  } finally {
    await worker?.close().catch(() => undefined);
    workerConnection.disconnect();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
  }
}

/** "0.62 of 1,234" style ratio text. */
export function ratio(value: number, limit: number): string {
  return Number.isFinite(value / limit) && limit > 0 ? (value / limit).toFixed(3) : 'n/a';
}
