// Kill the job worker with SIGKILL in the middle of a 2,000-group broadcast, start it again: every
// group receives the announcement exactly once. The worker is the real `npm start` process with
// LINLI_ROLES=workers, on a database and a Redis prefix of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { hashTaggedPrefix } from '../../src/lib/redis.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/prisma.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { createProject } from '../../src/core/projects/create-project.ts';
import { publishProject } from '../../src/core/projects/publish-project.ts';
import { announceProject } from '../../src/notices/announce.ts';
import { BroadcastScheduler } from '../../jobs/broadcast.ts';
import { systemClock, type CoreContext } from '../../src/core/context.ts';
import { createScratchDatabase } from '../helpers/test-db.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const groups = 2000;

describe('a broadcast survives its worker being killed', () => {
  const prefix = `kill${randomBytes(4).toString('hex')}`;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: DatabaseHandle;
  let ctx: CoreContext;
  let redis: Redis;
  const children: ChildProcess[] = [];

  const startWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_URL: scratch.url, LINLI_ROLES: 'workers', LINLI_QUEUE_PREFIX: prefix, REDIS_URL: redisUrl, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    return child;
  };
  const sentCount = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM "WebChatMessage" WHERE "senderId" IS NULL`)).rows[0].n as number;

  beforeAll(async () => {
    scratch = await createScratchDatabase('kill');
    db = openDatabase(scratch.url);
    await migrate(db.pool);
    ctx = { prisma: db.prisma, clock: systemClock };
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    const keys = await redis.keys(`${hashTaggedPrefix(prefix)}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.close();
    await scratch?.drop();
  });

  test('SIGKILL mid-way, restart: 2,000 groups, each got it exactly once', { timeout: 240_000 }, async () => {
    const community = await createCommunity(ctx, { code: 'HT01', name: '回天一社区' });
    await db.prisma.group.createMany({
      data: Array.from({ length: groups }, (_, i) => ({ platform: 'web' as const, externalId: `g${i}`, title: `群${i}`, communityId: community.id })),
    });
    const start = new Date(Date.now() + 7 * 86400_000);
    await createProject(ctx, { communityId: community.id, title: '社区大扫除', shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 7200_000), capacity: 30 }] });
    const { broadcast } = await publishProject(ctx, { communityId: community.id, number: 1, actorId: null, via: 'cli' }, announceProject);
    const scheduler = new BroadcastScheduler(redis, prefix);
    await scheduler.schedule(broadcast);
    await scheduler.close();

    const first = startWorker();
    for (let n = 0; (n = await sentCount()) < groups / 4; ) {
      if (first.exitCode !== null) throw new Error('worker exited early');
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = await sentCount();
    console.log(`killed the worker after ${atKill} of ${groups} deliveries`);
    expect(atKill).toBeLessThan(groups);

    startWorker();
    const deadline = Date.now() + 200_000;
    while ((await db.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: 'pending' } })) > 0) {
      if (Date.now() > deadline) throw new Error(`not finished: ${await sentCount()} sent`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const perGroup = await db.pool.query(
      `SELECT conversation, count(*)::int AS n FROM "WebChatMessage" WHERE "senderId" IS NULL AND text LIKE '【公益项目 #1】%' GROUP BY conversation`,
    );
    expect(perGroup.rows).toHaveLength(groups);
    expect(perGroup.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(await db.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: 'sent' } })).toBe(groups);
    expect((await db.prisma.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).status).toBe('done');
  });
});
