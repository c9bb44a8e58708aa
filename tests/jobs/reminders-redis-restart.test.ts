// With 1,000 reminders pending, Redis restarts: none is lost, none is sent twice. The test runs a
// redis-server of its own (append-only file, fsync on every write, in a temporary directory),
// schedules 1,000 reminders due a few seconds later, stops that Redis (SIGTERM) and starts it again
// on the same directory, then starts the reminder worker: each of the 1,000 volunteers gets exactly
// one reminder in the web chat. Then 1,000 stale duplicate jobs are run too: still one each.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { realClockEnv } from '../helpers/real-clock-env.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { eventually } from '../helpers/volunteering-world.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { createProject } from '../../src/core/projects/create-project.ts';
import { planReminders } from '../../src/core/reminders/plan-reminders.ts';
import { reminderJobs } from '../../jobs/reminders.ts';

const volunteers = 1000;
const shifts = 10;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function ping(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

describe('1,000 pending reminders survive a Redis restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-redis-'));
  let port = 0;
  let redis: ChildProcess | undefined;
  let h: Harness | undefined;
  const url = () => `redis://127.0.0.1:${port}`;

  const startRedis = async () => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--save', '', '--daemonize', 'no'],
      { stdio: 'ignore', env: realClockEnv() },
    );
    redis = child;
    await eventually(() => ping(url()), 10_000, `redis-server on port ${port}`);
    return child;
  };
  const stopRedis = async (child: ChildProcess) => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };

  afterAll(async () => {
    await h?.close().catch(() => undefined);
    if (redis && redis.exitCode === null) await stopRedis(redis);
    rmSync(dir, { recursive: true, force: true });
  });

  test('stop Redis (SIGTERM) and start it again with 1,000 reminders due: each sent exactly once', { timeout: 180_000 }, async () => {
    port = await freePort();
    const first = await startRedis();
    h = await createHarness({ redisUrl: url(), start: false });
    const ctx = h.app.ctx;

    // 1,000 volunteers confirmed on 10 shifts that start 10 minutes and ~15 seconds from now;
    // the community reminds 10 minutes before (quiet hours off, so the time of day does not matter).
    const community = await createCommunity(ctx, { code: 'HT01', name: '回天一社区' });
    await ctx.prisma.community.update({ where: { id: community.id }, data: { reminderOffsets: '10m', quietHours: null } });
    const start = new Date(Date.now() + 10 * 60_000 + 15_000);
    const { project } = await createProject(ctx, {
      communityId: community.id,
      title: '社区大扫除',
      shifts: Array.from({ length: shifts }, () => ({ startsAt: start, endsAt: new Date(start.getTime() + 2 * 3_600_000), capacity: volunteers / shifts })),
    });
    await ctx.prisma.project.update({ where: { id: project.id }, data: { status: 'published' } });
    await h.db.pool.query(
      `WITH p AS (
         INSERT INTO "Person" ("displayName") SELECT 'v' || g FROM generate_series(1, $1::int) g RETURNING id, "displayName"
       ), i AS (
         INSERT INTO "Identity" ("personId", platform, "externalId", "displayName") SELECT id, 'web', "displayName", "displayName" FROM p RETURNING "personId"
       )
       INSERT INTO "SignUp" ("shiftId", "personId", status)
       SELECT ($2::int[])[1 + (row_number() OVER (ORDER BY "personId") - 1) % $3::int], "personId", 'confirmed' FROM i`,
      [volunteers, project.shifts.map((s) => s.id), shifts],
    );
    await h.db.pool.query(`UPDATE "Shift" SET "confirmedCount" = $1 WHERE "projectId" = $2`, [volunteers / shifts, project.id]);
    const signUpIds = (await ctx.prisma.signUp.findMany({ select: { id: true } })).map((s) => s.id);
    expect(signUpIds).toHaveLength(volunteers);
    const changes = await planReminders(ctx.prisma, signUpIds, { now: ctx.clock.now(), reset: true });
    expect(changes.add).toHaveLength(volunteers);
    await h.app.reminders.add(changes.add, ctx.clock);
    expect(await h.app.reminders.queue.getDelayedCount()).toBe(volunteers);

    // Stop Redis and start it again on the same directory: the append-only file brings the jobs back.
    await stopRedis(first);
    expect(await ping(url())).toBe(false);
    await startRedis();
    expect(await h.app.reminders.queue.getDelayedCount()).toBe(volunteers);

    // Now the reminder worker (and the outbound worker that delivers to the web chat).
    await h.app.start();
    await eventually(async () => (await ctx.prisma.reminder.count({ where: { status: 'sent' } })) === volunteers, 120_000, 'all reminders sent');
    await h.drain(60_000);
    const perPerson = await h.db.pool.query<{ conversation: string; n: number }>(
      `SELECT conversation, count(*)::int AS n FROM "WebChatMessage" WHERE "senderId" IS NULL AND text LIKE '【活动提醒】%' GROUP BY conversation`,
    );
    expect(perPerson.rows).toHaveLength(volunteers);
    expect(perPerson.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(await ctx.prisma.reminder.count({ where: { status: { not: 'sent' } } })).toBe(0);
    const outbound = await h.app.outbox.queue('web').getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
    expect(outbound).toMatchObject({ completed: volunteers, failed: 0 });

    // Stale duplicates (another job for the same reminders, e.g. left from a superseded plan) are harmless.
    const rows = await ctx.prisma.reminder.findMany({ select: { id: true } });
    await h.app.reminders.queue.addBulk(rows.map((r) => ({ name: reminderJobs.send.name, data: { v: 1, reminderId: r.id }, opts: { jobId: `stale-${r.id}` } })));
    await h.drain(60_000);
    await eventually(async () => (await h!.app.reminders.queue.getJobCounts('completed')).completed >= 2 * volunteers, 60_000, 'stale jobs done');
    const total = await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebChatMessage" WHERE "senderId" IS NULL`);
    expect(total.rows[0]!.n).toBe(volunteers);
  });
});
