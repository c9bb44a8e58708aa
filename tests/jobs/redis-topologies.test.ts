// The same code on Redis Cluster and behind Sentinel. On a cluster-mode redis-server of the test's
// own (one node holding every slot, so a plain client needs no redirects, while multi-key commands
// across slots still fail with CROSSSLOT, as on a real cluster), a resident's message is answered,
// and every key the app writes (BullMQ's queues, the pacer, the sent marks, the sessions) carries
// the deployment's hash tag. Through a redis-sentinel of the test's own,
// REDIS_URL=redis+sentinel://… reaches the master it names, password and all.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectRedis } from '../../jobs/connection.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { startRedis, type RedisProcess } from '../helpers/redis-server.ts';

/** A resident says 帮助 to the bot in a direct chat: returns what the bot answered. */
async function askForHelp(h: Harness): Promise<string[]> {
  await h.persona('zhang', '张阿姨');
  await h.app.webChat.receive({ conversation: 'dm:zhang', persona: 'zhang', text: '帮助', clientId: `m-${Date.now()}` }, 'zhang');
  await h.drain();
  const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { conversation: 'dm:zhang', senderId: null }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.text);
}

/** Every key on this Redis, by SCAN. */
async function allKeys(h: Harness): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await h.app.redis.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

describe('on a cluster-mode Redis', () => {
  let cluster: RedisProcess;
  let h: Harness | undefined;
  beforeAll(async () => {
    cluster = await startRedis({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'] });
    const admin = cluster.client();
    await admin.connect();
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    for (let i = 0; !/cluster_state:ok/.test(String(await admin.call('CLUSTER', 'INFO'))); i++) {
      if (i > 400) throw new Error('the one-node cluster did not become ok');
      await new Promise((r) => setTimeout(r, 25));
    }
    admin.disconnect();
  });
  afterAll(async () => {
    await h?.close();
    await cluster?.stop();
  });

  test('an untagged BullMQ prefix is refused there (CROSSSLOT), so the checks below can fail', async () => {
    const redis = await connectRedis(cluster.url);
    const q = new Queue('probe', { connection: redis, prefix: 'untagged' });
    await expect(q.add('x', { v: 1 })).rejects.toThrow(/CROSSSLOT/);
    await q.close();
    await redis.flushall();
    redis.disconnect();
  });

  test('the app answers a resident there, and every key it writes carries its hash tag', async () => {
    const app = (h = await createHarness({ roles: ['bots', 'workers', 'web'], redisUrl: cluster.url }));
    expect(h.prefix).toMatch(/^\{t[0-9a-f]{10}\}$/);
    const replies = await askForHelp(h);
    expect(replies.join('\n')).toMatch(/需求/);

    // A job waiting a day in every queue the app has (a worker would run a due one at once).
    const day = 86_400_000;
    const queues = [h.app.broadcasts.queue, h.app.reminders.queue, h.app.digests.queue, h.app.tickets.queue, ...[...app.app.adapters.keys()].map((p) => app.app.outbox.queue(p))];
    for (const q of queues) await q.add('probe', { v: 1 }, { delay: day, jobId: `probe-${q.name}` });
    for (const q of queues) expect(await q.getJobState(`probe-${q.name}`)).toBe('delayed');

    // This Redis is the test's own: every key on it is the app's.
    const keys = await allKeys(h);
    for (const q of queues) expect(keys).toContain(`${h.prefix}:${q.name}:delayed`);
    expect(keys.some((k) => k.startsWith(`${app.prefix}:sent:`))).toBe(true);
    expect(keys.filter((k) => !k.startsWith(`${app.prefix}:`))).toEqual([]);
  });
});

describe('through Redis Sentinel', () => {
  const password = 'pw-sentinel-test';
  let master: RedisProcess;
  let sentinel: RedisProcess;
  let h: Harness | undefined;
  beforeAll(async () => {
    master = await startRedis({ password });
    sentinel = await startRedis({ sentinelOf: { port: master.port, name: 'linlimaster', password } });
  });
  afterAll(async () => {
    await h?.close();
    await sentinel?.stop();
    await master?.stop();
  });

  test('connectRedis asks the Sentinel for the master and writes there', async () => {
    const redis = await connectRedis(`redis+sentinel://:${password}@127.0.0.1:${sentinel.port}/linlimaster`);
    await redis.set('through-sentinel', 'yes');
    redis.disconnect();
    const direct = master.client({ password });
    await direct.connect();
    expect(await direct.get('through-sentinel')).toBe('yes');
    direct.disconnect();
  });

  test('the app runs through it: a resident is answered', async () => {
    h = await createHarness({ roles: ['bots', 'workers', 'web'], redisUrl: `redis+sentinel://:${password}@127.0.0.1:${sentinel.port}/linlimaster` });
    const replies = await askForHelp(h);
    expect(replies.length).toBeGreaterThan(0);
  });
});
