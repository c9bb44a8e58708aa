// Regression for "a crash loses messages that were being processed": the process was killed
// (SIGKILL) while messages were between their InboundMessage claim and their reply; after the
// restart every redelivery of them was ignored as a duplicate, so they were never answered, and
// their needs never recorded. Here the real `npm start` process takes a burst of 500 messages, is
// killed part-way, is started again, and all 500 are delivered again with the same ids: each must
// be recorded once (one InboundMessage, one need) and answered once. Once for the web chat (the
// page's POST, 8 at a time) and once for Telegram (telegram-test-api, long polling, the whole
// burst in one batch), each on a database and a Redis prefix of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { hashTaggedPrefix } from '../../src/lib/redis.ts';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Outbox } from '../../jobs/outbound.ts';
import type { Platform } from '../../src/bots/types.ts';
import { systemClock, type CoreContext } from '../../src/core/context.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { ensurePerson } from '../../src/core/people/resolve-person.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/prisma.ts';
import { createScratchDatabase } from '../helpers/test-db.ts';
import { freePort, startTelegramEmulator, type TelegramEmulator } from '../helpers/telegram-driver.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const burst = 500;
/** The process is killed once this many messages have been claimed (mid-burst). */
const killAtClaimed = 150;

/** Message i is a need about building i + 1: no two are near-duplicates of each other. */
const needText = (i: number) => `${i + 1}号楼门口的路灯坏了`;

interface Tally {
  sent: number;
  recorded: number;
  answered: number;
  twice: number;
}

/** One world per test: a scratch database, a queue prefix, the child processes it started. */
class World {
  readonly prefix = `crash${randomBytes(4).toString('hex')}`;
  scratch!: Awaited<ReturnType<typeof createScratchDatabase>>;
  db!: DatabaseHandle;
  ctx!: CoreContext;
  redis!: Redis;
  children: ChildProcess[] = [];
  stderr = '';

  async open(): Promise<void> {
    this.scratch = await createScratchDatabase('inkill');
    this.db = openDatabase(this.scratch.url);
    await migrate(this.db.pool);
    this.ctx = { prisma: this.db.prisma, clock: systemClock };
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    await createCommunity(this.ctx, { code: 'HT01', name: '回天一社区' });
  }

  async close(): Promise<void> {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(this.children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    const keys = await this.redis.keys(`${hashTaggedPrefix(this.prefix)}:*`);
    if (keys.length) await this.redis.del(...keys);
    this.redis.disconnect();
    await this.db?.close();
    await this.scratch?.drop();
  }

  start(env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_URL: this.scratch.url, LINLI_QUEUE_PREFIX: this.prefix, REDIS_URL: redisUrl, LOG_LEVEL: 'error', LINLI_DEMO: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => void (this.stderr = (this.stderr + b.toString('utf8')).slice(-4000));
    child.stderr?.on('data', keep);
    child.stdout?.on('data', keep);
    this.children.push(child);
    return child;
  }

  async kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  claimed(platform: Platform): Promise<number> {
    return this.db.pool
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM "InboundMessage" WHERE platform = $1::"Platform"`, [platform])
      .then((r) => r.rows[0]?.n ?? 0);
  }

  /** Kills `child` as soon as `killAtClaimed` messages are claimed; resolves with the count then. */
  async killMidway(child: ChildProcess, platform: Platform, deadlineMs = 120_000): Promise<number> {
    const deadline = Date.now() + deadlineMs;
    while ((await this.claimed(platform)) < killAtClaimed) {
      if (child.exitCode !== null) throw new Error(`the process exited early: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`only ${await this.claimed(platform)} messages claimed: ${this.stderr}`);
      await sleep(10);
    }
    await this.kill(child);
    return this.claimed(platform);
  }

  /**
   * Waits until the platform's outbound queue is empty and `answered()` has not moved for 2 s after
   * reaching the burst (time for a repeat to show), or for 45 s below it (the rest is lost).
   */
  async settle(platform: Platform, answered: () => Promise<number>, deadlineMs = 180_000): Promise<void> {
    const outbox = new Outbox(this.redis, this.prefix);
    const queue = outbox.queue(platform);
    const deadline = Date.now() + deadlineMs;
    let last = -1;
    let stableSince = Date.now();
    try {
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const busy = Object.values(counts).some((n) => n > 0);
        const now = await answered();
        if (now !== last || busy) {
          last = now;
          stableSince = Date.now();
        } else if (Date.now() - stableSince > (now >= burst ? 2000 : 45_000)) {
          return; // all answered (and no late repeat), or nothing has moved for long
        }
        if (Date.now() > deadline) throw new Error(`not settled: ${now} answered, queue ${JSON.stringify(counts)}: ${this.stderr}`);
        await sleep(100);
      }
    } finally {
      await outbox.close();
    }
  }

  /** How many of the burst's needs exist once, and how many more than once. */
  async needs(): Promise<{ once: number; more: number }> {
    const rows = (await this.db.pool.query<{ text: string; n: number }>(`SELECT text, count(*)::int AS n FROM "Need" GROUP BY text`)).rows;
    const texts = new Set(Array.from({ length: burst }, (_, i) => needText(i)));
    const ours = rows.filter((r) => texts.has(r.text));
    return { once: ours.filter((r) => r.n === 1).length, more: ours.filter((r) => r.n > 1).length };
  }

  /** Counts, per message of the burst, the rows (InboundMessage, Need) and the replies it got. */
  async tally(platform: Platform, repliesPerMessage: Map<number, number>): Promise<Tally> {
    const inbound = await this.claimed(platform);
    const needs = await this.needs();
    const replies = [...repliesPerMessage.values()];
    const tally = {
      sent: burst,
      recorded: Math.min(inbound, needs.once),
      answered: replies.filter((n) => n >= 1).length,
      twice: replies.filter((n) => n > 1).length + needs.more + Math.max(0, inbound - burst),
    };
    console.log(`${platform}: ${tally.sent} sent, ${tally.recorded} recorded, ${tally.answered} answered, ${tally.twice} twice`);
    return tally;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe('messages being processed when the process is killed are not lost', () => {
  let w: World;
  beforeEach(async () => {
    w = new World();
    await w.open();
  });
  afterEach(async () => {
    await w?.close();
  });

  test('web chat: SIGKILL during a burst of 500 posts, restart, all 500 posted again', { timeout: 300_000 }, async () => {
    const personas = 100; // the page offers the first 100 web identities
    const groups = 20;
    const community = await w.db.prisma.community.findFirstOrThrow();
    await w.db.prisma.group.createMany({
      data: Array.from({ length: groups }, (_, g) => ({ platform: 'web' as const, externalId: `g${g}`, title: `群${g}`, communityId: community.id })),
    });
    for (let p = 0; p < personas; p++) await ensurePerson(w.ctx, 'web', `p${p}`, `居民${p}`);
    const port = await freePort();
    const env = { LINLI_ROLES: 'bots,workers,web', LINLI_WEBCHAT: 'on', PORT: String(port), HOST: '127.0.0.1', LINLI_WEBCHAT_POSTS_PER_MINUTE: '100000' };
    const base = `http://127.0.0.1:${port}`;
    const post = (i: number) =>
      fetch(`${base}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversation: `g${i % groups}`, persona: `p${i % personas}`, text: `需求 ${needText(i)}`, clientId: `crash-web-${i}` }),
      });
    const ready = async (child: ChildProcess) => {
      for (const deadline = Date.now() + 60_000; ; ) {
        if (child.exitCode !== null) throw new Error(`the process exited: ${w.stderr}`);
        if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
        if (Date.now() > deadline) throw new Error(`not ready: ${w.stderr}`);
        await sleep(100);
      }
    };
    /** Posts messages `from..burst-1`, 8 at a time; stops at the first failure (the process died). */
    const sendAll = async (): Promise<{ accepted: number; failed: boolean }> => {
      let accepted = 0;
      for (let i = 0; i < burst; i += 8) {
        const batch = Array.from({ length: Math.min(8, burst - i) }, (_, k) => post(i + k).then((r) => r.status, () => 0));
        const statuses = await Promise.all(batch);
        accepted += statuses.filter((s) => s === 202).length;
        if (statuses.some((s) => s !== 202)) return { accepted, failed: true };
      }
      return { accepted, failed: false };
    };

    const first = w.start(env);
    await ready(first);
    const sending = sendAll();
    const atKill = await w.killMidway(first, 'web');
    const firstRun = await sending;
    console.log(`web: killed after ${atKill} of ${burst} messages were claimed (${firstRun.accepted} posts accepted)`);
    expect(firstRun.failed).toBe(true);

    const second = w.start(env);
    await ready(second);
    const secondRun = await sendAll();
    expect(secondRun).toEqual({ accepted: burst, failed: false });

    const replyKeys = async () =>
      (await w.db.pool.query<{ key: string }>(`SELECT "outboundKey" AS key FROM "WebChatMessage" WHERE "senderId" IS NULL AND "outboundKey" IS NOT NULL`)).rows.map((r) => r.key);
    await w.settle('web', async () => (await replyKeys()).length);
    const perMessage = new Map<number, number>(Array.from({ length: burst }, (_, i) => [i, 0]));
    const others: string[] = [];
    for (const key of await replyKeys()) {
      const m = /^in:web:crash-web-(\d+):\d+$/.exec(key);
      if (m) perMessage.set(Number(m[1]), (perMessage.get(Number(m[1])) ?? 0) + 1);
      else others.push(key);
    }
    const tally = await w.tally('web', perMessage);
    expect(others, 'no apology or other line').toEqual([]);
    expect(tally).toEqual({ sent: 500, recorded: 500, answered: 500, twice: 0 });
  });

  describe('Telegram', () => {
    let emulator: TelegramEmulator;
    afterAll(async () => {
      await emulator?.stop();
    });

    test('SIGKILL during a burst of 500 updates, restart, all 500 delivered again', { timeout: 300_000 }, async () => {
      emulator = await startTelegramEmulator();
      const token = `100077:crash${randomBytes(4).toString('hex')}`;
      const groups = 100;
      const groupId = (g: number) => -1001000000001 - g;
      const community = await w.db.prisma.community.findFirstOrThrow();
      await w.db.prisma.group.createMany({
        data: Array.from({ length: groups }, (_, g) => ({ platform: 'telegram' as const, externalId: String(groupId(g)), title: `群${g}`, communityId: community.id })),
      });
      const env = { LINLI_ROLES: 'bots,workers', TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.apiRoot };
      const server = emulator.server;

      // The whole burst is in the emulator before the bot polls: one getUpdates takes all 500.
      for (let i = 0; i < burst; i++) {
        const from = { id: 20001 + i, is_bot: false, first_name: `居民${i}` };
        const chat = { id: groupId(i % groups), type: 'supergroup' as const, title: `群${i % groups}` };
        await server.addUserMessage({ botToken: token, from, chat, date: Math.floor(Date.now() / 1000), text: `需求 ${needText(i)}` } as unknown as Parameters<typeof server.addUserMessage>[0]);
      }
      const updates = server.storage.userMessages.filter((u) => u.botToken === token).map((u) => ({ ...u }));
      expect(updates).toHaveLength(burst);

      const first = w.start(env);
      const atKill = await w.killMidway(first, 'telegram');
      const repliesBefore = server.storage.botMessages.filter((u) => u.botToken === token).length;
      console.log(`telegram: killed after ${atKill} of ${burst} updates were claimed (${repliesBefore} replies sent)`);
      expect(atKill).toBeLessThan(burst);

      // Telegram delivers every update whose offset was never confirmed again: here, all 500.
      for (const u of updates) server.storage.userMessages.push({ ...u, isRead: false });
      server.emit('AddedUserMessage');
      w.start(env);

      const replies = () => server.storage.botMessages.filter((u) => u.botToken === token);
      await w.settle('telegram', async () => replies().length);
      const perMessage = new Map<number, number>(Array.from({ length: burst }, (_, i) => [i, 0]));
      const others: string[] = [];
      for (const r of replies()) {
        const m = /^@居民(\d+) /.exec(String(r.message.text));
        if (m) perMessage.set(Number(m[1]), (perMessage.get(Number(m[1])) ?? 0) + 1);
        else others.push(String(r.message.text));
      }
      // Every reply went to the group its message came from.
      expect(replies().filter((r) => { const i = Number(/^@居民(\d+) /.exec(String(r.message.text))?.[1]); return Number(r.message.chat_id) !== groupId(i % groups); })).toEqual([]);
      const tally = await w.tally('telegram', perMessage);
      expect(others, 'no apology or other line').toEqual([]);
      expect(tally).toEqual({ sent: 500, recorded: 500, answered: 500, twice: 0 });
    });
  });
});
