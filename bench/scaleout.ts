// `npm run bench -- scaleout`: Linli split over processes by LINLI_ROLES, against one process doing
// everything, the same traffic in the same invocation. Each layout gets a PostgreSQL database and a
// Redis prefix of its own, and real `node --import tsx src/main.ts` children (the heap limit of
// `npm start`), with Telegram pointed at a local Bot API that enforces Telegram's published limits
// (30 messages/s overall, 20/min per group) and answers 429 when they are broken.
//
//   1 process:   LINLI_ROLES=bots,workers,web
//   5 processes: 2 × web, 2 × workers, 1 × bots
//
// Inbound: web chat POSTs (/api/webchat/messages), spread evenly over the web processes, a fixed
// number in flight; a POST returns once the router has decided the replies, so a message's latency
// is the call to its answer. The personas are the page's (its first 100 web identities); each sends
// at most 30 a minute, the router's per-person limit, so none is held back.
// Then a broadcast (a project published to N Telegram groups), fanned out and sent by the workers.
//
// Printed per layout and side by side: inbound msg/s and p99, and its ratio to pgbench's
// single-row INSERT transactions/s on the same database with as many clients; the broadcast's rate
// against Telegram's 30/s; 429 answers (must be 0); duplicates (must be 0: every message recorded
// once in the database, every group sent the announcement once by the fake Bot API's count); each
// process's peak RSS (VmHWM) and CPU time per phase.
//
//   BENCH_SCALEOUT_MESSAGES=2400 (≤ 2,800: 100 personas × 28, under the per-person limit with the warm-up)
//   BENCH_SCALEOUT_CONCURRENCY=32  BENCH_SCALEOUT_GROUPS=1200  BENCH_SCALEOUT_PGBENCH_S=5
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { BroadcastScheduler } from '../jobs/broadcast.ts';
import { systemClock, type CoreContext } from '../src/core/context.ts';
import { createCommunity } from '../src/core/communities/create-community.ts';
import { createProject } from '../src/core/projects/create-project.ts';
import { publishProject } from '../src/core/projects/publish-project.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/prisma.ts';
import { hashTaggedPrefix } from '../src/lib/redis.ts';
import { announceProject } from '../src/notices/announce.ts';
import { createScratchDatabase } from '../tests/helpers/test-db.ts';
import { freePort } from '../tests/helpers/telegram-driver.ts';
import { makeTraffic, type Msg } from './inbound.ts';
import { deleteKeys } from './lib/env.ts';
import { achievedRate, fakeTelegramApi, type LimitedEndpoint } from './lib/fake-platforms.ts';
import { pgbenchInsertTps, ratio } from './lib/limits.ts';
import { describeWorld, seedWorld } from './lib/seed.ts';
import { int, mb, ms, quantile, runPool, sortedCopy } from './lib/stats.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const telegramLimitPerSecond = 30;
const personas = 100;

export interface ScaleoutOptions {
  messages: number;
  concurrency: number;
  groups: number;
  pgbenchSeconds: number;
  warmup: number;
  /** Print as it goes (default true). */
  print?: boolean;
}

interface ProcSpec {
  name: string;
  roles: string;
}

interface Layout {
  label: string;
  procs: ProcSpec[];
}

const layouts: Layout[] = [
  { label: '1 process (bots,workers,web)', procs: [{ name: 'all', roles: 'bots,workers,web' }] },
  {
    label: '5 processes (2 web, 2 workers, 1 bots)',
    procs: [
      { name: 'web1', roles: 'web' },
      { name: 'web2', roles: 'web' },
      { name: 'workers1', roles: 'workers' },
      { name: 'workers2', roles: 'workers' },
      { name: 'bots', roles: 'bots' },
    ],
  },
];

export interface ProcFigures {
  name: string;
  roles: string;
  pid: number;
  peakRss: number;
  cpuInboundMs: number;
  cpuBroadcastMs: number;
}

export interface LayoutResult {
  label: string;
  inbound: { sent: number; rate: number; p50: number; p99: number; failed: number; recorded: number; addressed: number; claims: number; duplicates: number; missing: number };
  pgbench: { tps: number; clients: number };
  broadcast: { groups: number; rate: number; refused: number; once: number; duplicates: number; missing: number; sentRows: number; wallMs: number };
  procs: ProcFigures[];
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v === undefined ? NaN : Number(v.replace(/[_,]/g, ''));
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/** utime + stime of a process, in ms (USER_HZ 100). */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The process's peak resident set (VmHWM), bytes. */
function peakRssOf(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Running {
  spec: ProcSpec;
  child: ChildProcess;
  url?: string;
  output: string;
}

/** Children still running when this process exits (an error, a signal) are not left behind. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** One layout's world: its database, prefix, fake Bot API and processes. */
class World {
  readonly prefix = `scale${randomBytes(4).toString('hex')}`;
  scratch!: { url: string; drop(): Promise<void> };
  db!: DatabaseHandle;
  ctx!: CoreContext;
  redis!: Redis;
  api!: LimitedEndpoint;
  procs: Running[] = [];
  tgCommunityId = 0;

  async open(groups: number): Promise<void> {
    this.scratch = await createScratchDatabase('scale');
    this.db = openDatabase(this.scratch.url);
    await migrate(this.db.pool);
    this.ctx = { prisma: this.db.prisma, clock: systemClock };
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.api = await fakeTelegramApi({ scale: 1 });
    // 10 communities × 100 web groups, the 100 personas, 20 open needs each; then a Telegram community.
    await seedWorld(this.db, world);
    const c = await createCommunity(this.ctx, { code: 'TG01', name: '回天电报社区' });
    this.tgCommunityId = c.id;
    await this.db.prisma.group.createMany({
      data: Array.from({ length: groups }, (_, i) => ({ platform: 'telegram' as const, externalId: String(-1_000_000_000_000 - i), title: `群${i}`, communityId: c.id })),
    });
    const start = new Date(Date.now() + 7 * 86400_000);
    await createProject(this.ctx, { communityId: c.id, title: '社区大扫除', shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), capacity: 30 }] });
  }

  async start(specs: ProcSpec[]): Promise<void> {
    const started = await Promise.all(
      specs.map(async (spec) => {
        const web = spec.roles.split(',').includes('web');
        const port = web ? await freePort() : 0;
        const child = spawn(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', 'src/main.ts'], {
          cwd: repoRoot,
          env: {
            ...process.env,
            DATABASE_URL: this.scratch.url,
            REDIS_URL: redisUrl,
            LINLI_QUEUE_PREFIX: this.prefix,
            LINLI_ROLES: spec.roles,
            LINLI_DEMO: 'off',
            LINLI_WEBCHAT: 'on',
            LINLI_WEBCHAT_POSTS_PER_MINUTE: '10000000',
            LOG_LEVEL: 'error',
            LOG_FORMAT: 'json',
            PORT: String(port),
            HOST: '127.0.0.1',
            TELEGRAM_BOT_TOKEN: '900001:bench',
            TELEGRAM_API_ROOT: this.api.url,
            TELEGRAM_WEBHOOK_URL: '',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const r: Running = { spec, child, url: web ? `http://127.0.0.1:${port}` : undefined, output: '' };
        const keep = (b: Buffer) => void (r.output = (r.output + b.toString('utf8')).slice(-4000));
        child.stdout?.on('data', keep);
        child.stderr?.on('data', keep);
        this.procs.push(r);
        children.add(child);
        child.once('exit', () => children.delete(child));
        return r;
      }),
    );
    // Ready: a web process answers /healthz; any process has printed its start banner.
    const deadline = Date.now() + 120_000;
    for (const r of started) {
      for (;;) {
        if (r.child.exitCode !== null) throw new Error(`${r.spec.name} exited (${r.child.exitCode}): ${r.output}`);
        const banner = r.output.includes('PostgreSQL at');
        const healthy = !r.url || (await fetch(`${r.url}/healthz`).then((x) => x.ok, () => false));
        if (banner && healthy) break;
        if (Date.now() > deadline) throw new Error(`${r.spec.name} not ready after 120 s: ${r.output}`);
        await sleep(100);
      }
    }
  }

  get webUrls(): string[] {
    return this.procs.flatMap((p) => (p.url ? [p.url] : []));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        const exited = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        const t = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
      }),
    );
  }

  async close(): Promise<void> {
    await this.stop().catch(() => undefined);
    if (this.redis) {
      await deleteKeys(this.redis, `${hashTaggedPrefix(this.prefix)}:*`).catch(() => undefined);
      this.redis.disconnect();
    }
    await this.db?.close().catch(() => undefined);
    await this.scratch?.drop().catch(() => undefined);
    await this.api?.close().catch(() => undefined);
  }
}

const world = describeWorld({ communities: 10, groupsPerCommunity: 100, persons: personas, needsPerCommunity: 20 });

/** The mix of bench/inbound.ts, every message from one of the page's personas, in turn (each ≤ 30 a minute). */
function traffic(count: number, seed: number, idPrefix: string): Msg[] {
  return makeTraffic(world, count, seed, idPrefix, undefined, 0).map((m, i) => {
    const p = world.person((i % personas) + 1);
    return { ...m, name: p.name, post: { ...m.post, persona: p.userId } };
  });
}

async function post(url: string, m: Msg): Promise<number> {
  const res = await fetch(`${url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(m.post) });
  await res.arrayBuffer();
  return res.status;
}

async function runLayout(layout: Layout, opts: ScaleoutOptions, log: (s: string) => void): Promise<LayoutResult> {
  const w = new World();
  try {
    const t0 = performance.now();
    await w.open(opts.groups);
    await w.start(layout.procs);
    log(`  ${layout.label}: started in ${((performance.now() - t0) / 1000).toFixed(1)} s (database, seed, processes)`);
    const urls = w.webUrls;
    const runId = randomBytes(3).toString('hex');

    // Warm-up (not counted): JIT, pools, query plans.
    const warm = traffic(opts.warmup, 99, `w${runId}`);
    let failed = 0;
    await runPool(warm.length, Math.min(16, opts.concurrency), async (i) => {
      if ((await post(urls[i % urls.length]!, warm[i]!).catch(() => 0)) !== 202) failed++;
    });

    // Inbound, measured.
    const msgs = traffic(opts.messages, 1, `m${runId}`);
    const latencies = new Float64Array(msgs.length);
    const cpu0 = w.procs.map((p) => cpuMsOf(p.child.pid!));
    const { wallMs } = await runPool(msgs.length, opts.concurrency, async (i) => {
      const s = performance.now();
      const status = await post(urls[i % urls.length]!, msgs[i]!).catch(() => 0);
      latencies[i] = performance.now() - s;
      if (status !== 202) {
        failed++;
        if (failed <= 3) console.error(`  POST answered ${status}`);
      }
    });
    const cpu1 = w.procs.map((p) => cpuMsOf(p.child.pid!));
    const sorted = sortedCopy(latencies);
    const sent = warm.length + msgs.length;
    // Every message is one web chat line (by its clientId); every one addressed to the bot (all
    // but chatter) is one InboundMessage claim (by its id, the same clientId).
    const addressed = [...warm, ...msgs].filter((m) => m.kind !== 'chatter').length;
    const claims = (
      await w.db.pool.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT "externalId")::int AS distinct FROM "InboundMessage" WHERE platform = 'web'`)
    ).rows[0]!;
    const lines = (
      await w.db.pool.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT "clientId")::int AS distinct FROM "WebChatMessage" WHERE "senderId" IS NOT NULL`)
    ).rows[0]!;
    const inbound = {
      sent,
      rate: (msgs.length / wallMs) * 1000,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      failed,
      recorded: lines.distinct,
      addressed,
      claims: claims.distinct,
      duplicates: claims.n - claims.distinct + (lines.n - lines.distinct),
      missing: Math.max(0, sent - lines.distinct) + Math.max(0, addressed - claims.distinct),
    };

    // The floor: pgbench on this database, as many clients as messages in flight.
    const pgb = await pgbenchInsertTps({ url: w.scratch.url, clients: opts.concurrency, seconds: opts.pgbenchSeconds });

    // Broadcast to the Telegram groups, through the workers.
    const b0 = Date.now();
    const cpu2 = w.procs.map((p) => cpuMsOf(p.child.pid!));
    const { broadcast } = await publishProject(w.ctx, { communityId: w.tgCommunityId, number: 1, actorId: null, via: 'cli' }, announceProject);
    const scheduler = new BroadcastScheduler(w.redis, w.prefix);
    await scheduler.schedule(broadcast);
    await scheduler.close();
    const deadline = Date.now() + Math.max(120_000, (opts.groups / telegramLimitPerSecond) * 3000);
    for (;;) {
      const pending = await w.ctx.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: 'pending' } });
      if (pending === 0 && w.api.accepted.length >= opts.groups) break;
      if (Date.now() > deadline) {
        console.error(`  broadcast not finished: ${pending} pending, ${w.api.accepted.length} accepted`);
        break;
      }
      for (const p of w.procs) if (p.child.exitCode !== null) throw new Error(`${p.spec.name} exited: ${p.output}`);
      await sleep(200);
    }
    const bWall = Date.now() - b0;
    await sleep(1000); // a late duplicate would show here
    const cpu3 = w.procs.map((p) => cpuMsOf(p.child.pid!));
    const counts = [...w.api.perChat.values()];
    const sentRows = await w.ctx.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: 'sent' } });
    const result: LayoutResult = {
      label: layout.label,
      inbound,
      pgbench: { tps: pgb.tps, clients: pgb.clients },
      broadcast: {
        groups: opts.groups,
        rate: achievedRate(w.api.accepted),
        refused: w.api.refused,
        once: counts.filter((n) => n === 1).length,
        duplicates: counts.reduce((a, n) => a + Math.max(0, n - 1), 0),
        missing: opts.groups - w.api.perChat.size,
        sentRows,
        wallMs: bWall,
      },
      procs: w.procs.map((p, i) => ({
        name: p.spec.name,
        roles: p.spec.roles,
        pid: p.child.pid!,
        peakRss: peakRssOf(p.child.pid!),
        cpuInboundMs: cpu1[i]! - cpu0[i]!,
        cpuBroadcastMs: cpu3[i]! - cpu2[i]!,
      })),
    };
    printLayout(result, wallMs, log);
    return result;
  } finally {
    await w.close();
  }
}

function printLayout(r: LayoutResult, inboundWallMs: number, log: (s: string) => void): void {
  const i = r.inbound;
  const b = r.broadcast;
  log(
    `    inbound: ${int(i.rate)} msg/s, p50 ${ms(i.p50)} p99 ${ms(i.p99)} (${int(i.sent - i.failed)} of ${int(i.sent)} answered 202, warm-up included; measured run ${(inboundWallMs / 1000).toFixed(1)} s)` +
      ` = ${ratio(i.rate, r.pgbench.tps)} of pgbench's ${int(r.pgbench.tps)} single-row INSERT tx/s (-c ${r.pgbench.clients}, same database)`,
  );
  log(
    `    recorded once: ${int(i.recorded)} of ${int(i.sent)} web chat lines; ${int(i.claims)} of ${int(i.addressed)} messages addressed to the bot claimed (InboundMessage); ` +
      `${i.duplicates} duplicates, ${i.missing} missing`,
  );
  log(
    `    broadcast → Telegram, ${int(b.groups)} groups: ${b.rate.toFixed(1)} msg/s of the ${telegramLimitPerSecond}/s limit = ${ratio(b.rate, telegramLimitPerSecond)}; ` +
      `${b.refused} × 429; ${int(b.once)} groups sent it once, ${b.duplicates} duplicates, ${b.missing} missing; ${int(b.sentRows)} Delivery rows sent; ${(b.wallMs / 1000).toFixed(1)} s`,
  );
  log(
    `    per process: ${r.procs
      .map((p) => `${p.name} peak RSS ${mb(p.peakRss)}, cpu ${(p.cpuInboundMs / 1000).toFixed(1)} s inbound / ${(p.cpuBroadcastMs / 1000).toFixed(1)} s broadcast`)
      .join('; ')}`,
  );
}

export async function main(opts: ScaleoutOptions): Promise<{ results: LayoutResult[]; ok: boolean }> {
  const log = opts.print === false ? () => undefined : (s: string) => console.log(s);
  const load = loadavg();
  log(
    `scale-out: the same traffic through 1 process and through 5 (LINLI_ROLES), each on a database and Redis prefix of its own; ` +
      `${int(opts.messages)} web chat messages, ${opts.concurrency} in flight, then a broadcast to ${int(opts.groups)} Telegram groups (load average ${load.map((l) => l.toFixed(1)).join(' ')})`,
  );
  const results: LayoutResult[] = [];
  for (const layout of layouts) results.push(await runLayout(layout, opts, log));
  const [one, many] = results as [LayoutResult, LayoutResult];
  log(
    `  side by side: inbound ${int(many.inbound.rate)} msg/s against ${int(one.inbound.rate)} in 1 process = ×${(many.inbound.rate / one.inbound.rate).toFixed(2)} ` +
      `(p99 ${ms(many.inbound.p99)} against ${ms(one.inbound.p99)}); against pgbench ${ratio(many.inbound.rate, many.pgbench.tps)} against ${ratio(one.inbound.rate, one.pgbench.tps)}; ` +
      `broadcast ${ratio(many.broadcast.rate, telegramLimitPerSecond)} of the limit against ${ratio(one.broadcast.rate, telegramLimitPerSecond)}`,
  );
  const cpuPer = (r: LayoutResult) => r.procs.reduce((a, p) => a + p.cpuInboundMs, 0) / opts.messages;
  log(
    `  cpu per inbound message, all processes together: ${cpuPer(many).toFixed(2)} ms against ${cpuPer(one).toFixed(2)} ms in 1 process ` +
      `(Node only; on ${cpus().length} cores a split only pays once one process's core is the limit)`,
  );
  const refused = results.reduce((a, r) => a + r.broadcast.refused, 0);
  const dupes = results.reduce((a, r) => a + r.inbound.duplicates + r.broadcast.duplicates, 0);
  const missing = results.reduce((a, r) => a + r.inbound.missing + r.broadcast.missing + r.inbound.failed, 0);
  const ok = refused === 0 && dupes === 0 && missing === 0;
  log(`  429s ${refused} (target 0), duplicates ${dupes} (target 0), missing or refused posts ${missing} ${ok ? '✓' : '✗'}`);
  log(`  (load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}; the driver's own fetch calls share the machine's 2 cores with the processes it measures)`);
  return { results, ok };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const messages = Math.min(envInt('BENCH_SCALEOUT_MESSAGES', 2_400), 2_800);
  main({
    messages,
    concurrency: envInt('BENCH_SCALEOUT_CONCURRENCY', 32),
    groups: envInt('BENCH_SCALEOUT_GROUPS', 1_200),
    pgbenchSeconds: envInt('BENCH_SCALEOUT_PGBENCH_S', 5),
    warmup: 200,
  }).then(
    ({ ok }) => process.exit(ok ? 0 : 1),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
