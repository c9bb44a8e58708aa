import { z } from 'zod';
import { hashTaggedPrefix, redisUrlSchema } from './lib/redis.ts';

const roles = ['bots', 'workers', 'web'] as const;
export type ProcessRole = (typeof roles)[number];

/**
 * Fastify's `trustProxy`: unset or `false`, the client is the TCP peer; `true`, any proxy's
 * X-Forwarded-* is believed; a number, that many hops; otherwise addresses or CIDRs of the proxies.
 */
const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((s, ctx): boolean | number | string => {
    if (s === undefined || s === '' || s === 'false') return false;
    if (s === 'true') return true;
    if (/^\d+$/.test(s)) return Number(s);
    const parts = s.split(',').map((p) => p.trim());
    const bad = parts.find((p) => !/^(?:[0-9.]+|[0-9a-f:]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i.test(p) && p !== 'loopback' && p !== 'linklocal' && p !== 'uniquelocal');
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not an address, a CIDR, loopback, linklocal or uniquelocal (or use true, false or a hop count)` });
      return z.NEVER;
    }
    return parts.join(',');
  });

/**
 * Every variable Linli reads itself, with its default and what it does: `npm run docs:env` prints
 * the README's table from these descriptions (the platforms' own variables are in src/bots/*\/config.ts).
 */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .describe('PostgreSQL, e.g. `postgresql://linli:…@db:5432/linli`. Unset: an embedded PostgreSQL under LINLI_DATA_DIR (trying it out only).'),
  REDIS_URL: redisUrlSchema
    .default('redis://127.0.0.1:6379')
    .describe('Queues, rate limits, console sessions and the web chat\'s live stream. One Redis (`redis://`, `rediss://` for TLS) or a Sentinel group: `redis+sentinel://[:password@]host1:26379,host2:26379/mymaster[?sentinelPassword=…]`. Needs AOF and `maxmemory-policy noeviction`.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('The HTTP port of the `web` role.'),
  HOST: z.string().default('0.0.0.0').describe('The address the `web` role listens on (`127.0.0.1` behind a reverse proxy on the same host).'),
  LINLI_TRUST_PROXY: trustProxy.describe(
    'Behind a reverse proxy: whose X-Forwarded-For/-Proto to believe (Fastify `trustProxy`): the proxy\'s address or CIDR list (`127.0.0.1`, `10.0.0.0/8`), `loopback`, a hop count, or `true`. Unset: none, and every client looks like the proxy.',
  ),
  LINLI_ROLES: z
    .string()
    .default('bots,workers,web')
    .transform((s) => s.split(/[,|\s]+/).filter(Boolean))
    .pipe(z.array(z.enum(roles)).min(1))
    .describe('Which parts this process runs, comma-separated: `bots` (platform connections: one process per WeChat login or Telegram long poll), `workers` (queues: sending, reminders, broadcasts, digests), `web` (console, API, webhooks, web chat).'),
  LINLI_DATA_DIR: z.string().default('./data').describe('Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset.'),
  LINLI_WEBCHAT: z
    .enum(['on', 'off'])
    .optional()
    .describe('The web chat at /chat lets anyone pick any persona. Default: on only without DATABASE_URL.'),
  LINLI_WEBCHAT_POSTS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(60)
    .describe('Messages the web chat accepts from one IP address per minute (429 beyond).'),
  LINLI_BOT_NAME: z.string().min(1).default('邻里助手').describe('The bot\'s name in replies and the @-mention it answers to.'),
  LINLI_DEMO: z.enum(['on', 'off']).optional().describe('Load the demo (two communities with needs, projects, hours, a 微创投 round, and 王书记\'s console account) once per database; an AuditLog `demo.load` row marks it. Default: on only without DATABASE_URL.'),
  LINLI_QUEUE_PREFIX: z
    .string()
    .regex(/^[^\s]+$/, 'must not be empty or contain spaces')
    .default('linli')
    .transform(hashTaggedPrefix)
    .describe('Prefix of every Redis key. Wrapped in a hash tag (`linli` → `{linli}`) so all keys share one Redis Cluster slot; deployments sharing a Redis need different prefixes.'),
  LOG_LEVEL: z.string().default('info').describe('pino level: `fatal`, `error`, `warn`, `info`, `debug` or `trace`. Every line has personal data masked.'),
  LOG_FORMAT: z
    .enum(['auto', 'pretty', 'json'])
    .default('auto')
    .describe('`auto`: human-readable lines (pino-pretty) when stdout is a terminal, JSON lines otherwise; `pretty` or `json` to force one.'),
  LINLI_METRICS_PORT: z
    .preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional())
    .describe('A process without the `web` role serves its own /metrics on this port (same access rules). Unset: it serves none.'),
  LINLI_METRICS_TOKEN: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(16, 'at least 16 characters').optional())
    .describe('Lets a Prometheus scraper that is not on this machine read /metrics (`Authorization: Bearer …`). Loopback needs none.'),
  LLM_BASE_URL: z
    .string()
    .url()
    .optional()
    .describe('An OpenAI-compatible endpoint (https://api.openai.com/v1, DeepSeek, a local vLLM) that reads residents\' plain words and drafts for workers. Unset: no LLM, everything is understood offline.'),
  LLM_API_KEY: z.string().optional().describe('The endpoint\'s API key (local servers may need none).'),
  LLM_MODEL: z.string().min(1).optional().describe('The model name; required with LLM_BASE_URL.'),
  LLM_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(4000)
    .describe('One deadline for a whole answer, a retry included; past it the offline understander answers.'),
  LLM_RESPONSE_FORMAT: z
    .enum(['json_schema', 'json_object'])
    .default('json_schema')
    .describe('`json_object` for endpoints without structured outputs (DeepSeek): the schema then goes in the prompt.'),
  LLM_DAILY_CALLS: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('LLM calls per community per local day; over it the offline understander answers. Unset: no budget.'),
  LLM: z.enum(['on', 'off']).default('on').describe('`off` keeps the LLM configured but unused (everything answers offline).'),
});

/** The LLM endpoint, when one is configured. */
export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  responseFormat: 'json_schema' | 'json_object';
  /** Calls per community per local day, or null for no budget. */
  dailyCalls: number | null;
  /** LLM=off: configured, but nothing is sent. */
  off: boolean;
}

export type Config = {
  databaseUrl: string | undefined;
  redisUrl: string;
  port: number;
  host: string;
  /** Fastify's trustProxy (LINLI_TRUST_PROXY): false, true, a hop count, or proxy addresses. */
  trustProxy: boolean | number | string;
  roles: ReadonlySet<ProcessRole>;
  dataDir: string;
  webChat: boolean;
  webChatPostsPerMinute: number;
  demo: boolean;
  botName: string;
  /** The Redis key prefix, hash-tagged (`{linli}`). */
  queuePrefix: string;
  logLevel: string;
  logFormat: 'auto' | 'pretty' | 'json';
  /** The bearer token that reads /metrics from elsewhere than loopback; undefined: loopback only. */
  metricsToken: string | undefined;
  /** Where a process without `web` serves /metrics; undefined: it does not. */
  metricsPort: number | undefined;
  /** Undefined without LLM_BASE_URL: residents are understood offline only. */
  llm: LlmConfig | undefined;
};

/** Reads the process configuration; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Linli: invalid configuration\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.LLM_BASE_URL && !e.LLM_MODEL) throw new Error('Linli: invalid configuration\n  LLM_MODEL: required when LLM_BASE_URL is set');
  const embedded = e.DATABASE_URL === undefined;
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.LINLI_TRUST_PROXY,
    roles: new Set(e.LINLI_ROLES),
    dataDir: e.LINLI_DATA_DIR,
    webChat: e.LINLI_WEBCHAT ? e.LINLI_WEBCHAT === 'on' : embedded,
    webChatPostsPerMinute: e.LINLI_WEBCHAT_POSTS_PER_MINUTE,
    demo: e.LINLI_DEMO ? e.LINLI_DEMO === 'on' : embedded,
    botName: e.LINLI_BOT_NAME,
    queuePrefix: e.LINLI_QUEUE_PREFIX,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    metricsToken: e.LINLI_METRICS_TOKEN,
    metricsPort: e.LINLI_METRICS_PORT,
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL
        ? {
            baseUrl: e.LLM_BASE_URL,
            // Local OpenAI-compatible servers take any key; the SDK insists on one.
            apiKey: e.LLM_API_KEY || 'none',
            model: e.LLM_MODEL,
            timeoutMs: e.LLM_TIMEOUT_MS,
            responseFormat: e.LLM_RESPONSE_FORMAT,
            dailyCalls: e.LLM_DAILY_CALLS ?? null,
            off: e.LLM === 'off',
          }
        : undefined,
  };
}
