// Inbound benchmark: messages per second through web chat adapter → router → core → Postgres →
// outbound queue, in one process, with 10,000 groups bound. Each message is one
// `app.webChat.receive(post, name)` (what the page's POST does); its latency runs from the call
// to its return, which comes after the replies are in the BullMQ outbound queue.
//
//   npm run bench -- inbound [--queries] [--cpu-prof]
//   BENCH_INBOUND_MESSAGES=20000 BENCH_MAX_SECONDS=60 (0: no cap) BENCH_CONCURRENCY=32 (or 8,16,32,64,128 to compare)
//   BENCH_WARMUP=500 BENCH_PGBENCH_S=5 (0: no pgbench)
//
// Beside the throughput: pgbench's single-row INSERT transactions per second on the same database,
// with as many clients as messages in flight, run after the measurement: the ratio is how much of
// the database's floor speed a whole message keeps.
// Concurrency 32: on the 2-core machine throughput stops growing at 16–32 in flight; beyond that
// only the queue (and so latency) grows.
//
// --cpu-prof writes a CPU profile of the measured run(s) to tmp/bench/ (bench/profile-summary.ts reads it).
// --queries adds a second pass: each kind of message alone, one at a time, counting the SQL
// statements and Redis commands it costs.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { cpus, loadavg } from 'node:os';
import type { WebChatPost } from '../src/bots/web/web-chat-adapter.ts';
import type { RouteOutcome } from '../src/flows/router.ts';
import type { SendEffect } from '../src/core/effects.ts';
import { chatter, fill, mentionTexts, nameSuffixes, needFamilies, surnames } from './lib/corpus.ts';
import { cpuMeter } from './lib/cpu.ts';
import { pgbenchInsertTps, ratio } from './lib/limits.ts';
import { backendPids, createBenchEnv, type BenchEnv } from './lib/env.ts';
import { startCpuProfile } from './lib/profiler.ts';
import { QueryCounter } from './lib/query-count.ts';
import { describeWorld, seedWorld, type World } from './lib/seed.ts';
import { int, maxRssBytes, mb, ms, pick, quantile, rng, RssSampler, runPool, sortedCopy } from './lib/stats.ts';

const targets = { throughput: 2_000, p99Ms: 50, rssMb: 300 };

export const kinds = ['chatter', 'need', 'upvote', 'needs', 'help', 'mention'] as const;
export type Kind = (typeof kinds)[number];
const kindLabel: Record<Kind, string> = {
  chatter: 'chatter (ignored)',
  need: '需求 …',
  upvote: '+1 N',
  needs: '需求清单',
  help: '帮助',
  mention: '@邻里助手 …',
};
/** Percent of messages of each kind. */
const mix: Record<Kind, number> = { chatter: 50, need: 16, upvote: 12, needs: 8, help: 4, mention: 10 };
/** Share of messages from people the bot has never seen (their first message creates them). */
const newSenderShare = 0.02;
const newSenderPool = 500;

export interface Msg {
  kind: Kind;
  post: WebChatPost;
  name: string;
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v === undefined ? NaN : Number(v.replace(/[_,]/g, ''));
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * Deterministic traffic: `count` messages of the mix (or of one kind), spread over the world;
 * `newShare` of them from people the bot has never seen (the web chat page offers only known ones).
 */
export function makeTraffic(world: World, count: number, seed: number, idPrefix: string, only?: Kind, newShare = newSenderShare): Msg[] {
  const rand = rng(seed);
  const cumulative: Array<[Kind, number]> = [];
  let sum = 0;
  for (const k of kinds) cumulative.push([k, (sum += mix[k])]);
  const newNames = Array.from({ length: newSenderPool }, (_, i) => surnames.charAt((i * 31) % surnames.length) + nameSuffixes[i % nameSuffixes.length]!);
  const out: Msg[] = [];
  for (let i = 0; i < count; i++) {
    let kind: Kind = only ?? 'chatter';
    if (!only) {
      const r = rand() * sum;
      kind = cumulative.find(([, c]) => r < c)![0];
    }
    let userId: string;
    let name: string;
    let community: number;
    let group: number;
    if (rand() < newShare) {
      const k = Math.floor(rand() * newSenderPool);
      userId = `${idPrefix}-new${k}`;
      name = newNames[k]!;
      community = 1 + Math.floor(rand() * world.communities);
      group = 1 + Math.floor(rand() * world.groupsPerCommunity);
    } else {
      const p = world.person(1 + Math.floor(rand() * world.persons));
      userId = p.userId;
      name = p.name;
      community = p.community;
      group = p.groups[rand() < 0.7 ? 0 : 1];
    }
    const building = ((group - 1) % 30) + 1;
    let text: string;
    switch (kind) {
      case 'chatter':
        text = fill(pick(rand, chatter), rand);
        break;
      case 'need':
        text = `需求 ${fill(pick(rand, pick(rand, needFamilies)), rand, building)}`;
        break;
      case 'upvote':
        text = `+1 ${1 + Math.floor(rand() * (world.needsPerCommunity + 10))}`;
        break;
      case 'needs':
        text = '需求清单';
        break;
      case 'help':
        text = '帮助';
        break;
      case 'mention':
        text = `@邻里助手 ${fill(pick(rand, mentionTexts), rand, building)}`;
        break;
    }
    out.push({
      kind,
      name,
      post: { conversation: world.groupConversation(community, group), persona: userId, text, clientId: `${idPrefix}-${String(i).padStart(7, '0')}` },
    });
  }
  return out;
}

/** What the router did with the messages, read from the outcomes handleInbound returns. */
class Tally {
  ignored = 0;
  answered = 0;
  duplicate = 0;
  invalid = 0;
  thrown = 0;
  replies = 0;
  needCreated = 0;
  needLinked = 0;
  upvoted = 0;
  upvoteRefused = 0;

  add(kind: Kind | undefined, o: RouteOutcome): void {
    if (!o.handled) {
      if (o.reason === 'not-addressed') this.ignored++;
      else if (o.reason === 'duplicate') this.duplicate++;
      else this.invalid++;
      return;
    }
    this.answered++;
    const sends = o.events.filter((e): e is SendEffect => e.kind === 'send');
    this.replies += sends.length;
    const first = sends[0]?.message.text ?? '';
    if (first.startsWith('已登记需求')) this.needCreated++;
    else if (first.startsWith('这和需求')) this.needLinked++;
    if (kind === 'upvote') {
      if (first.startsWith('已为需求')) this.upvoted++;
      else this.upvoteRefused++;
    }
  }
}

interface RunResult {
  count: number;
  concurrency: number;
  wallMs: number;
  latencies: Float64Array;
  tally: Tally;
  rssPeak: number;
  heapPeak: number;
  loopP99: number;
  cpu: ReturnType<ReturnType<typeof cpuMeter>['stop']>;
}

async function measure(
  env: BenchEnv,
  msgs: Msg[],
  concurrency: number,
  tally: Tally,
  kindOf: Map<string, Kind>,
  deadline = Infinity,
): Promise<RunResult> {
  for (const m of msgs) kindOf.set(m.post.clientId, m.kind);
  const latencies = new Float64Array(msgs.length);
  const rss = new RssSampler(100).start();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu = cpuMeter(() => backendPids(env.app.db.pool));
  const { wallMs, done } = await runPool(msgs.length, concurrency, async (i) => {
    const m = msgs[i]!;
    const t0 = performance.now();
    try {
      await env.app.webChat.receive(m.post, m.name);
    } catch (err) {
      tally.thrown++;
      if (tally.thrown <= 3) console.error('  receive() threw:', err);
    }
    latencies[i] = performance.now() - t0;
  }, deadline);
  const cpuUse = cpu.stop();
  loop.disable();
  return {
    count: done,
    concurrency,
    wallMs,
    latencies: sortedCopy(latencies.subarray(0, done)),
    tally,
    rssPeak: rss.stop(),
    heapPeak: rss.heapPeak,
    loopP99: loop.percentile(99) / 1e6,
    cpu: cpuUse,
  };
}

const check = (ok: boolean) => (ok ? '✓' : '✗ missed');

function mixLine(msgs: Msg[]): string {
  const counts = new Map<Kind, number>();
  for (const m of msgs) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  const parts = kinds.map((k) => `${kindLabel[k]} ${((100 * (counts.get(k) ?? 0)) / msgs.length).toFixed(0)}%`);
  const fresh = msgs.filter((m) => m.post.persona.includes('-new')).length;
  return `${parts.join(', ')}; ${((100 * fresh) / msgs.length).toFixed(0)}% from first-time senders`;
}

export async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  const wantQueries = args.includes('--queries');
  const wantProfile = args.includes('--cpu-prof');
  const messages = envInt('BENCH_INBOUND_MESSAGES', 20_000);
  const maxSeconds = envInt('BENCH_MAX_SECONDS', 60);
  const warmup = envInt('BENCH_WARMUP', 500);
  const pgbenchSeconds = envInt('BENCH_PGBENCH_S', 5);
  const concurrencies = (process.env.BENCH_CONCURRENCY ?? '32').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
  const world = describeWorld({ communities: 100, groupsPerCommunity: 100, persons: 5_000, needsPerCommunity: 20 });
  const counter = wantQueries ? new QueryCounter().install() : undefined;

  let seededMs = 0;
  const env = await createBenchEnv({
    roles: ['bots'],
    personRatePerMinute: 1_000_000,
    seed: async (db) => {
      seededMs = (await seedWorld(db, world)).ms;
    },
  });
  const runId = randomBytes(3).toString('hex');
  try {
    const tally = new Tally();
    const kindOf = new Map<string, Kind>();
    let current = tally;
    await env.app.webChat.start(async (e) => {
      const o = await env.app.handleInbound(e);
      current.add(kindOf.get(e.messageId), o);
    });

    // Warm-up: not counted (JIT, pool connections, query plans, Lua scripts loaded).
    const warm = new Tally();
    current = warm;
    if (warmup > 0) await measure(env, makeTraffic(world, warmup, 99, `w${runId}`), Math.min(16, concurrencies[0] ?? 16), warm, kindOf);
    let repliesExpected = warm.replies;
    const before = process.memoryUsage();
    const load = loadavg()[0]!;
    const profiler = wantProfile ? await startCpuProfile() : undefined;

    console.log(`inbound (web chat → router → core → Postgres → outbound queue), 1 process, ${int(world.groupCount)} groups bound`);
    const rates: Array<{ concurrency: number; rate: number }> = [];
    for (const [n, concurrency] of concurrencies.entries()) {
      const msgs = makeTraffic(world, messages, 1 + n, `m${runId}c${concurrency}`);
      const t = new Tally();
      current = t;
      const r = await measure(env, msgs, concurrency, t, kindOf, maxSeconds > 0 ? performance.now() + maxSeconds * 1000 : Infinity);
      repliesExpected += t.replies;
      const capped = r.count < msgs.length ? ` (stopped by the ${maxSeconds} s cap, BENCH_MAX_SECONDS, of ${int(msgs.length)})` : '';
      const rate = (r.count / r.wallMs) * 1000;
      rates.push({ concurrency, rate });
      const p99 = quantile(r.latencies, 0.99);
      const peakOk = r.rssPeak < targets.rssMb * 1024 * 1024;
      console.log(`  messages: ${int(r.count)}${capped} (mix: ${mixLine(msgs.slice(0, r.count))})   concurrency: ${concurrency}`);
      console.log(`  throughput: ${int(rate)} msg/s   (target ≥ ${int(targets.throughput)}) ${check(rate >= targets.throughput)}`);
      console.log(
        `  latency p50 ${ms(quantile(r.latencies, 0.5))}  p99 ${ms(p99)}   (target p99 < ${targets.p99Ms} ms) ${check(p99 < targets.p99Ms)}` +
          `   [p90 ${ms(quantile(r.latencies, 0.9))}, max ${ms(r.latencies[r.latencies.length - 1]!)}]`,
      );
      console.log(
        `  peak RSS ${mb(r.rssPeak)}   (target < ${targets.rssMb} MB) ${check(peakOk)}` +
          `   [rss sampled every 100 ms during the run; process.resourceUsage().maxRSS ${mb(maxRssBytes())}; heap used peak ${mb(r.heapPeak)}]`,
      );
      const errors = t.invalid + t.thrown + t.duplicate;
      console.log(
        `  outcomes: ${int(t.ignored)} ignored, ${int(t.answered)} answered → ${int(t.replies)} replies queued; ` +
          `需求: ${int(t.needCreated)} new, ${int(t.needLinked)} linked to a near-duplicate; +1: ${int(t.upvoted)} counted, ${int(t.upvoteRefused)} refused; ` +
          `errors: ${errors === 0 ? 'none' : `${t.invalid} failed in the router, ${t.thrown} thrown by receive(), ${t.duplicate} duplicates`}`,
      );
      const others = Math.max(0, r.cpu.machine - r.cpu.self - r.cpu.postgres - r.cpu.redis);
      console.log(
        `  cpu: this process ${r.cpu.self.toFixed(0)}% of a core, its postgres backends ${r.cpu.postgres.toFixed(0)}%, redis ${r.cpu.redis.toFixed(0)}%, ` +
          `everything else ${others.toFixed(0)}%; machine ${r.cpu.machine.toFixed(0)}% of ${r.cpu.cores * 100}% (load average ${load.toFixed(1)} before the run); ` +
          `event-loop delay p99 ${ms(r.loopP99)}`,
      );
      // CPU time per message: what the machine would sustain with nothing else running on it.
      const per = (p: number) => (p / 100) * (r.wallMs / r.count);
      const nodeMs = per(r.cpu.self);
      const allMs = nodeMs + per(r.cpu.postgres) + per(r.cpu.redis);
      const oneCore = 1000 / nodeMs;
      const allCores = (1000 * r.cpu.cores) / allMs;
      console.log(
        `  cpu per message: this process ${nodeMs.toFixed(2)} ms, postgres ${per(r.cpu.postgres).toFixed(2)} ms, redis ${per(r.cpu.redis).toFixed(2)} ms ` +
          `→ ceiling ≈ ${int(Math.min(oneCore, allCores))} msg/s here with nothing else running (${oneCore < allCores ? "this process's one core" : 'all cores'} the limit)`,
      );
    }
    console.log(
      `  setup: ${world.communities} communities × ${world.groupsPerCommunity} web groups, ${int(world.persons)} residents, ` +
        `${int(world.communities * world.needsPerCommunity)} open needs, seeded in ${(seededMs / 1000).toFixed(1)} s; ` +
        `${int(warmup)} warm-up messages not counted; RSS before the run ${mb(before.rss)} (heap ${mb(before.heapUsed)})`,
    );
    if (profiler) console.log(`  cpu profile of the measured run(s): ${await profiler.stop('inbound')}`);
    if (pgbenchSeconds > 0) {
      for (const { concurrency, rate } of rates) {
        try {
          const pgb = await pgbenchInsertTps({ url: env.db.url, schema: env.db.schema, clients: concurrency, seconds: pgbenchSeconds });
          console.log(
            `  against the database: ${int(rate)} msg/s = ${ratio(rate, pgb.tps)} of pgbench's ${int(pgb.tps)} single-row INSERT transactions/s ` +
              `(same database, -c ${concurrency} as the messages in flight, -T ${pgbenchSeconds}, run after the measurement)`,
          );
        } catch (err) {
          console.log(`  against the database: pgbench failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
        }
      }
    }

    const counts = await env.app.outbox.queue('web').getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
    const queued = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(
      `  outbound queue holds ${int(queued)} jobs = replies decided, warm-up included: ${int(repliesExpected)} ${queued === repliesExpected ? '✓' : '✗ mismatch'}`,
    );

    if (counter) await queryProfile(env, world, counter, runId, kindOf, (t) => (current = t));
  } finally {
    console.log(`  cleanup: ${await env.cleanup()}`);
  }
}

/** Each kind alone, one message at a time: SQL statements and Redis commands per message. */
async function queryProfile(
  env: BenchEnv,
  world: World,
  counter: QueryCounter,
  runId: string,
  kindOf: Map<string, Kind>,
  setTally: (t: Tally) => void,
): Promise<void> {
  const per = 300;
  console.log(`  per message, each kind alone (${per} each, one at a time; SQL time = call to result; cpu = this process's CPU time):`);
  console.log(
    `    ${'kind'.padEnd(18)} ${'SQL'.padStart(5)} ${'Redis'.padStart(6)} ${'latency'.padStart(9)} ${'SQL time'.padStart(9)} ${'cpu'.padStart(8)}   statements per message`,
  );
  let mixSql = 0;
  let mixRedis = 0;
  for (const [i, kind] of kinds.entries()) {
    const msgs = makeTraffic(world, per, 1000 + i, `q${runId}${kind}`, kind);
    const t = new Tally();
    setTally(t);
    counter.reset();
    counter.enabled = true;
    const r = await measure(env, msgs, 1, t, kindOf);
    counter.enabled = false;
    const cpuMs = ((r.cpu.self / 100) * r.wallMs) / per;
    const sqlMs = [...counter.sql.values()].reduce((a, s) => a + s.ms, 0) / per;
    const statements = [...counter.sql.entries()]
      .sort((a, b) => b[1].n - a[1].n)
      .map(([k, s]) => `${k} ${(s.n / per).toFixed(2).replace(/\.?0+$/, '')}`)
      .join(', ');
    const redis = [...counter.redis.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${(n / per).toFixed(2).replace(/\.?0+$/, '')}`)
      .join(', ');
    mixSql += (mix[kind] / 100) * (counter.sqlTotal / per);
    mixRedis += (mix[kind] / 100) * (counter.redisTotal / per);
    const mean = r.latencies.reduce((a, b) => a + b, 0) / per;
    console.log(
      `    ${kindLabel[kind].padEnd(18)} ${(counter.sqlTotal / per).toFixed(1).padStart(5)} ${(counter.redisTotal / per).toFixed(1).padStart(6)} ` +
        `${ms(mean).padStart(9)} ${ms(sqlMs).padStart(9)} ${ms(cpuMs).padStart(8)}   ${statements}`,
    );
    console.log(`    ${''.padEnd(18)} ${''.padStart(5)} ${''.padStart(6)} ${''.padStart(9)} ${''.padStart(9)} ${''.padStart(8)}   redis: ${redis}`);
  }
  console.log(`    the mix costs ${mixSql.toFixed(1)} SQL statements and ${mixRedis.toFixed(1)} Redis commands per message`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
