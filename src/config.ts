import { z } from 'zod';

const roles = ['bots', 'workers', 'web'] as const;
export type ProcessRole = (typeof roles)[number];

const envSchema = z.object({
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
});

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
};

/** Reads the process configuration; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Linli: invalid configuration\n${lines.join('\n')}`);
  }
  const e = parsed.data;
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
  };
}
