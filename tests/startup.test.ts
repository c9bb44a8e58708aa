import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.ts';
import { loadConfig } from '../src/config.ts';

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
