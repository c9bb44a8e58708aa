// `npm run cli -- doctor` against good and broken settings: the real test PostgreSQL, a redis-server
// of the test's own (started without persistence, then given AOF), the Telegram emulator behind a
// Bot API proxy that refuses one token as Telegram does, and a small OpenAI-compatible /models.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatCheck, runDoctor, type CheckLine } from '../src/doctor.ts';
import { realClockEnv } from './helpers/real-clock-env.ts';
import { freePort, startBotApiProxy, type BotApiProxy } from './helpers/telegram-driver.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.ts';
import { eventually } from './helpers/volunteering-world.ts';

const run = promisify(execFile);
const goodToken = '123456:good-token';
const refusedToken = '654321:refused-token';
/** Under `faketime -f '+400d'` this process's clock is 400 days off the database's: doctor must say so. */
const shiftedClock = Boolean(process.env.FAKETIME);

describe('npm run cli -- doctor', () => {
  let db: TestDatabase;
  let redisProcess: ChildProcess | undefined;
  let redisUrl = '';
  let admin: Redis;
  let telegram: TelegramServer;
  let proxy: BotApiProxy;
  let llm: Server;
  let llmUrl = '';
  const dir = mkdtempSync(join(tmpdir(), 'linli-doctor-redis-'));

  beforeAll(async () => {
    const port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    // No persistence at all, as a redis-server started by hand for trying things out is.
    redisProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: 'ignore',
      env: realClockEnv(),
    });
    admin = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on('error', () => undefined);
    await eventually(async () => admin.connect().then(() => true, () => false), 10_000, 'redis-server');

    const tgPort = await freePort();
    telegram = new TelegramServer({ port: tgPort, host: '127.0.0.1' });
    await telegram.start();
    proxy = await startBotApiProxy(telegram.config.apiURL);
    // What Telegram answers and the emulator cannot: a refused token, the webhook info, the privacy flag.
    proxy.intercept = (call) => {
      if (call.token === refusedToken) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
      if (call.method === 'getWebhookInfo') return { status: 200, body: { ok: true, result: { url: '', pending_update_count: 0 } } };
      if (call.method === 'getMe') return { status: 200, body: { ok: true, result: { id: 666, is_bot: true, username: 'TestNameBot', can_read_all_group_messages: true } } };
      return undefined;
    };

    // /v1 lists its models; /v2 has no list, only chat completions (as some gateways).
    llm = createServer((req, res) => {
      if (req.url?.startsWith('/cgi-bin/gettoken?')) {
        // WeCom's token endpoint, answering 200 with an errcode as WeCom does.
        const q = new URL(req.url, 'http://x').searchParams;
        const good = q.get('corpid') === 'ww-test-corp' && q.get('corpsecret') === 'wecom-good-secret';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(good ? { errcode: 0, errmsg: 'ok', access_token: 'at', expires_in: 7200 } : { errcode: 40001, errmsg: 'invalid credential' }));
        return;
      }
      const authorized = req.headers.authorization === 'Bearer sk-test-key';
      const [status, body] = !authorized
        ? [401, { error: 'unauthorized' }]
        : req.url === '/v1/models'
          ? [200, { object: 'list', data: [{ id: 'qwen-test' }] }]
          : req.url === '/v2/chat/completions' && req.method === 'POST'
            ? [200, { choices: [{ message: { role: 'assistant', content: 'p' } }] }]
            : [404, { error: 'not found' }];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', r));
    llmUrl = `http://127.0.0.1:${(llm.address() as { port: number }).port}/v1`;

    db = await createTestDatabase();
  }, 30_000);

  afterAll(async () => {
    admin?.disconnect();
    if (redisProcess && redisProcess.exitCode === null) {
      const exited = new Promise((r) => redisProcess?.once('exit', r));
      redisProcess.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    await proxy?.close();
    await telegram?.stop();
    await new Promise((r) => llm?.close(r));
    await db?.drop();
  });

  /** Settings that are all right: the test database, the test's Redis, Telegram, an LLM. */
  const goodEnv = (): NodeJS.ProcessEnv => ({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    TELEGRAM_BOT_TOKEN: goodToken,
    TELEGRAM_API_ROOT: proxy.apiRoot,
    LLM_BASE_URL: llmUrl,
    LLM_API_KEY: 'sk-test-key',
    LLM_MODEL: 'qwen-test',
  });
  const doctor = (env: NodeJS.ProcessEnv) => runDoctor({ env, schema: db.schema, timeoutMs: 3000 });
  const failures = (lines: CheckLine[]) => lines.filter((l) => l.status === 'fail').map((l) => l.name);
  const line = (lines: CheckLine[], name: string) => lines.find((l) => l.name === name);

  test('good settings pass, one line per check, no secret printed', { timeout: 30_000 }, async () => {
    await admin.config('SET', 'appendonly', 'yes');
    const { lines, failed } = await doctor(goodEnv());
    expect(failures(lines)).toEqual(shiftedClock ? ['clock'] : []);
    expect(failed).toBe(shiftedClock);
    expect(lines.map((l) => l.name)).toEqual(
      expect.arrayContaining(['config DATABASE_URL', 'config LINLI_ROLES', 'config TELEGRAM_BOT_TOKEN', 'database', 'migrations', 'redis', 'redis persistence', 'redis eviction', 'redis version', 'telegram token', 'telegram webhook', 'telegram privacy', 'llm', 'clock']),
    );
    expect(line(lines, 'migrations')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^all \d+ applied$/) });
    expect(line(lines, 'database')?.detail).toMatch(/^PostgreSQL \d+/);
    expect(line(lines, 'redis persistence')).toMatchObject({ status: 'ok', detail: expect.stringContaining('AOF on') });
    expect(line(lines, 'telegram token')).toMatchObject({ status: 'ok', detail: expect.stringContaining('@TestNameBot') });
    expect(line(lines, 'telegram privacy')?.status).toBe('ok');
    expect(line(lines, 'llm')).toMatchObject({ status: 'ok', detail: expect.stringContaining('qwen-test') });
    expect(line(lines, 'config LINLI_ROLES')?.detail).toBe('unset, default bots,workers,web');
    const printed = lines.map(formatCheck).join('\n');
    expect(printed).not.toContain('good-token');
    expect(printed).not.toContain('sk-test-key');
    expect(line(lines, 'config TELEGRAM_BOT_TOKEN')?.detail).toBe('set (hidden)');
    if (shiftedClock) expect(line(lines, 'clock')?.detail).toMatch(/ahead of the database/);
  });

  test('a wrong database URL fails, and the command exits 1 with a FAIL line', { timeout: 30_000 }, async () => {
    await admin.config('SET', 'appendonly', 'yes');
    const env = { ...goodEnv(), DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing' };
    const { lines, failed } = await doctor(env);
    expect(failed).toBe(true);
    expect(failures(lines)).toContain('database');
    expect(line(lines, 'database')?.detail).toMatch(/^cannot reach 127\.0\.0\.1:1\/nothing/);

    // The command itself, as an operator runs it: the same line, and exit code 1.
    const result = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'doctor'], { env: { PATH: process.env.PATH, ...env } }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(result).toMatchObject({ code: 1 });
    const out = (result as { stdout: string }).stdout.split('\n');
    expect(out).toContainEqual(expect.stringMatching(/^FAIL {2}database: cannot reach 127\.0\.0\.1:1\/nothing/));
    expect(out).toContainEqual(expect.stringMatching(/^ok {4}redis persistence: AOF on/));
  });

  test('a Redis without persistence fails, and so does one that evicts keys', { timeout: 30_000 }, async () => {
    await admin.config('SET', 'appendonly', 'no');
    const plain = await doctor(goodEnv());
    expect(plain.failed).toBe(true);
    expect(line(plain.lines, 'redis persistence')).toMatchObject({ status: 'fail', detail: expect.stringContaining('appendonly yes') });

    await admin.config('SET', 'appendonly', 'yes');
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const evicting = await doctor(goodEnv());
      expect(line(evicting.lines, 'redis persistence')?.status).toBe('ok');
      expect(line(evicting.lines, 'redis eviction')).toMatchObject({ status: 'fail', detail: expect.stringContaining('allkeys-lru') });
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  test('npm start warns about the same Redis settings before it goes on', { timeout: 30_000 }, async () => {
    await admin.config('SET', 'appendonly', 'no');
    // The database is wrong on purpose: start-up stops there, after the Redis check.
    const result = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, REDIS_URL: redisUrl, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing', LOG_FORMAT: 'json' },
    }).catch((e: { code: number; stdout: string }) => e);
    expect(result).toMatchObject({ code: 1 });
    const warnings = (result as { stdout: string }).stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringMatching(/^redis: no persistence .*set appendonly yes/)]);
  });

  test('a Telegram token the Bot API refuses fails', { timeout: 30_000 }, async () => {
    await admin.config('SET', 'appendonly', 'yes');
    const { lines, failed } = await doctor({ ...goodEnv(), TELEGRAM_BOT_TOKEN: refusedToken });
    expect(failed).toBe(true);
    expect(line(lines, 'telegram token')).toMatchObject({ status: 'fail', detail: expect.stringContaining('refused TELEGRAM_BOT_TOKEN (401 Unauthorized)') });
    expect(lines.map(formatCheck).join('\n')).not.toContain('refused-token');
  });

  test('the LLM endpoint: a refused key fails; an endpoint without /models is asked a one-token chat', { timeout: 30_000 }, async () => {
    const refused = await doctor({ ...goodEnv(), LLM_API_KEY: 'sk-wrong' });
    expect(line(refused.lines, 'llm')).toMatchObject({ status: 'fail', detail: expect.stringContaining('refused LLM_API_KEY (HTTP 401)') });
    const gateway = await doctor({ ...goodEnv(), LLM_BASE_URL: llmUrl.replace(/\/v1$/, '/v2') });
    expect(line(gateway.lines, 'llm')).toMatchObject({ status: 'ok', detail: expect.stringContaining('answered a one-token chat') });
  });

  test('the WeCom app: a token fetched passes, a wrong secret fails', { timeout: 30_000 }, async () => {
    const wecom = (secret: string) => ({
      ...goodEnv(),
      WECOM_CORP_ID: 'ww-test-corp',
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: secret,
      WECOM_TOKEN: 'callbacktoken',
      WECOM_AES_KEY: 'a'.repeat(43),
      WECOM_API_BASE: llmUrl.replace(/\/v1$/, ''),
    });
    const good = await doctor(wecom('wecom-good-secret'));
    expect(line(good.lines, 'wecom app')).toMatchObject({ status: 'ok', detail: expect.stringContaining('token fetched') });
    expect(line(good.lines, 'config WeCom app')?.detail).toBe('configured');
    const bad = await doctor(wecom('wecom-bad-secret'));
    expect(line(bad.lines, 'wecom app')).toMatchObject({ status: 'fail', detail: expect.stringContaining('40001 invalid credential') });
    expect(bad.lines.map(formatCheck).join('\n')).not.toContain('wecom-bad-secret');
  });

  test('without DATABASE_URL and no embedded database yet: a warning, not a failure', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'linli-doctor-data-'));
    try {
      const { lines } = await doctor({ REDIS_URL: redisUrl, LINLI_DATA_DIR: empty });
      expect(line(lines, 'database')).toMatchObject({ status: 'warn', detail: expect.stringContaining('npm start creates one') });
      expect(line(lines, 'clock')?.status).toBe('warn');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a variable zod refuses is its own FAIL line', async () => {
    const { lines } = await doctor({ ...goodEnv(), PORT: 'eighty', LINLI_ROLES: 'bots|chefs' });
    expect(failures(lines)).toEqual(expect.arrayContaining(['config PORT', 'config LINLI_ROLES']));
  });
});
