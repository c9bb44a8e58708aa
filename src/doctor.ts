// `npm run cli -- doctor`: checks what a deployment depends on, one line each, and says what to fix.
// Read only: it applies no migration, sets no webhook and sends no message.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Redis, type RedisOptions } from 'ioredis';
import type { z } from 'zod';
import { envSchema } from './config.ts';
import { telegramEnvSchema, telegramConfigFromEnv, type TelegramConfig } from './bots/telegram/config.ts';
import { wechatConfigFromEnv } from './bots/wechat/config.ts';
import { wecomAppConfig, wecomBotConfig, type WecomAppConfig } from './bots/wecom/config.ts';
import { migrationStatus } from './db/migrate.ts';
import { silentLogger } from './lib/logger.ts';
import { describeRedis, readRedisSettings, redisFindings } from '../jobs/redis-settings.ts';
import { parseRedisUrl } from './lib/redis.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckLine {
  status: CheckStatus;
  /** What was checked: `config PORT`, `database`, `redis persistence`, `telegram token`… */
  name: string;
  detail: string;
}

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** The database schema to look at (tests); default public. */
  schema?: string;
  /** Per network check; default 5 s (the LLM's is LLM_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Each line as it is decided. */
  out?: (line: string) => void;
}

/** Clock drift against the database beyond which reminders and quiet hours go wrong. */
const driftWarnMs = 1000;
const driftFailMs = 10_000;

/** Variables whose values are never printed. */
const secretNames = /(KEY|SECRET|TOKEN|PASSWORD)$/;

/** `ok    database: …` / `FAIL  redis persistence: …`. */
export function formatCheck(c: CheckLine): string {
  return `${{ ok: 'ok  ', warn: 'WARN', fail: 'FAIL' }[c.status]}  ${c.name}: ${c.detail}`;
}

/** Runs every check; `failed` when any line is FAIL (the CLI then exits 1). */
export async function runDoctor(opts: DoctorOptions = {}): Promise<{ lines: CheckLine[]; failed: boolean }> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const lines: CheckLine[] = [];
  const add = (status: CheckStatus, name: string, detail: string) => {
    const line = { status, name, detail };
    lines.push(line);
    opts.out?.(formatCheck(line));
  };

  const config = checkConfiguration(env, add);
  const dbNow = await checkDatabase(env, config, opts.schema ?? 'public', timeoutMs, add);
  await checkRedis(typeof config.REDIS_URL === 'string' ? config.REDIS_URL : 'redis://127.0.0.1:6379', timeoutMs, add);
  await checkPlatforms(env, timeoutMs, add);
  await checkLlm(config, add);
  checkClock(env, dbNow, add);
  return { lines, failed: lines.some((l) => l.status === 'fail') };
}

type Add = (status: CheckStatus, name: string, detail: string) => void;

/** Every variable of the configuration schemas, as zod reads it; returns the values that read. */
function checkConfiguration(env: NodeJS.ProcessEnv, add: Add): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const each = (shape: Record<string, z.ZodType>, treatEmptyAsUnset: boolean) => {
    for (const [name, schema] of Object.entries(shape)) {
      const raw = treatEmptyAsUnset && env[name]?.trim() === '' ? undefined : env[name];
      const r = schema.safeParse(raw);
      if (!r.success) {
        add('fail', `config ${name}`, r.error.issues.map((i) => i.message).join('; '));
        continue;
      }
      values[name] = r.data;
      const shown = raw === undefined ? (r.data === undefined ? 'unset' : `unset, default ${show(name, r.data)}`) : show(name, r.data);
      add('ok', `config ${name}`, shown);
    }
  };
  each(envSchema.shape as Record<string, z.ZodType>, false);
  each(telegramEnvSchema.shape as Record<string, z.ZodType>, true);
  if (values.LLM_BASE_URL && !values.LLM_MODEL) add('fail', 'config LLM_MODEL', 'required when LLM_BASE_URL is set');
  // The platforms' own rules across variables (half a WeCom app, a bad puppet name).
  for (const [name, read] of [
    ['WeChat', () => wechatConfigFromEnv(env)],
    ['WeCom bot', () => wecomBotConfig(env)],
    ['WeCom app', () => wecomAppConfig(env)],
  ] as const) {
    try {
      add('ok', `config ${name}`, read() ? 'configured' : 'off');
    } catch (err) {
      add('fail', `config ${name}`, oneLine(err));
    }
  }
  return values;
}

/** Reachable, its version, migrations applied; returns the database's now() and when it was read. */
async function checkDatabase(
  env: NodeJS.ProcessEnv,
  config: Record<string, unknown>,
  schema: string,
  timeoutMs: number,
  add: Add,
): Promise<{ now: Date; at: number; rttMs: number } | undefined> {
  let url = typeof config.DATABASE_URL === 'string' ? config.DATABASE_URL : undefined;
  let stop = async () => undefined as void;
  if (!url) {
    if (env.DATABASE_URL !== undefined) return void add('fail', 'database', 'DATABASE_URL does not read (see config above)');
    const dataDir = typeof config.LINLI_DATA_DIR === 'string' ? config.LINLI_DATA_DIR : './data';
    if (!existsSync(join(resolve(dataDir), 'pg', 'PG_VERSION'))) {
      add('warn', 'database', `DATABASE_URL unset and no embedded PostgreSQL under ${dataDir}/pg yet: npm start creates one (for trying Linli, not for production)`);
      return undefined;
    }
    const { startDatabase } = await import('./db/database.ts');
    const running = await startDatabase({ dataDir, log: silentLogger });
    url = running.url;
    stop = running.stop;
  }
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: timeoutMs, options: `-c search_path="${schema}"` });
  pool.on('error', () => undefined);
  try {
    const sent = Date.now();
    const { rows } = await pool.query<{ version: string; now: Date }>(`SELECT current_setting('server_version') AS version, now() AS now`);
    const rttMs = Date.now() - sent;
    const row = rows[0];
    if (!row) throw new Error('no answer');
    add('ok', 'database', `PostgreSQL ${row.version} at ${safeDatabaseUrl(url)}${env.DATABASE_URL ? '' : ' (embedded)'}`);
    const m = await migrationStatus(pool);
    if (m.failed.length) add('fail', 'migrations', `failed: ${m.failed.join(', ')}; fix by hand, then \`npx prisma migrate resolve\``);
    else if (m.unknown.length) add('fail', 'migrations', `the database has migrations this code does not know (${m.unknown.join(', ')}): it is newer than this code`);
    else if (m.pending.length) add('warn', 'migrations', `${m.applied.length} applied, ${m.pending.length} pending (${m.pending.slice(0, 3).join(', ')}${m.pending.length > 3 ? ', …' : ''}): npm start applies them`);
    else add('ok', 'migrations', `all ${m.applied.length} applied`);
    return { now: row.now, at: sent + rttMs / 2, rttMs };
  } catch (err) {
    add('fail', 'database', `cannot reach ${safeDatabaseUrl(url)}: ${oneLine(err)}`);
    return undefined;
  } finally {
    await pool.end().catch(() => undefined);
    await stop().catch(() => undefined);
  }
}

async function checkRedis(url: string, timeoutMs: number, add: Add): Promise<void> {
  let redis: Redis;
  try {
    // The same reading of REDIS_URL as the app's (one server or a Sentinel group), with no retries.
    const target = parseRedisUrl(url);
    const quick: RedisOptions = { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false };
    redis = target.kind === 'server' ? new Redis(target.url, quick) : new Redis({ ...quick, ...target.options });
  } catch (err) {
    add('fail', 'redis', `REDIS_URL: ${oneLine(err)}`);
    return;
  }
  redis.on('error', () => undefined);
  try {
    await withTimeout(redis.connect(), timeoutMs);
    const settings = await withTimeout(readRedisSettings(redis), timeoutMs);
    add('ok', 'redis', `${describeRedis(settings)} at ${safeUrl(url)}`);
    for (const f of redisFindings(settings)) add(f.level, `redis ${f.aspect}`, f.text);
  } catch (err) {
    add('fail', 'redis', `cannot reach ${safeUrl(url)}: ${oneLine(err)}`);
  } finally {
    redis.disconnect();
  }
}

async function checkPlatforms(env: NodeJS.ProcessEnv, timeoutMs: number, add: Add): Promise<void> {
  let telegram: TelegramConfig | null = null;
  let wecomApp: WecomAppConfig | null = null;
  try {
    telegram = telegramConfigFromEnv(env);
  } catch {
    // reported with the configuration
  }
  try {
    wecomApp = wecomAppConfig(env);
  } catch {
    // reported with the configuration
  }
  if (telegram) await checkTelegram(telegram, timeoutMs, add);
  if (wecomApp) await checkWecomApp(wecomApp, timeoutMs, add);
  try {
    if (wecomBotConfig(env)) add('ok', 'wecom bot', 'configured; its WebSocket connection is made (and checked) at start');
  } catch {
    // reported with the configuration
  }
  try {
    const wechat = wechatConfigFromEnv(env);
    if (wechat) {
      try {
        createRequire(import.meta.url).resolve(wechat.puppet);
        add('ok', 'wechat', `puppet ${wechat.puppet} installed; the account logs in at start (a QR code on the first)`);
      } catch {
        add('fail', 'wechat', `WECHATY_PUPPET ${wechat.puppet} is not installed (npm install ${wechat.puppet})`);
      }
    }
  } catch {
    // reported with the configuration
  }
}

interface BotApiAnswer<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
}

async function checkTelegram(config: TelegramConfig, timeoutMs: number, add: Add): Promise<void> {
  const call = async <T>(method: string): Promise<{ status: number; body: BotApiAnswer<T> }> => {
    const res = await fetch(`${config.apiRoot}/bot${config.token}/${method}`, { method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => ({ ok: false, description: `HTTP ${res.status}` }))) as BotApiAnswer<T>;
    return { status: res.status, body };
  };
  let me: { username?: string; can_read_all_group_messages?: boolean } | undefined;
  try {
    const r = await call<{ username?: string; can_read_all_group_messages?: boolean }>('getMe');
    if (r.status === 401 || r.status === 404 || r.body.error_code === 401) {
      return void add('fail', 'telegram token', `Telegram refused TELEGRAM_BOT_TOKEN (${r.body.error_code ?? r.status} ${r.body.description ?? ''}); check it with @BotFather`.trim());
    }
    if (!r.body.ok || !r.body.result) return void add('fail', 'telegram token', `getMe answered ${r.status} ${r.body.description ?? ''}`.trim());
    me = r.body.result;
    add('ok', 'telegram token', `accepted: @${me.username ?? '?'} at ${config.apiRoot}`);
  } catch (err) {
    return void add('fail', 'telegram token', `cannot reach ${config.apiRoot}: ${oneLine(err)}`);
  }
  try {
    const r = await call<{ url?: string; pending_update_count?: number; last_error_message?: string }>('getWebhookInfo');
    const info = r.body.ok ? r.body.result : undefined;
    if (!info) add('warn', 'telegram webhook', `getWebhookInfo answered ${r.status} ${r.body.description ?? ''}`.trim());
    else if (config.webhookUrl) {
      const problems = [
        info.url !== config.webhookUrl ? `set to ${info.url || 'nothing'}, not TELEGRAM_WEBHOOK_URL (npm start sets it)` : '',
        info.last_error_message ? `Telegram's last delivery failed: ${info.last_error_message}` : '',
      ].filter(Boolean);
      add(problems.length ? 'warn' : 'ok', 'telegram webhook', problems.length ? problems.join('; ') : `${info.url}, ${info.pending_update_count ?? 0} update(s) pending`);
    } else if (info.url) {
      add('warn', 'telegram webhook', `a webhook is set (${info.url}) but TELEGRAM_WEBHOOK_URL is not: long polling at start removes it`);
    } else add('ok', 'telegram webhook', 'none: long polling');
  } catch (err) {
    add('warn', 'telegram webhook', `getWebhookInfo failed: ${oneLine(err)}`);
  }
  if (me.can_read_all_group_messages === true) add('ok', 'telegram privacy', 'privacy mode off: the bot reads every group message');
  else if (me.can_read_all_group_messages === false) {
    add('warn', 'telegram privacy', 'privacy mode on: in groups the bot sees only /commands, @mentions and replies (需求 … and +1 3 never arrive); @BotFather /setprivacy → Disable, or make the bot a group admin');
  } else add('warn', 'telegram privacy', 'unknown: getMe did not say can_read_all_group_messages');
}

async function checkWecomApp(config: WecomAppConfig, timeoutMs: number, add: Add): Promise<void> {
  try {
    const url = `${config.apiBase}/cgi-bin/gettoken?corpid=${encodeURIComponent(config.corpId)}&corpsecret=${encodeURIComponent(config.secret)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json()) as { errcode?: number; errmsg?: string; access_token?: string };
    if (body.errcode === 0 && body.access_token) add('ok', 'wecom app', `token fetched for corp ${config.corpId}, agent ${config.agentId}`);
    else add('fail', 'wecom app', `gettoken refused WECOM_CORP_ID/WECOM_SECRET: ${body.errcode ?? res.status} ${body.errmsg ?? ''}`.trim());
  } catch (err) {
    add('fail', 'wecom app', `cannot reach ${config.apiBase}: ${oneLine(err)}`);
  }
}

/** GET {base}/models, with the configured timeout: the key accepted and the model there. */
async function checkLlm(config: Record<string, unknown>, add: Add): Promise<void> {
  const baseUrl = typeof config.LLM_BASE_URL === 'string' ? config.LLM_BASE_URL.replace(/\/+$/, '') : undefined;
  const model = typeof config.LLM_MODEL === 'string' ? config.LLM_MODEL : undefined;
  if (!baseUrl || !model) return void add('ok', 'llm', 'none configured: plain words are read by the offline model');
  if (config.LLM === 'off') return void add('ok', 'llm', `${model} at ${safeUrl(baseUrl)} configured, LLM=off: nothing is sent`);
  const timeoutMs = typeof config.LLM_TIMEOUT_MS === 'number' ? config.LLM_TIMEOUT_MS : 4000;
  const key = typeof config.LLM_API_KEY === 'string' && config.LLM_API_KEY ? config.LLM_API_KEY : 'none';
  const started = Date.now();
  try {
    const res = await fetch(`${baseUrl}/models`, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(timeoutMs) });
    const ms = Date.now() - started;
    if (res.status === 401 || res.status === 403) return void add('fail', 'llm', `${safeUrl(baseUrl)} refused LLM_API_KEY (HTTP ${res.status})`);
    if (res.status === 404) {
      // No model list on this endpoint (some gateways): one tiny chat call instead.
      const chat = await fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const chatMs = Date.now() - started;
      if (chat.ok) return void add('ok', 'llm', `${model} at ${safeUrl(baseUrl)} answered a one-token chat in ${chatMs} ms (timeout ${timeoutMs} ms)`);
      return void add('fail', 'llm', `${safeUrl(baseUrl)}: no /models, and a one-token chat with ${model} answered HTTP ${chat.status}`);
    }
    if (!res.ok) return void add('fail', 'llm', `${safeUrl(baseUrl)}/models answered HTTP ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as { data?: Array<{ id?: string }> };
    const ids = (body.data ?? []).map((m) => m.id);
    if (ids.length && !ids.includes(model)) add('warn', 'llm', `${safeUrl(baseUrl)} answered in ${ms} ms but does not list ${model} (it lists ${ids.slice(0, 5).join(', ')})`);
    else add('ok', 'llm', `${model} at ${safeUrl(baseUrl)}, answered in ${ms} ms (timeout ${timeoutMs} ms)`);
  } catch (err) {
    add('fail', 'llm', `${safeUrl(baseUrl)} did not answer within ${timeoutMs} ms: ${oneLine(err)} (residents are then read offline)`);
  }
}

function checkClock(env: NodeJS.ProcessEnv, db: { now: Date; at: number; rttMs: number } | undefined, add: Add): void {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const where = `process time zone ${zone}${env.TZ ? ` (TZ=${env.TZ})` : ''}; communities keep their own`;
  if (!db) return void add('warn', 'clock', `${where}; drift not measured (no database)`);
  const drift = Math.round(db.at - db.now.getTime());
  const text = `${where}; this machine is ${Math.abs(drift)} ms ${drift >= 0 ? 'ahead of' : 'behind'} the database (±${Math.ceil(db.rttMs / 2)} ms)`;
  const status: CheckStatus = Math.abs(drift) > driftFailMs ? 'fail' : Math.abs(drift) > driftWarnMs ? 'warn' : 'ok';
  add(status, 'clock', status === 'ok' ? text : `${text}: reminders and quiet hours follow this clock; sync it (chrony, systemd-timesyncd)`);
}

function show(name: string, value: unknown): string {
  if (secretNames.test(name)) return 'set (hidden)';
  if (value instanceof Set || Array.isArray(value)) return [...value].join(',');
  if (typeof value === 'string' && /^[a-z+]+:\/\//i.test(value)) return safeUrl(value);
  return String(value);
}

/** A URL without its password (and its query, which may carry keys). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    u.search = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unreadable URL)';
  }
}

function safeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}

function oneLine(err: unknown): string {
  const text = err instanceof AggregateError && err.errors.length ? err.errors.map((e: unknown) => oneLine(e)).join('; ') : err instanceof Error ? err.message || err.name : String(err);
  return text.replace(/^Linli: /, '').replace(/\s*\n\s*/g, '; ');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), ok(v)),
      (e: unknown) => (clearTimeout(timer), fail(e)),
    );
  });
}
