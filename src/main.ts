import { offlineUnderstander } from './core/understanding/offline-understander.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './lib/logger.ts';
import { startDatabase } from './db/database.ts';
import { connectRedis, RedisUnavailableError } from '../jobs/connection.ts';
import { LinliApp } from './app.ts';
import { loadDemo } from './core/demo/load-demo.ts';
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

  if (config.demo && (await app.ctx.prisma.community.count()) === 0) {
    await loadDemo(app.ctx, { botName: config.botName });
    log.info('demo data loaded (first start)');
  }
  // The very first start: one console administrator, its generated password printed once below.
  const firstAdmin = await ensureFirstConsoleAdmin(app.ctx);
  // The offline understanding model (jieba's dictionary and data/understanding/model.json), loaded
  // now rather than on the first plain-language message.
  if (config.roles.has('bots') || config.roles.has('web')) offlineUnderstander();
  await app.start();

  process.stdout.write(
    startBanner({ config, adapters, embeddedDatabase: database.embedded, databaseUrl: database.url, seconds: (Date.now() - started) / 1000 }),
  );
  if (firstAdmin) {
    process.stdout.write(
      `  First console account, shown only this once: login ${firstAdmin.login}  password ${firstAdmin.password}\n` +
        '  Sign in at /console and grant yourself or your colleagues a community under 账号管理.\n\n',
    );
  }

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

main().catch((err: unknown) => {
  if (err instanceof RedisUnavailableError || (err instanceof Error && err.message.startsWith('Linli'))) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Linli could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
