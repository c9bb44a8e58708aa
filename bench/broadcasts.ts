// `npm run bench -- broadcasts`: how close broadcasts get to the platforms' published sending
// limits without breaking them, and sign-up throughput under contention.
//
// 1. Telegram: one broadcast to 10,000 groups through a local Bot API that enforces 30 msg/s
//    overall and 20/min per group (×10, so the run takes ~35 s) and answers 429 when broken.
// 2. WeCom group robot: 1,500 messages into one robot-webhook group through a local webhook that
//    enforces 20/min per robot (×60, i.e. 20/s) and answers errcode 45009 when broken.
// 3. Sign-ups: 2,000 people at once on one 100-place shift, then on 100 shifts of 20 places.
import { randomBytes } from 'node:crypto';
import { LinliApp } from '../src/app.ts';
import { TelegramAdapter } from '../src/bots/telegram/index.ts';
import { WecomAdapter } from '../src/bots/wecom/wecom-adapter.ts';
import { WecomAppAdapter } from '../src/bots/wecom/wecom-app-adapter.ts';
import type { ChatAdapter, Platform } from '../src/bots/types.ts';
import { loadConfig } from '../src/config.ts';
import { createCommunity } from '../src/core/communities/create-community.ts';
import { createProject } from '../src/core/projects/create-project.ts';
import { changeProjectStatus } from '../src/core/projects/change-status.ts';
import { signUp } from '../src/core/signups/sign-up.ts';
import { createBroadcast } from '../src/core/broadcasts/create-broadcast.ts';
import { publishProject } from '../src/core/projects/publish-project.ts';
import { announceProject } from '../src/notices/announce.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { createTestDatabase, type TestDatabase } from '../tests/helpers/test-db.ts';
import { achievedRate, fakeTelegramApi, fakeWecomRobot } from './lib/fake-platforms.ts';
import { deleteKeys } from './lib/env.ts';
import { int } from './lib/stats.ts';

async function withApp<T>(adapters: ChatAdapter[], limitScale: number, run: (app: LinliApp, db: TestDatabase) => Promise<T>): Promise<T> {
  const db = await createTestDatabase();
  const prefix = `benchbc${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url, LINLI_QUEUE_PREFIX: prefix, LINLI_ROLES: 'workers', LINLI_DEMO: 'off', LOG_LEVEL: 'silent' });
  const app = await LinliApp.create({ config, log: silentLogger, databaseUrl: db.url, schema: db.schema, adapters, limitScale });
  try {
    await app.start();
    return await run(app, db);
  } finally {
    for (const p of ['web', 'telegram', 'wechat', 'wecom'] as Platform[]) await app.outbox.queue(p).obliterate({ force: true }).catch(() => undefined);
    await app.broadcasts.queue.obliterate({ force: true }).catch(() => undefined);
    await deleteKeys(app.redis, `${prefix}:*`).catch(() => undefined);
    await app.stop();
    await db.drop();
  }
}

async function waitUntil(done: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function telegramBroadcast(): Promise<void> {
  const scale = 10;
  const groups = 10_000;
  const api = await fakeTelegramApi({ scale });
  const adapter = new TelegramAdapter({ token: '900001:bench', apiRoot: api.url, webhookSecret: 'bench' }, { log: silentLogger });
  try {
    await withApp([adapter], scale, async (app) => {
      const ctx = app.ctx;
      const c = await createCommunity(ctx, { code: 'TG01', name: '回天电报社区' });
      await ctx.prisma.group.createMany({ data: Array.from({ length: groups }, (_, i) => ({ platform: 'telegram' as const, externalId: String(-1_000_000_000_000 - i), title: `群${i}`, communityId: c.id })) });
      const start = new Date(Date.now() + 7 * 86400_000);
      await createProject(ctx, { communityId: c.id, title: '社区大扫除', shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), capacity: 30 }] });
      const t0 = Date.now();
      const { broadcast } = await publishProject(ctx, { communityId: c.id, number: 1, actorId: null, via: 'cli' }, announceProject);
      await app.broadcasts.schedule(broadcast);
      await waitUntil(async () => (await ctx.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: 'pending' } })) === 0 && api.accepted.length >= groups, 15 * 60_000);
      const sent = await ctx.prisma.delivery.count({ where: { broadcastId: broadcast.id, status: 'sent' } });
      const rate = achievedRate(api.accepted);
      const limit = 30 * scale;
      console.log('broadcast → Telegram (local Bot API enforcing 30/s overall and 20/min per group, both ×10)');
      console.log(`  groups: ${int(groups)}   delivered: ${int(sent)}   wall time ${((Date.now() - t0) / 1000).toFixed(1)} s (incl. fan-out)`);
      console.log(`  achieved ${rate.toFixed(1)} msg/s of the ${limit}/s limit = ${(rate / limit).toFixed(3)}   (target ≥ 0.95)`);
      console.log(`  429 answers: ${api.refused}   (target 0)`);
      const twice = [...api.perChat.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
      console.log(`  each group once: ${int([...api.perChat.values()].filter((n) => n === 1).length)} of ${int(groups)}, ${twice} duplicates, ${groups - api.perChat.size} missing   (the local Bot API's count)`);
    });
  } finally {
    await api.close();
  }
}

async function wecomRobot(): Promise<void> {
  const scale = 60;
  const messages = 1500;
  const robot = await fakeWecomRobot({ scale });
  const app = new WecomAppAdapter({
    corpId: 'wwbench',
    agentId: 1,
    secret: 'x',
    token: 'x',
    aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    apiBase: robot.url,
    webhooks: new Map([['楼栋群A', 'robot-key-a']]),
    webhookLimit: { max: 20 * scale, perMs: 60_000 },
    log: silentLogger,
  });
  try {
    await withApp([new WecomAdapter({ app })], scale, async (linli) => {
      const ctx = linli.ctx;
      const c = await createCommunity(ctx, { code: 'WC01', name: '回天企微社区' });
      await ctx.prisma.group.create({ data: { platform: 'wecom', externalId: 'hook:楼栋群A', title: '楼栋群A', communityId: c.id } });
      const t0 = Date.now();
      for (let i = 0; i < messages; i += 100) {
        const batch = Array.from({ length: Math.min(100, messages - i) }, (_, j) => i + j);
        const made = await Promise.all(batch.map((n) => createBroadcast(ctx, { communityId: c.id, text: `通知 ${n + 1}：明天上午停水`, actorId: null, via: 'cli' })));
        for (const b of made) await linli.broadcasts.schedule(b);
      }
      await waitUntil(() => robot.accepted.length >= messages, 15 * 60_000);
      const rate = achievedRate(robot.accepted);
      const limit = (20 * scale) / 60;
      console.log('broadcasts → WeCom group robot (local webhook enforcing 20/min per robot, ×60)');
      console.log(`  messages: ${int(messages)} into one robot group   wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      console.log(`  achieved ${rate.toFixed(2)} msg/s of the ${limit}/s limit = ${(rate / limit).toFixed(3)}   (target ≥ 0.95)`);
      console.log(`  errcode 45009 answers: ${robot.refused}   (target 0)`);
    });
  } finally {
    await robot.close();
  }
}

async function signUps(): Promise<void> {
  const db = await createTestDatabase();
  try {
    const clock = { now: () => new Date() };
    const ctx = { prisma: db.prisma, clock };
    const c = await createCommunity(ctx, { code: 'SU01', name: '报名社区' });
    await db.prisma.person.createMany({ data: Array.from({ length: 2000 }, (_, i) => ({ displayName: `居民${i}` })) });
    const people = (await db.prisma.person.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
    const start = new Date(Date.now() + 7 * 86400_000);
    const end = new Date(start.getTime() + 7_200_000);
    await createProject(ctx, { communityId: c.id, title: '一个班次', shifts: [{ startsAt: start, endsAt: end, capacity: 100 }] });
    await createProject(ctx, { communityId: c.id, title: '一百个班次', shifts: Array.from({ length: 100 }, (_, i) => ({ startsAt: new Date(start.getTime() + i * 60_000), endsAt: end, capacity: 20 })) });
    for (const n of [1, 2]) await changeProjectStatus(ctx, { communityId: c.id, number: n, to: 'published', actorId: null, via: 'cli' });
    console.log('sign-ups under contention (real Postgres, one process, pool of 20)');
    for (const [label, project, shiftOf] of [
      ['one shift of 100 places, 2,000 people at once', 1, () => undefined],
      ['100 shifts of 20 places, 2,000 people at once', 2, (i: number) => String((i % 100) + 1)],
    ] as const) {
      const t0 = performance.now();
      const results = await Promise.allSettled(people.map((personId, i) => signUp(ctx, { communityId: c.id, projectNumber: project, shiftLabel: shiftOf(i), personId })));
      const secs = (performance.now() - t0) / 1000;
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      const why = failure ? `: ${String(failure.reason instanceof Error ? failure.reason.message : failure.reason).split('\n')[0]?.slice(0, 120)}` : '';
      console.log(`  ${label}: ${int(ok / secs)} sign-ups/s (${ok} in ${secs.toFixed(1)} s, ${results.length - ok} failed${why})`);
    }
  } finally {
    await db.drop();
  }
}

export async function main(): Promise<void> {
  await telegramBroadcast();
  console.log('');
  await wecomRobot();
  console.log('');
  await signUps();
}

await main();
process.exit(0);
