// `npm run cli -- community set …`, run as npm runs it, against a database of its own and a Redis
// queue prefix of its own: settings stored in their canonical form, bad values refused, and a change
// of offsets re-plans the reminders already scheduled (their jobs replaced in the queue).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/db/prisma.ts';
import { migrate } from '../src/db/migrate.ts';
import { systemClock, type CoreContext } from '../src/core/context.ts';
import { createCommunity } from '../src/core/communities/create-community.ts';
import { createProject } from '../src/core/projects/create-project.ts';
import { ensurePerson } from '../src/core/people/resolve-person.ts';
import { signUp } from '../src/core/signups/sign-up.ts';

const run = promisify(execFile);
const server = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('npm run cli -- community set', () => {
  const name = `linli_cset_${randomBytes(4).toString('hex')}`;
  const prefix = `{tcset${randomBytes(4).toString('hex')}}`; // hash-tagged, as the app's keys are
  const url = new URL(server);
  url.pathname = `/${name}`;
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn', REDIS_URL: redisUrl, LINLI_QUEUE_PREFIX: prefix },
    });
  let db: DatabaseHandle;
  let ctx: CoreContext;
  let redis: Redis;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    db = openDatabase(url.toString());
    await migrate(db.pool);
    ctx = { prisma: db.prisma, clock: systemClock };
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.close();
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  test('reminders, quiet hours, time zone; refusals; scheduled reminders re-planned', { timeout: 120_000 }, async () => {
    const community = await createCommunity(ctx, { code: 'HT01', name: '回天一社区' });
    // Ten days from now at 15:00 in Urumqi, whatever the hour the test runs: its 3 h and 5 min
    // reminders (12:00, 14:55) stay clear of the 21:30-07:00 quiet hours set below. (At 00:33 the
    // two would both move to 21:29 and become one.)
    const start = DateTime.now().setZone('Asia/Urumqi').plus({ days: 10 }).set({ hour: 15, minute: 0, second: 0, millisecond: 0 }).toJSDate();
    await createProject(ctx, { communityId: community.id, title: '楼道灯维修', shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), capacity: 3 }] });
    await ctx.prisma.project.updateMany({ data: { status: 'published' } });
    const r = await signUp(ctx, { communityId: community.id, projectNumber: 1, personId: await ensurePerson(ctx, 'web', '小一', '小一') });
    expect(r.reminders.add.map((j) => j.jobId.replace(/rem-\d+-/, ''))).toEqual(['24h-v1', '2h-v1']);

    const set = await cli('community', 'set', '--code', 'ht01', '--reminders', '3h, 5m', '--quiet', '21:30-7:00', '--tz', 'Asia/Urumqi');
    expect(set.stdout).toBe(
      'community HT01: reminders 3h,5m before a shift, quiet hours 21:30-07:00, time zone Asia/Urumqi\n' +
        '  silent after the last reminder: reported 2h before a shift, place released off\n' +
        '2 reminder(s) planned again\n1 silence check(s) planned\n',
    );
    const row = await ctx.prisma.community.findUniqueOrThrow({ where: { id: community.id } });
    expect([row.reminderOffsets, row.quietHours, row.timezone]).toEqual(['3h,5m', '21:30-07:00', 'Asia/Urumqi']);
    const reminders = await ctx.prisma.reminder.findMany({ orderBy: { kind: 'asc' } });
    expect(reminders.map((x) => [x.kind, x.status, x.skippedReason])).toEqual([
      ['24h', 'cancelled', 'offsets_changed'],
      ['2h', 'cancelled', 'offsets_changed'],
      ['3h', 'scheduled', null],
      ['5m', 'scheduled', null],
    ]);
    const queue = new Queue('reminders', { connection: redis, prefix });
    const delayed = (await queue.getDelayed()).map((j) => j.id ?? '').sort();
    // The reminders' jobs, and the shift's silence check 2 hours before it (the default).
    expect(delayed).toEqual([...reminders.filter((x) => x.status === 'scheduled').map((x) => x.jobId), `silent-${r.shift.id}-${start.getTime() - 2 * 3_600_000}`].sort());

    // Volunteers silent after the last reminder: reported 90 minutes before, their place released.
    const silent = await cli('community', 'set', '--code', 'HT01', '--silent-after', '90m', '--silent-release', 'on');
    expect(silent.stdout).toContain('reported 90m before a shift, place released on');
    const stored = await ctx.prisma.community.findUniqueOrThrow({ where: { id: community.id } });
    expect([stored.silentReportMinutes, stored.silentReleasesPlace]).toEqual([90, true]);
    expect((await queue.getDelayed()).map((j) => j.id)).toContain(`silent-${r.shift.id}-${start.getTime() - 90 * 60_000}`);
    await queue.close();

    const off = await cli('community', 'set', '--code', 'HT01', '--quiet', 'off');
    expect(off.stdout).toContain('quiet hours off');
    expect((await ctx.prisma.community.findUniqueOrThrow({ where: { id: community.id } })).quietHours).toBeNull();

    const bad = await cli('community', 'set', '--code', 'HT01', '--reminders', '2x', '--tz', 'Mars/Base').then(
      () => {
        throw new Error('expected a failure');
      },
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('INVALID_INPUT');
    expect(bad.stderr).toContain('2x');
    const audit = await ctx.prisma.auditLog.findMany({ where: { action: 'community.settings' }, orderBy: { id: 'asc' } });
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({ via: 'cli', before: { reminderOffsets: '24h,2h', quietHours: '22:00-08:00' }, after: { reminderOffsets: '3h,5m' } });
  });
});
