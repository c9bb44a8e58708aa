// The CLI in exactly the forms scripts outside the code rely on, run as `npm run cli -- …` runs it,
// against a database of its own on the real PostgreSQL.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createScratchDatabase } from './helpers/test-db.ts';

const run = promisify(execFile);

describe('npm run cli', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  // `demo` queues the demo's announcements and reminders: under a prefix of this file's own.
  const prefix = `tcli${randomBytes(4).toString('hex')}`;
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: 'warn', LINLI_QUEUE_PREFIX: prefix } });
  let db: pg.Client;

  beforeAll(async () => {
    scratch = await createScratchDatabase('cli');
    db = new pg.Client({ connectionString: scratch.url });
  });
  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await scratch?.drop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  test('community create, role grant, group bind, demo', { timeout: 60_000 }, async () => {
    const created = await cli('community', 'create', '--code', 'HT01', '--name', '回天一社区', '--street', '霍营街道', '--district', '昌平区');
    expect(created.stdout).toMatch(/^community HT01 回天一社区 \(id \d+\)$/m);
    const granted = await cli('role', 'grant', '--community', 'HT01', '--role', 'worker', '--platform', 'telegram', '--user', '12345');
    expect(granted.stdout).toContain('role worker granted in HT01 to telegram:12345');
    const bound = await cli('group', 'bind', '--community', 'HT01', '--platform', 'telegram', '--chat', '-1001');
    expect(bound.stdout).toContain('group telegram:-1001 bound to HT01 回天一社区');
    const demo = await cli('demo');
    expect(demo.stdout).toContain('demo data loaded');
    expect(demo.stdout).toMatch(/^console account of 王书记: login wang {2}password \S+$/m);
    expect((await cli('demo')).stdout).toContain('nothing duplicated');

    await db.connect();
    const community = await db.query(
      `SELECT c.code, c.name, s.name AS street, d.name AS district FROM "Community" c JOIN "Street" s ON s.id = c."streetId" JOIN "District" d ON d.id = s."districtId" WHERE c.code = 'HT01'`,
    );
    expect(community.rows).toEqual([{ code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' }]);
    const grant = await db.query(
      `SELECT r.role FROM "RoleGrant" r JOIN "Identity" i ON i."personId" = r."personId" WHERE i.platform = 'telegram' AND i."externalId" = '12345'`,
    );
    expect(grant.rows).toEqual([{ role: 'worker' }]);
    const group = await db.query(`SELECT g.platform, c.code FROM "Group" g JOIN "Community" c ON c.id = g."communityId" WHERE g."externalId" = '-1001'`);
    expect(group.rows).toEqual([{ platform: 'telegram', code: 'HT01' }]);
    const needs = await db.query(`SELECT count(*)::int AS n FROM "Need"`);
    expect(needs.rows[0].n).toBe(37);
    const audit = await db.query(`SELECT action FROM "AuditLog" ORDER BY id LIMIT 3`);
    expect(audit.rows.map((r) => r.action)).toEqual(['community.create', 'role.grant', 'group.bind']);
  });

  test('group bind takes the chat id the platform shows (a WeCom chatid) and warns about a chat the bot has not seen', { timeout: 30_000 }, async () => {
    await cli('community', 'create', '--code', 'WC01', '--name', '企微社区');
    const bound = await cli('group', 'bind', '--community', 'WC01', '--platform', 'wecom', '--chat', 'wrGROUP1');
    expect(bound.stdout).toContain('group wecom:wrGROUP1 bound to WC01 企微社区');
    expect(bound.stderr).toContain('warning: the bot has not seen wecom chat wrGROUP1 yet');
    const own = new pg.Client({ connectionString: scratch.url });
    await own.connect();
    const group = await own.query(`SELECT g."externalId", c.code FROM "Group" g JOIN "Community" c ON c.id = g."communityId" WHERE g.platform = 'wecom'`).finally(() => own.end());
    expect(group.rows).toEqual([{ externalId: 'bot:wrGROUP1', code: 'WC01' }]);
    const wrong = await cli('group', 'bind', '--community', 'WC01', '--platform', 'telegram', '--chat', '12345').catch((e: { code: number; stderr: string }) => e);
    expect(wrong).toMatchObject({ code: 1 });
    expect((wrong as { stderr: string }).stderr).toContain(`--chat "12345" is a person's id, not a group's`);
  });

  test('mistakes get one clear line and a non-zero exit', { timeout: 30_000 }, async () => {
    const missing = await cli('community', 'create', '--code', 'HT09').catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1 });
    expect((missing as { stderr: string }).stderr).toContain('--name is required');
    const unknown = await cli('group', 'bind', '--community', 'NOPE1', '--platform', 'telegram', '--chat', '-1002').catch((e: { code: number; stderr: string }) => e);
    expect((unknown as { stderr: string }).stderr).toContain('COMMUNITY_NOT_FOUND');
  });
});
