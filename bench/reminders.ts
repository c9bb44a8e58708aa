// Reminders benchmark: 100,000 reminders falling due within one 60-second window, worked by one
// reminder worker (the `workers` role's reminder queue, nothing else running in this process).
// Each reminder is a BullMQ delayed job with its Reminder row in Postgres, as in production: the
// job checks and claims its row, records the answer session, and queues the message on the
// outbound queue (no outbound worker runs: the figure is the time to reach the outbound queue).
//
//   npm run bench -- reminders
//   BENCH_REMINDERS=100000 BENCH_WINDOW_S=60 BENCH_REMINDER_CONCURRENCY=500 BENCH_REMINDER_BATCH=200 BENCH_LEAD_S=25
//
// Prints lateness (from when each reminder was due to when its message was in the outbound queue)
// p50 / p99 / max, the rate at which reminder messages reached the outbound queue, and checks that
// each reminder was queued exactly once. Target: p99 lateness < 1 s.
//
// Then the same count of raw BullMQ delayed jobs (no Linli code: a processor that only notes the
// time), due over the same window on the same Redis with the same worker concurrency: the lateness
// and rate Linli's reminders are printed beside, as ratios. BENCH_REMINDERS_RAW=0 skips it.
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startReminderWorker, ReminderScheduler } from '../jobs/reminders.ts';
import type { OutboundItem } from '../jobs/outbound.ts';
import type { ReminderJob } from '../src/core/reminders/plan-reminders.ts';
import { cpuMeter } from './lib/cpu.ts';
import { rawDelayedJobs, ratio } from './lib/limits.ts';
import { backendPids, createBenchEnv } from './lib/env.ts';
import { int, maxRssBytes, mb, ms, quantile, RssSampler, sortedCopy } from './lib/stats.ts';

const target = { p99Ms: 1000 };

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v === undefined ? NaN : Number(v.replace(/[_,]/g, ''));
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export async function main(): Promise<void> {
  const count = envInt('BENCH_REMINDERS', 100_000);
  const windowMs = envInt('BENCH_WINDOW_S', 60) * 1000;
  const concurrency = envInt('BENCH_REMINDER_CONCURRENCY', 500);
  const batchSize = envInt('BENCH_REMINDER_BATCH', 200);
  const leadMs = envInt('BENCH_LEAD_S', 25) * 1000;
  const perShift = 100;
  const shifts = Math.ceil(count / perShift);
  const rss = new RssSampler(200).start();

  let seededMs = 0;
  const env = await createBenchEnv({
    roles: ['bots'],
    seed: async (db) => {
      const t0 = performance.now();
      const c = await db.pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`INSERT INTO "Community" (id, code, name, "reminderOffsets", "quietHours") VALUES (1, 'BENCH', '基准社区', '10m', NULL)`);
        await c.query(`INSERT INTO "Project" (id, "communityId", number, title, status, "updatedAt") VALUES (1, 1, 1, '社区大扫除', 'published', now())`);
        // Shifts start tomorrow: every reminder is well before its shift.
        await c.query(
          `INSERT INTO "Shift" (id, "projectId", label, "startsAt", "endsAt", place, capacity, "confirmedCount")
           SELECT g, 1, 'S' || g, now() + interval '1 day', now() + interval '1 day 2 hours', '3号楼门口', $2, $2 FROM generate_series(1, $1::int) g`,
          [shifts, perShift],
        );
        await c.query(`INSERT INTO "Person" (id, "displayName") SELECT g, '志愿者' || g FROM generate_series(1, $1::int) g`, [count]);
        await c.query(`INSERT INTO "Identity" ("personId", platform, "externalId", "displayName") SELECT g, 'web', 'v' || g, '志愿者' || g FROM generate_series(1, $1::int) g`, [count]);
        await c.query(`INSERT INTO "SignUp" (id, "shiftId", "personId", status) SELECT g, 1 + (g - 1) / $2, g, 'confirmed' FROM generate_series(1, $1::int) g`, [count, perShift]);
        await c.query(
          `INSERT INTO "Reminder" (id, "signUpId", kind, "dueAt", version, "jobId") SELECT g, g, '10m', now(), 1, 'rem-' || g || '-10m-v1' FROM generate_series(1, $1::int) g`,
          [count],
        );
        for (const t of ['Community', 'Project', 'Shift', 'Person', 'SignUp', 'Reminder']) {
          await c.query(`SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), (SELECT max(id) FROM "${t}"))`);
        }
        await c.query('COMMIT');
        await c.query('ANALYZE');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
      seededMs = performance.now() - t0;
    },
  });
  const { app, prefix } = env;
  const scheduler = new ReminderScheduler(app.redis, prefix);
  try {
    console.log(`reminders: ${int(count)} due within one ${windowMs / 1000}-second window, 1 reminder worker (concurrency ${concurrency}, batches of up to ${batchSize}), this process only`);
    console.log(`  world: ${int(count)} volunteers confirmed on ${int(shifts)} shifts, one Reminder row each (seeded in ${(seededMs / 1000).toFixed(1)} s)`);

    // Due times: evenly over the window, starting `lead` from now (time to add the jobs first).
    const start = Date.now() + leadMs;
    const dueAt = new Float64Array(count + 1);
    for (let id = 1; id <= count; id++) dueAt[id] = start + Math.floor(((id - 1) * windowMs) / count);
    await app.db.pool.query(`UPDATE "Reminder" SET "dueAt" = to_timestamp(($1::float8 + (id - 1) * $2::float8 / $3::float8) / 1000) AT TIME ZONE 'UTC'`, [start, windowMs, count]);
    const jobs: ReminderJob[] = [];
    for (let id = 1; id <= count; id++) jobs.push({ reminderId: id, jobId: `rem-${id}-10m-v1`, dueAt: new Date(dueAt[id]!) });
    const a0 = performance.now();
    await scheduler.add(jobs);
    const addMs = performance.now() - a0;
    console.log(`  scheduling: ${int(count)} delayed jobs added in ${(addMs / 1000).toFixed(1)} s (${int((count / addMs) * 1000)} jobs/s); first due ${((start - Date.now()) / 1000).toFixed(1)} s later`);
    if (Date.now() > start) console.log('  ✗ the jobs took longer to add than the lead time: the first ones start late (raise BENCH_LEAD_S)');

    // The outbox the worker uses: the real one, recording when each message reached the queue.
    const arrived = new Float64Array(count + 1);
    let queued = 0;
    let duplicates = 0;
    const outbox = {
      async send(items: readonly OutboundItem[]) {
        await app.outbox.send(items);
        const now = Date.now();
        for (const i of items) {
          const id = Number(/^reminder:(\d+):/.exec(i.key)?.[1]);
          if (arrived[id]) duplicates++;
          else {
            arrived[id] = now;
            queued++;
          }
        }
      },
    };
    const worker = startReminderWorker({ ctx: app.ctx, outbox, sessions: app.router.sessions, scheduler, apply: (effects) => app.effects.apply(effects), connection: app.redis, prefix, log: app.opts.log, concurrency, batchSize });
    const loop = monitorEventLoopDelay({ resolution: 10 });
    // Measure from a second before the first is due (idle before that).
    await new Promise((r) => setTimeout(r, Math.max(0, start - Date.now() - 1000)));
    loop.enable();
    const cpu = cpuMeter(() => backendPids(app.db.pool));
    const perSecond = new Map<number, number>();
    const deadline = start + windowMs + 180_000;
    let last = 0;
    while (queued < count && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const s = Math.floor((Date.now() - start) / 1000);
      perSecond.set(s, queued - last);
      last = queued;
    }
    const use = cpu.stop();
    loop.disable();
    await worker.close();

    const late = new Float64Array(queued);
    let k = 0;
    let first = Infinity;
    let lastAt = 0;
    for (let id = 1; id <= count; id++) {
      if (!arrived[id]) continue;
      late[k++] = arrived[id]! - dueAt[id]!;
      first = Math.min(first, arrived[id]!);
      lastAt = Math.max(lastAt, arrived[id]!);
    }
    const sorted = sortedCopy(late);
    const p50 = quantile(sorted, 0.5);
    const p99 = quantile(sorted, 0.99);
    const max = sorted[sorted.length - 1] ?? NaN;
    const rate = (queued / Math.max(1, lastAt - first)) * 1000;
    const peak = Math.max(...[...perSecond.values()].map((n) => n * 4));
    const sent = (await app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Reminder" WHERE status = 'sent'`)).rows[0]!.n;
    const inQueue = Object.values(await app.outbox.queue('web').getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed')).reduce((a, b) => a + b, 0);

    console.log(`  lateness (due → message in the outbound queue): p50 ${ms(p50)}  p99 ${ms(p99)}   (target p99 < ${target.p99Ms} ms) ${p99 < target.p99Ms ? '✓' : '✗ missed'}   [max ${ms(max)}]`);
    // Where the time went, from BullMQ's own timestamps of a sample of the jobs.
    const sample: Array<{ wait: number; work: number }> = [];
    for (let id = 1; id <= count; id += Math.max(1, Math.floor(count / 2000))) {
      const job = await scheduler.queue.getJob(`rem-${id}-10m-v1`);
      if (job?.processedOn && job.finishedOn) sample.push({ wait: job.processedOn - dueAt[id]!, work: job.finishedOn - job.processedOn });
    }
    const waits = sortedCopy(sample.map((x) => x.wait));
    const works = sortedCopy(sample.map((x) => x.work));
    console.log(
      `    of which (${int(sample.length)} jobs sampled): due → picked up by the worker p50 ${ms(quantile(waits, 0.5))} p99 ${ms(quantile(waits, 0.99))}; ` +
        `picked up → done (batched SQL, sessions, outbound add) p50 ${ms(quantile(works, 0.5))} p99 ${ms(quantile(works, 0.99))}`,
    );
    console.log(`  rate: ${int(rate)} reminder messages/s reached the outbound queue (the window asks ${int((count / windowMs) * 1000)}/s); busiest second ≈ ${int(peak)}/s`);
    console.log(
      `  exactly once: ${int(queued)} of ${int(count)} queued, ${duplicates} queued twice; Reminder rows sent ${int(sent)}; outbound queue holds ${int(inQueue)} jobs ${queued === count && duplicates === 0 && sent === count && inQueue === count ? '✓' : '✗'}`,
    );
    console.log(
      `  cpu: this process ${use.self.toFixed(0)}% of a core, postgres ${use.postgres.toFixed(0)}%, redis ${use.redis.toFixed(0)}%; machine ${use.machine.toFixed(0)}% of ${use.cores * 100}%   event-loop delay p99 ${ms(loop.percentile(99) / 1e6)}`,
    );
    console.log(`  peak RSS ${mb(rss.stop())} sampled, maxRSS ${mb(maxRssBytes())}`);
    if (queued < count) process.exitCode = 1;

    if (process.env.BENCH_REMINDERS_RAW !== '0') {
      const raw = await rawDelayedJobs({ redis: app.redis, prefix: `${prefix}:raw`, count, windowMs, leadMs, concurrency });
      const rawP50 = quantile(raw.lateness, 0.5);
      const rawP99 = quantile(raw.lateness, 0.99);
      console.log(
        `  against raw BullMQ (${int(count)} delayed jobs over the same ${windowMs / 1000} s, same Redis, one Worker of concurrency ${concurrency}, a processor that only notes the time): ` +
          `lateness p50 ${ms(rawP50)} p99 ${ms(rawP99)}, ${int(raw.rate)} jobs/s, ${int(raw.processed)} of ${int(count)} run, ${raw.duplicates} twice (added in ${(raw.addMs / 1000).toFixed(1)} s)`,
      );
      console.log(
        `    Linli / raw: rate ${ratio(rate, raw.rate)}; lateness p99 ${ms(p99)} against ${ms(rawP99)} = ×${ratio(p99, rawP99)}, ` +
          `a difference of ${ms(p99 - rawP99)}`,
      );
    }
  } finally {
    rss.stop();
    await scheduler.queue.obliterate({ force: true }).catch(() => undefined);
    await scheduler.close().catch(() => undefined);
    console.log(`  (cleanup: ${await env.cleanup()})`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
