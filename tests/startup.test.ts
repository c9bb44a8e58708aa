import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';
import { loadConfig } from '../src/config.ts';
import { startBanner } from '../src/start-banner.ts';
import { TelegramAdapter } from '../src/bots/telegram/index.ts';
import { silentLogger } from '../src/lib/logger.ts';

const run = promisify(execFile);

describe('start-up', () => {
  test('an unreachable Redis stops npm start with one line that names the fix', { timeout: 30_000 }, async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' },
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(result).toMatchObject({ code: 1 });
    const lines = (result as { stderr: string }).stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('cannot reach Redis at redis://127.0.0.1:1');
    expect(lines[0]).toContain('REDIS_URL');
  });

  test('a bad setting names the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', LINLI_ROLES: 'web' })).toThrow(/PORT/);
    expect(() => loadConfig({ LINLI_ROLES: 'bots|chefs' })).toThrow(/LINLI_ROLES/);
    const c = loadConfig({ LINLI_ROLES: 'bots|workers' });
    expect([...c.roles]).toEqual(['bots', 'workers']);
    expect(c.webChat).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgresql://x@h/db' }).webChat).toBe(false);
  });
});

describe('the start banner', () => {
  test('names the roles, platforms, LLM, database and Redis, and no secret', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://linli:db-secret@db.internal:5432/linli',
      REDIS_URL: 'redis://:redis-secret@cache.internal:6379',
      LINLI_ROLES: 'bots,web',
      LLM_BASE_URL: 'https://api.deepseek.com/v1',
      LLM_API_KEY: 'sk-llm-secret',
      LLM_MODEL: 'deepseek-chat',
    });
    const telegram = new TelegramAdapter({ token: '123:tg-secret', apiRoot: 'https://api.telegram.org', webhookSecret: 'x' }, { log: silentLogger });
    const banner = startBanner({ config, adapters: [telegram], embeddedDatabase: false, databaseUrl: config.databaseUrl ?? '', seconds: 2.345 });
    expect(banner).toContain('running in 2.3 s');
    expect(banner).toMatch(/Roles: +bots, web\n/);
    expect(banner).toMatch(/Platforms: +telegram \(long polling\)\n/);
    expect(banner).toMatch(/LLM: +deepseek-chat at https:\/\/api\.deepseek\.com\/v1\n/);
    expect(banner).toMatch(/Database: +PostgreSQL at db\.internal:5432\/linli\n/);
    expect(banner).toMatch(/Redis: +cache\.internal:6379\n/);
    expect(banner).toMatch(/Metrics: +http:\/\/localhost:3000\/metrics \(loopback only\)/);
    for (const secret of ['db-secret', 'redis-secret', 'sk-llm-secret', 'tg-secret']) expect(banner).not.toContain(secret);
  });

  test('without configuration: the web chat and the embedded database', () => {
    const config = loadConfig({});
    const banner = startBanner({ config, adapters: [], embeddedDatabase: true, databaseUrl: 'postgresql://linli:pw@127.0.0.1:5999/linli', seconds: 6.8 });
    expect(banner).toMatch(/Platforms: +web chat\n/);
    expect(banner).toMatch(/LLM: +none/);
    expect(banner).toMatch(/Database: +embedded PostgreSQL under \.\/data/);
    expect(banner).toContain('Web chat:  http://localhost:3000/chat');
  });
});

describe('GET /healthz', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'workers'] });
  });
  afterAll(async () => h?.close());

  test('200 when Postgres and Redis answer, 503 when one does not', async () => {
    const ok = await fetch(`${h.app.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, db: true, redis: true });
    // The database goes away under the running app.
    await h.app.db.prisma.$disconnect();
    await h.app.db.pool.end();
    const down = await fetch(`${h.app.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, db: false, redis: true });
  });
});
