// `npm start` with a DATABASE_URL and LINLI_DEMO=on (a database of its own on the real PostgreSQL):
// the demo is loaded and both console passwords are printed; a second start loads nothing again,
// prints no password and leaves the counts as they were.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createScratchDatabase } from '../../helpers/test-db.ts';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

describe('npm start with LINLI_DEMO=on and a DATABASE_URL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const prefix = `tdemo${randomBytes(4).toString('hex')}`;

  /** Runs `npm start` until it has printed its "running" banner (and what follows), then stops it. */
  async function start(): Promise<string> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: scratch.url, LINLI_DEMO: 'on', PORT: String(port), LINLI_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
    delete env.LINLI_WEBCHAT;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 90_000;
    // The banner ends with the Health line; the passwords, if any, follow it in the same write.
    while (!/Health: /.test(out)) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}\n${out}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    return out;
  }
  const counts = async () => {
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      const r = await db.query(
        `SELECT (SELECT count(*) FROM "Need")::int AS needs, (SELECT count(*) FROM "Project")::int AS projects, (SELECT count(*) FROM "ConsoleUser")::int AS accounts,
                (SELECT count(*) FROM "Vote")::int AS votes, (SELECT count(*) FROM "AuditLog" WHERE action = 'demo.load')::int AS loads`,
      );
      return r.rows[0];
    } finally {
      await db.end();
    }
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase('demostart');
  });
  afterAll(async () => {
    await scratch?.drop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  test('loads the demo once, and prints the two passwords once', { timeout: 200_000 }, async () => {
    const first = await start();
    expect(first).toMatch(/administrator {2}login admin {2}password \S+\n {4}王书记 \(demo\) {3}login wang {2}password \S+/);
    // A DATABASE_URL turns the web chat off unless asked: the console still opens on the demo.
    expect(first).not.toContain('Web chat:');
    const after = await counts();
    expect(after).toEqual({ needs: 37, projects: 3, accounts: 2, votes: 10, loads: 1 });

    const second = await start();
    expect(second).not.toContain('password');
    expect(await counts()).toEqual(after);
  });
});
