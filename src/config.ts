import { z } from 'zod';

const roles = ['bots', 'workers', 'web'] as const;
export type ProcessRole = (typeof roles)[number];

/** The process's environment variables as Linli reads them (`npm run cli -- doctor` checks each). */
export const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Comma- or |-separated: which parts this process runs. Default all three. */
  LINLI_ROLES: z
    .string()
    .default('bots,workers,web')
    .transform((s) => s.split(/[,|\s]+/).filter(Boolean))
    .pipe(z.array(z.enum(roles)).min(1)),
  /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset. */
  LINLI_DATA_DIR: z.string().default('./data'),
  /** The web chat lets anyone pick any persona: on by default only without DATABASE_URL. */
  LINLI_WEBCHAT: z.enum(['on', 'off']).optional(),
  /** Messages the web chat accepts from one IP address per minute (its POST answers 429 beyond). */
  LINLI_WEBCHAT_POSTS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  LINLI_BOT_NAME: z.string().min(1).default('邻里助手'),
  /** Load the demo data on first start (default: only with the embedded database). */
  LINLI_DEMO: z.enum(['on', 'off']).optional(),
  LINLI_QUEUE_PREFIX: z.string().default('linli'),
  LOG_LEVEL: z.string().default('info'),
  /** `auto`: human-readable lines when stdout is a terminal, JSON lines otherwise. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  /** Lets a Prometheus scraper that is not on this machine read /metrics (Authorization: Bearer …); loopback needs none. */
  /** A process without the `web` role serves /metrics on this port (same rules); unset: it serves none. */
  LINLI_METRICS_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  LINLI_METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(16, 'at least 16 characters').optional()),
  /** An OpenAI-compatible endpoint (https://api.openai.com/v1, a DeepSeek or local vLLM URL); unset: no LLM. */
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().min(1).optional(),
  /** One deadline for a whole answer (a retry included); past it the offline understander answers. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
  /** `json_object` for endpoints without structured outputs (DeepSeek): the schema then goes in the prompt. */
  LLM_RESPONSE_FORMAT: z.enum(['json_schema', 'json_object']).default('json_schema'),
  /** Calls per community per local day; unset: no budget. Over it, the offline understander answers. */
  LLM_DAILY_CALLS: z.coerce.number().int().min(0).optional(),
  /** `off` keeps the LLM configured but unused (everything answers offline). */
  LLM: z.enum(['on', 'off']).default('on'),
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
  roles: ReadonlySet<ProcessRole>;
  dataDir: string;
  webChat: boolean;
  webChatPostsPerMinute: number;
  demo: boolean;
  botName: string;
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
