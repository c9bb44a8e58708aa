// The project, organization and token forms of the CLI, run as `npm run cli -- …` runs them,
// against a database of their own on the real PostgreSQL and a queue prefix of their own in the
// real Redis. Assertions are on the rows and queued jobs the commands leave.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createScratchDatabase } from './helpers/test-db.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/prisma.ts';
import { reportNeed } from '../src/core/needs/report-need.ts';
import { supportNeed } from '../src/core/needs/support-need.ts';
import { ensurePerson } from '../src/core/people/resolve-person.ts';
import { systemClock } from '../src/core/context.ts';
import { overnightSpecExample, runCli, shiftSpecExample } from '../src/cli.ts';
import { timeProblemText } from '../src/lib/time.ts';
import { changeProjectStatus } from '../src/core/projects/change-status.ts';
import { signUp } from '../src/core/signups/sign-up.ts';

const run = promisify(execFile);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Failure = { code: number; stdout: string; stderr: string };

// No calendar dates: every time is a local time on a day counted from today (in the community's
// zone, Asia/Shanghai), so the file passes on any day (and under `faketime -f '+400d'`).
const zone = 'Asia/Shanghai';
const today = DateTime.now().setZone(zone).startOf('day');
/** The local date N days from today, as yyyy-MM-dd. */
const day = (n: number) => today.plus({ days: n }).toFormat('yyyy-MM-dd');
/** The instant of a local time N days from today. */
const at = (n: number, hm: string) => DateTime.fromFormat(`${day(n)} ${hm}`, 'yyyy-MM-dd HH:mm', { zone }).toJSDate();
/** A day as formatShiftTime writes it: "12月5日 周六" (or "12月5日" without the weekday). */
const zhDay = (n: number, weekday = true) => {
  const d = today.plus({ days: n });
  return `${d.month}月${d.day}日${weekday ? ` ${['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'][d.weekday]}` : ''}`;
};

describe('npm run cli: projects, organizations, tokens', () => {
  // Hash-tagged as the app makes every prefix, so the queues looked at here are the CLI's.
  const prefix = `{tcli${randomBytes(4).toString('hex')}}`;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: 'warn', REDIS_URL: redisUrl, LINLI_QUEUE_PREFIX: prefix, ...env },
    });
  const fails = (args: string[], env?: Record<string, string>) => cli(args, env).then(
    (r) => {
      throw new Error(`expected a failure, got: ${r.stdout}`);
    },
    (e: Failure) => e,
  );
  let db: pg.Client;
  let redis: Redis;
  const queue = (queueName: string) => new Queue(queueName, { connection: redis, prefix });
  let handle: DatabaseHandle | undefined;

  beforeAll(async () => {
    scratch = await createScratchDatabase('clip');
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await handle?.close();
    await db?.end().catch(() => undefined);
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await scratch?.drop();
  });

  test('org create, project create from needs (supporters’ notices queued), project publish, token create', { timeout: 120_000 }, async () => {
    await cli(['community', 'create', '--code', 'HT01', '--name', '回天一社区']);
    await cli(['group', 'bind', '--community', 'HT01', '--platform', 'telegram', '--chat', '-1001', '--title', '3号楼']);
    await cli(['group', 'bind', '--community', 'HT01', '--platform', 'telegram', '--chat', '-1002', '--title', '5号楼']);
    await cli(['group', 'bind', '--community', 'HT01', '--platform', 'telegram', '--chat', '-1003', '--title', '7号楼']);
    await cli(['role', 'grant', '--community', 'HT01', '--role', 'worker', '--platform', 'web', '--user', 'wang-shuji', '--name', '王书记']);

    // org create, with repeated --member.
    const org = await cli([
      'org', 'create', '--community', 'HT01', '--name', '夕阳天使志愿服务队', '--serves', 'elderly,repair',
      '--member', 'telegram:2001', '--member', 'telegram:2002',
    ]);
    expect(org.stdout).toMatch(/^organization 夕阳天使志愿服务队 in HT01 \(id \d+, 2 members\)$/m);
    const orgs = await db.query(
      `SELECT o.name, o.kind, o.serves, array_agg(i."externalId" || '/' || m.role ORDER BY i."externalId") AS members
       FROM "Organization" o JOIN "OrganizationMember" m ON m."organizationId" = o.id JOIN "Identity" i ON i."personId" = m."personId"
       GROUP BY o.id`,
    );
    expect(orgs.rows).toEqual([{ name: '夕阳天使志愿服务队', kind: 'resident_team', serves: ['elderly', 'repair'], members: ['2001/leader', '2002/member'] }]);

    // Two residents on Telegram raise and support need #1 (as the chat would), through the core.
    handle = openDatabase(scratch.url, { max: 2 });
    const ctx = { prisma: handle.prisma, clock: systemClock };
    const community = await ctx.prisma.community.findUniqueOrThrow({ where: { code: 'HT01' } });
    const zhang = await ensurePerson(ctx, 'telegram', '3001', '张阿姨');
    const liu = await ensurePerson(ctx, 'telegram', '3002', '刘大爷');
    await reportNeed(ctx, { communityId: community.id, authorId: zhang, text: '3号楼楼道灯坏了' });
    await supportNeed(ctx, { communityId: community.id, number: 1, personId: liu });
    await reportNeed(ctx, { communityId: community.id, authorId: zhang, text: '希望小区里多放几张长椅，老人散步累了可以歇歇' });

    const created = await cli([
      'project', 'create', '--community', 'HT01', '--title', '楼道灯维修', '--needs', '1', '--claim', 'both',
      '--shift', `${day(2)} 09:00-11:00|3|3号楼门口`, '--shift', `${day(3)} 14:00-16:00|2`,
    ]);
    expect(created.stdout).toMatch(/^project 1 楼道灯维修 \(draft, 2 shifts\)$/m);
    expect(created.stdout).toContain(`\n  shift A: ${zhDay(2)} 09:00-11:00, 3 people, 3号楼门口\n  shift B: ${zhDay(3)} 14:00-16:00, 2 people\n`);
    const project = await db.query(`SELECT id, number, title, status, "claimType", category, "createdById" FROM "Project" WHERE number = 1`);
    expect(project.rows[0]).toMatchObject({ number: 1, title: '楼道灯维修', status: 'draft', claimType: 'both', category: 'repair', createdById: null });
    const shifts = await db.query(`SELECT label, "startsAt", "endsAt", capacity, place FROM "Shift" WHERE "projectId" = $1 ORDER BY label`, [project.rows[0].id]);
    expect(shifts.rows).toEqual([
      { label: 'A', startsAt: at(2, '09:00'), endsAt: at(2, '11:00'), capacity: 3, place: '3号楼门口' },
      { label: 'B', startsAt: at(3, '14:00'), endsAt: at(3, '16:00'), capacity: 2, place: '' },
    ]);
    const need = await db.query(`SELECT n.status FROM "Need" n JOIN "ProjectNeed" pn ON pn."needId" = n.id WHERE pn."projectId" = $1`, [project.rows[0].id]);
    expect(need.rows).toEqual([{ status: 'in_project' }]);
    // Both supporters' notices are in the Telegram outbound queue for a workers process to send.
    const outbound = queue('outbound-telegram');
    const jobs = await outbound.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => (j.data as { to: { chatId: string } }).to.chatId).sort()).toEqual(['3001', '3002']);
    expect((jobs[0]?.data as { message: { text: string } }).message.text).toContain('已立项：项目 #1「楼道灯维修」');

    // Without Redis the project is still made, and the CLI says the notices were not queued.
    const noRedis = await cli(['project', 'create', '--community', 'HT01', '--title', '添置长椅', '--needs', '#2', '--shift', `${day(9)} 09:00-10:00|1|中心花园`], {
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(noRedis.stdout).toMatch(/^project 2 添置长椅 \(draft, 1 shift\)$/m);
    expect(noRedis.stderr).toMatch(/warning: 1 notice\(s\) to the needs' supporters were not queued/);
    expect((await db.query(`SELECT count(*)::int AS n FROM "Project"`)).rows[0].n).toBe(2);

    // publish to two groups by chat id (negative numbers), at a local time: a delayed BullMQ job.
    const published = await cli(['project', 'publish', '--community', 'HT01', '--project', '1', '--groups', '-1001,-1002', '--at', `${day(1)} 09:00`]);
    expect(published.stdout).toMatch(new RegExp(`^project 1 楼道灯维修 published: broadcast (\\d+) to 2 groups, sending at ${day(1)} 09:00 \\(Asia/Shanghai\\)$`, 'm'));
    const broadcast = await db.query(
      `SELECT b.id, b.status, b."sendAt", b."createdById", array(SELECT g."externalId" FROM "Group" g WHERE g.id = ANY(b."groupIds") ORDER BY g."externalId") AS groups
       FROM "Broadcast" b ORDER BY b.id`,
    );
    expect(broadcast.rows).toEqual([{ id: expect.any(Number), status: 'scheduled', sendAt: at(1, '09:00'), createdById: null, groups: ['-1001', '-1002'] }]);
    expect((await db.query(`SELECT status FROM "Project" WHERE number = 1`)).rows[0].status).toBe('published');
    const broadcasts = queue('broadcasts');
    const job = await broadcasts.getJob(`bc-${broadcast.rows[0].id}`);
    expect(job?.data).toEqual({ v: 1, broadcastId: broadcast.rows[0].id });
    expect(await job?.isDelayed()).toBe(true);
    // The organization serving repairs hears of it; by title, now: a job waiting to run.
    expect((await outbound.getJobs(['waiting'])).filter((j) => (j.data as { key: string }).key.startsWith('orgmatch:'))).toHaveLength(2);
    const now = await cli(['project', 'publish', '--community', 'HT01', '--project', '1', '--groups', '7号楼']);
    expect(now.stdout).toMatch(/published: broadcast \d+ to 1 group, sending now$/m);
    const second = Number(/broadcast (\d+)/.exec(now.stdout)?.[1]);
    expect(await (await broadcasts.getJob(`bc-${second}`))?.isWaiting()).toBe(true);

    // token create: shown once, stored as its sha256.
    const token = await cli(['token', 'create', '--community', 'HT01', '--platform', 'web', '--user', 'wang-shuji', '--name', 'console']);
    expect(token.stdout).toMatch(/^api token \d+ "console" for web:wang-shuji \(person \d+\), worker of HT01:$/m);
    const secret = /^(linli_[A-Za-z0-9_-]{43})$/m.exec(token.stdout)?.[1] ?? '';
    expect(secret).not.toBe('');
    const tokens = await db.query(
      `SELECT t.name, t."tokenHash", i."externalId" FROM "ApiToken" t JOIN "Identity" i ON i."personId" = t."personId" AND i.platform = 'web'`,
    );
    expect(tokens.rows).toEqual([{ name: 'console', tokenHash: createHash('sha256').update(secret).digest('hex'), externalId: 'wang-shuji' }]);

    const audit = await db.query(`SELECT action, via FROM "AuditLog" WHERE action IN ('organization.upsert', 'project.create', 'project.status', 'broadcast.create', 'apitoken.create') ORDER BY id`);
    expect(audit.rows).toEqual([
      { action: 'organization.upsert', via: 'cli' },
      { action: 'project.create', via: 'cli' },
      { action: 'project.create', via: 'cli' },
      { action: 'project.status', via: 'cli' },
      { action: 'broadcast.create', via: 'cli' },
      { action: 'broadcast.create', via: 'cli' },
      { action: 'apitoken.create', via: 'cli' },
    ]);
    await outbound.close();
    await broadcasts.close();
  });

  test('refusals: a token for someone who is not a worker, bad shifts, an unknown community, publish in the past or without Redis', { timeout: 90_000 }, async () => {
    const resident = await fails(['token', 'create', '--community', 'HT01', '--platform', 'telegram', '--user', '2001']);
    expect(resident.code).toBe(1);
    expect(resident.stderr).toContain('NOT_A_WORKER');
    const nobody = await fails(['token', 'create', '--community', 'HT01', '--platform', 'web', '--user', 'nobody']);
    expect(nobody.stderr).toContain('NOT_A_WORKER');
    expect((await db.query(`SELECT count(*)::int AS n FROM "ApiToken"`)).rows[0].n).toBe(1);

    // Shift times every entry point refuses alike (src/lib/time.ts), in Chinese and English: one
    // run as npm runs it (the line, then the usage with an overnight example), the rest in process.
    const unreadable = await fails(['project', 'create', '--community', 'HT01', '--title', '坏班次', '--shift', `${day(2)} 9点-11点|3|门口`]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr.split('\n')[0]).toBe(
      `--shift "${day(2)} 9点-11点|3|门口": expected "${shiftSpecExample}" (local time, capacity, place). ` +
        `${timeProblemText('format')} (${timeProblemText('format', 'en')})`,
    );
    expect(unreadable.stderr).toContain(`an overnight shift ends the next day: --shift "${overnightSpecExample}"`);
    handle ??= openDatabase(scratch.url, { max: 2 });
    const ctx = { prisma: handle.prisma, clock: systemClock };
    const shift = (spec: string) =>
      runCli(['project', 'create', '--community', 'HT01', '--title', '坏班次', '--shift', spec], ctx, () => undefined).then(
        () => 'accepted',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    expect(await shift(`${day(2)} 08:00-08:00|3|门口`)).toBe(`UsageError: --shift "${day(2)} 08:00-08:00|3|门口": 结束时间要晚于开始时间 (must be after the start)`);
    expect(await shift(`${day(2)} 22:00-${day(2)} 06:00|2|门卫室`)).toBe(
      `UsageError: --shift "${day(2)} 22:00-${day(2)} 06:00|2|门卫室": 结束时间早于开始时间。跨夜的班次只写结束时刻即可，如「22:00」到「06:00」 (the end is before the start; for an overnight shift give only the end time, e.g. "22:00" to "06:00")`,
    );
    expect(await shift(`${day(2)} 08:00-${day(3)} 09:00|2|门卫室`)).toBe(
      `UsageError: --shift "${day(2)} 08:00-${day(3)} 09:00|2|门卫室": 一个班次最长 24 小时，更长的请分成几个班次 (a shift lasts at most 24 hours; split a longer one into several shifts)`,
    );
    expect(await shift(`${day(2)} 09:00-11:00|0|门口`)).toContain('(local time, capacity, place)');
    expect((await db.query(`SELECT count(*)::int AS n FROM "Project" WHERE title = '坏班次'`)).rows[0].n).toBe(0);
    const unknown = await fails(['org', 'create', '--community', 'NOPE1', '--name', '队']);
    expect(unknown.stderr).toContain('COMMUNITY_NOT_FOUND');
    const badMember = await fails(['org', 'create', '--community', 'HT01', '--name', '队', '--member', 'qq:1']);
    expect(badMember.stderr).toContain('expected platform:user');

    const before = (await db.query(`SELECT count(*)::int AS n FROM "Broadcast"`)).rows[0].n;
    // Regression: the CLI queued a broadcast for a time already past; now refused as the API refuses it.
    const past = await fails(['project', 'publish', '--community', 'HT01', '--project', '2', '--at', `${day(-1)} 09:00`]);
    expect(past.stderr.split('\n')[0]).toBe(`--at "${day(-1)} 09:00": 这个时间已经过去了 (that time has passed)`);
    const noRedis = await fails(['project', 'publish', '--community', 'HT01', '--project', '2'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(noRedis.stderr).toContain('not published');
    expect((await db.query(`SELECT count(*)::int AS n FROM "Broadcast"`)).rows[0].n).toBe(before);
    expect((await db.query(`SELECT status FROM "Project" WHERE number = 2`)).rows[0].status).toBe('draft');
    expect((await db.query(`SELECT count(*)::int AS n FROM "Project"`)).rows[0].n).toBe(2);
  });

  test('an overnight shift (regression: "23:56-00:56" was refused as malformed) ends the next day; its reminders are planned from its start', { timeout: 90_000 }, async () => {
    const created = await cli([
      'project', 'create', '--community', 'HT01', '--title', '夜间巡逻', '--category', 'safety',
      '--shift', `${day(2)} 23:56-00:56|3|5号楼门口`, '--shift', `${day(3)} 22:00-${day(4)} 06:00|2|门卫室`,
    ]);
    expect(created.stdout).toMatch(/^project 3 夜间巡逻 \(draft, 2 shifts\)$/m);
    // What the worker sees: the end's day is written out.
    expect(created.stdout).toContain(`\n  shift A: ${zhDay(2)} 23:56-${zhDay(3, false)} 00:56, 3 people, 5号楼门口\n  shift B: ${zhDay(3)} 22:00-${zhDay(4, false)} 06:00, 2 people, 门卫室\n`);
    const shifts = await db.query(
      `SELECT s.label, s."startsAt", s."endsAt" FROM "Shift" s JOIN "Project" p ON p.id = s."projectId" WHERE p.number = 3 ORDER BY s.label`,
    );
    expect(shifts.rows).toEqual([
      { label: 'A', startsAt: at(2, '23:56'), endsAt: at(3, '00:56') },
      { label: 'B', startsAt: at(3, '22:00'), endsAt: at(4, '06:00') },
    ]);

    // A volunteer signs up for A: with the defaults (24h,2h; quiet 22:00-08:00) the 24-hour reminder
    // (23:56 the evening before) moves out of the night to 21:59, the 2-hour one is at 21:56.
    handle ??= openDatabase(scratch.url, { max: 2 });
    const ctx = { prisma: handle.prisma, clock: systemClock };
    const community = await ctx.prisma.community.findUniqueOrThrow({ where: { code: 'HT01' } });
    await changeProjectStatus(ctx, { communityId: community.id, number: 3, to: 'published', actorId: null, via: 'cli' });
    const volunteer = await ensurePerson(ctx, 'telegram', '3003', '小李');
    const r = await signUp(ctx, { communityId: community.id, projectNumber: 3, shiftLabel: 'A', personId: volunteer });
    expect(r.status).toBe('confirmed');
    const reminders = await db.query(
      `SELECT r.kind, r."dueAt", r.status FROM "Reminder" r JOIN "SignUp" su ON su.id = r."signUpId" WHERE su."personId" = $1 ORDER BY r."dueAt"`,
      [volunteer],
    );
    expect(reminders.rows).toEqual([
      { kind: '24h', dueAt: at(1, '21:59'), status: 'scheduled' },
      { kind: '2h', dueAt: at(2, '21:56'), status: 'scheduled' },
    ]);
  });
});
