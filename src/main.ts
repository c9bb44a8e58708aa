import { offlineUnderstander } from './core/understanding/offline-understander.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './lib/logger.ts';
import { startDatabase } from './db/database.ts';
import { connectRedis, RedisUnavailableError } from '../jobs/connection.ts';
import { LinliApp } from './app.ts';
import { loadDemo } from './core/demo/load-demo.ts';
import { ensureDemoConsoleAccounts } from './core/demo/demo-accounts.ts';
import { announceProject, askForFeedback } from './notices/announce.ts';
import { ventureAnnouncer } from './notices/venture-announce.ts';
import type { Effect } from './core/effects.ts';
import { platformAdaptersFromEnv } from './bots/registry.ts';
import { commandMenus } from './flows/commands/registry.ts';
import { ensureFirstConsoleAdmin } from './core/console-users/console-users.ts';
import { readRedisSettings, redisFindings } from '../jobs/redis-settings.ts';
import { startBanner } from './start-banner.ts';

/**
 * `npm start`. With no configuration: an embedded PostgreSQL under ./data, Redis on localhost,
 * the web chat with demo data at http://localhost:3000/chat. With DATABASE_URL, REDIS_URL and
 * platform credentials: production. LINLI_ROLES splits the roles across processes.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  // Platform credentials are read (and a half configuration refused) before anything starts.
  const adapters = platformAdaptersFromEnv({ log, botName: config.botName, commandMenus: commandMenus() });
  const started = Date.now();

  // Fail fast, in one line, before anything else starts.
  const redis = await connectRedis(config.redisUrl);
  // BullMQ keeps every queued reply, reminder and broadcast only in Redis: say so when it may lose them.
  try {
    for (const f of redisFindings(await readRedisSettings(redis))) {
      if (f.level !== 'ok') log.warn(`redis: ${f.text} (npm run cli -- doctor checks it all)`);
    }
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not read the Redis settings');
  } finally {
    redis.disconnect();
  }
  const database = await startDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  const app = await LinliApp.create({ config, log, databaseUrl: database.url, adapters });

  // The demo (on by default only with the embedded database; LINLI_DEMO=on with any): loaded once.
  let demoEffects: Effect[] = [];
  if (config.demo) {
    const t0 = Date.now();
    const demo = await loadDemo(app.ctx, { botName: config.botName, writers: { announceProject, askForFeedback, ventureAnnouncer } });
    if (demo.created) log.info({ ms: Date.now() - t0 }, 'demo data loaded (first start)');
    demoEffects = demo.effects;
  }
  // The very first start: one console administrator, its generated password printed once below;
  // with the demo it also gets the demo communities, and the web chat's 王书记 an account of her own.
  const firstAdmin = await ensureFirstConsoleAdmin(app.ctx);
  const demoAccounts = config.demo ? await ensureDemoConsoleAccounts(app.ctx, { adminLogin: firstAdmin?.login ?? null }) : { worker: null, adminCommunities: [] };
  // The offline understanding model (jieba's dictionary and data/understanding/model.json), loaded
  // now rather than on the first plain-language message.
  if (config.roles.has('bots') || config.roles.has('web')) offlineUnderstander();
  await app.start();
  // What the demo's residents should see now (announcements, reminders), carried out once the workers run.
  if (demoEffects.length) await app.effects.apply(demoEffects);

  process.stdout.write(
    startBanner({ config, adapters, embeddedDatabase: database.embedded, databaseUrl: database.url, seconds: (Date.now() - started) / 1000 }),
  );
  if (firstAdmin || demoAccounts.worker) process.stdout.write(accountsBanner(firstAdmin, demoAccounts));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await app.stop().catch((err: unknown) => log.error({ err }, 'error while stopping'));
    await database.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The console accounts made on this start, with their passwords: printed once, never logged. */
/** The console accounts made at this start, with their passwords: printed once, never logged. */
function accountsBanner(
  admin: { login: string; password: string } | null,
  demo: { worker: { login: string; password: string } | null; adminCommunities: string[] },
): string {
  const lines = ['  Console accounts, passwords shown only this once:'];
  if (admin) lines.push(`    administrator  login ${admin.login}  password ${admin.password}`);
  if (demo.worker) lines.push(`    王书记 (demo)   login ${demo.worker.login}  password ${demo.worker.password}`);
  if (admin) lines.push(
    demo.adminCommunities.length
      ? `  The administrator sees the demo communities (${demo.adminCommunities.join(', ')}); grant colleagues theirs under 账号管理.`
      : '  Sign in at /console and grant yourself or your colleagues a community under 账号管理.',
  );
  return `${lines.join('\n')}\n\n`;
}

main().catch((err: unknown) => {
  if (err instanceof RedisUnavailableError || (err instanceof Error && err.message.startsWith('Linli'))) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Linli could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
