// `npm run bench -- busygroup [--long]`: replies in busy Telegram groups against a local Bot API
// that enforces Telegram's real limits (20 messages in any 60 s per group, 30/s overall; it
// answers 429 with retry_after when one is broken). No time scaling: 150 s, or 10 minutes with
// --long. Two groups, seeded traffic:
//  - "bursty": quiet for a minute, then 6-12 replies asked for within one second (people answering
//    a broadcast), again and again: how long the first 5 replies of each burst wait (target: each
//    within 0.5 s) and the rest;
//  - "flooded": replies asked for at random, 90 s at 30 a minute (above the limit), 90 s at 8, and
//    again: the group's busiest 60 s (at most 20) and the 429s (target 0).
import { randomBytes } from 'node:crypto';
import { LinliApp } from '../src/app.ts';
import { TelegramAdapter } from '../src/bots/telegram/index.ts';
import type { Platform } from '../src/bots/types.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { createTestDatabase } from '../tests/helpers/test-db.ts';
import { fakeTelegramApi } from './lib/fake-platforms.ts';
import { deleteKeys } from './lib/env.ts';
import { ms, quantile, rng, sortedCopy } from './lib/stats.ts';

const long = process.argv.includes('--long');
const runMs = (long ? 600 : 150) * 1000;
const rand = rng(15);
const bursty = '-1001000000001';
const flooded = '-1001000000002';

// The traffic, decided up front: [at ms from the start, chat, burst number or -1, index in the burst].
const asks: Array<{ at: number; chat: string; burst: number; nth: number }> = [];
for (let t = 0, b = 0; t < runMs - 30_000; t += 60_000 + 20_000 + Math.floor(rand() * 10_000), b++) {
  const k = 6 + Math.floor(rand() * 7);
  const offsets = Array.from({ length: k }, () => Math.floor(rand() * 1000)).sort((x, y) => x - y);
  offsets.forEach((o, nth) => asks.push({ at: t + o, chat: bursty, burst: b, nth }));
}
for (let t = 0; ; ) {
  // Poisson: 30 a minute for 90 s, then 8 a minute for 90 s, and again (19 a minute on average,
  // so however long the run, the backlog drains).
  const perMinute = Math.floor(t / 90_000) % 2 === 0 ? 30 : 8;
  t += Math.floor((-Math.log(1 - rand()) * 60_000) / perMinute);
  if (t >= runMs - 30_000) break;
  asks.push({ at: t, chat: flooded, burst: -1, nth: -1 });
}
asks.sort((a, b) => a.at - b.at);

const api = await fakeTelegramApi({ scale: 1 });
const adapter = new TelegramAdapter({ token: '900001:bench', apiRoot: api.url, webhookSecret: 'bench' }, { log: silentLogger });
const db = await createTestDatabase();
const prefix = `benchbg${randomBytes(4).toString('hex')}`;
const config = loadConfig({ ...process.env, DATABASE_URL: db.url, LINLI_QUEUE_PREFIX: prefix, LINLI_ROLES: 'workers', LINLI_DEMO: 'off', LOG_LEVEL: 'silent' });
const app = await LinliApp.create({ config, log: silentLogger, databaseUrl: db.url, schema: db.schema, adapters: [adapter], limitScale: 1 });
let failed = false;
try {
  await app.start();
  const askedAt = new Map<string, number>();
  const t0 = Date.now() + 500;
  await Promise.all(
    asks.map(
      (a, i) =>
        new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            const text = `回复 ${i}`;
            askedAt.set(text, Date.now());
            app.outbox.send([{ key: `bench-busy-${prefix}-${i}`, to: { platform: 'telegram', chatId: a.chat, kind: 'group' }, message: { text } }]).then(resolve, reject);
          }, t0 + a.at - Date.now()),
        ),
    ),
  );
  const deadline = Date.now() + 180_000;
  while (api.accepted.length < asks.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

  const waited = (i: number) => {
    const k = api.acceptedTexts.indexOf(`回复 ${i}`);
    return k < 0 ? Infinity : (api.accepted[k] ?? 0) - (askedAt.get(`回复 ${i}`) ?? 0);
  };
  const firstFive: number[] = [];
  const rest: number[] = [];
  const floodedWaits: number[] = [];
  asks.forEach((a, i) => (a.burst < 0 ? floodedWaits : a.nth < 5 ? firstFive : rest).push(waited(i)));
  const busiest = (chat: string) => {
    const times = api.accepted.filter((_, k) => api.acceptedChats[k] === chat);
    let most = 0;
    for (let s = 0, e = 0; e < times.length; e++) {
      while ((times[e] ?? 0) - (times[s] ?? 0) >= 60_000) s++;
      most = Math.max(most, e - s + 1);
    }
    return most;
  };
  const bursts = new Set(asks.filter((a) => a.burst >= 0).map((a) => a.burst)).size;
  const f5 = sortedCopy(firstFive);
  const r = sortedCopy(rest);
  const fl = sortedCopy(floodedWaits);
  console.log(`busy Telegram groups — local Bot API with Telegram's limits (20 per 60 s per group, 30/s), ${runMs / 1000} s${long ? '' : ' (--long: 10 minutes)'}`);
  console.log(`  bursty group: ${bursts} bursts of 6-12 replies after a quiet minute; first 5 of each wait at most ${ms(f5[f5.length - 1] ?? NaN)} (p50 ${ms(quantile(f5, 0.5))}; target each ≤ 500 ms); the rest p50 ${ms(quantile(r, 0.5))}, max ${ms(r[r.length - 1] ?? NaN)}`);
  console.log(`  flooded group: ${floodedWaits.length} replies asked for at 30/min and 8/min in turn; waits p50 ${ms(quantile(fl, 0.5))}, p99 ${ms(quantile(fl, 0.99))}`);
  console.log(`  busiest 60 s: bursty ${busiest(bursty)}, flooded ${busiest(flooded)} (limit 20)   delivered ${api.accepted.length}/${asks.length}   429 answers: ${api.refused} (target 0)`);
  if (api.refused > 0 || api.accepted.length < asks.length || busiest(bursty) > 20 || busiest(flooded) > 20) failed = true;
} finally {
  for (const p of ['web', 'telegram', 'wechat', 'wecom'] as Platform[]) await app.outbox.queue(p).obliterate({ force: true }).catch(() => undefined);
  await deleteKeys(app.redis, `${prefix}:*`).catch(() => undefined);
  await app.stop();
  await db.drop();
  await api.close();
}
if (failed) {
  console.error('  FAILED: a limit broken or replies lost');
  process.exitCode = 1;
}
process.exit();
