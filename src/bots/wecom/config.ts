import { z } from 'zod';

/**
 * WeCom (企业微信) configuration, read from the environment. Two independent ways in:
 *
 * - the 智能机器人 (AI bot) over a WebSocket long connection: `WECOM_BOT_ID`, `WECOM_BOT_SECRET`,
 *   optionally `WECOM_WS_URL` (the SDK's default is wss://openws.work.weixin.qq.com; private
 *   deployments have their own) and `WECOM_BOT_NAME` (the name residents @ in groups);
 * - the self-built app (自建应用): `WECOM_CORP_ID`, `WECOM_AGENT_ID`, `WECOM_SECRET`,
 *   `WECOM_TOKEN`, `WECOM_AES_KEY`, optionally `WECOM_API_BASE` and `WECOM_ROBOT_WEBHOOKS`
 *   (group robots for broadcasts: `楼栋群A=key1,楼栋群B=key2`; a full webhook URL works as the key).
 *
 * Each function returns null when its part is not configured at all, and throws an Error starting
 * with "Linli:" (so main.ts prints it in one line) when it is configured only in part or wrongly.
 */

export interface WecomBotConfig {
  botId: string;
  secret: string;
  /** The SDK's `wsUrl`; undefined means the SDK's built-in default. */
  wsUrl?: string;
  /** The bot's display name in groups, stripped from `@<name>` mentions; undefined: Linli's bot name. */
  botName?: string;
}

export interface WecomAppConfig {
  corpId: string;
  agentId: number;
  secret: string;
  /** The callback Token (签名). */
  token: string;
  /** The callback EncodingAESKey: 43 characters. */
  aesKey: string;
  /** e.g. https://qyapi.weixin.qq.com, no trailing slash. */
  apiBase: string;
  /** Group robots by the name used in chat ids (`hook:<name>`), each with its webhook key. */
  webhooks: ReadonlyMap<string, string>;
}

const nonEmpty = z.string().trim().min(1);

export const wecomBotEnvSchema = z.object({
  WECOM_BOT_ID: nonEmpty.describe('The 智能机器人\'s BotID; with WECOM_BOT_SECRET it turns the bot (WebSocket long connection, one `bots` process) on.'),
  WECOM_BOT_SECRET: nonEmpty.describe('The 智能机器人\'s Secret.'),
  WECOM_WS_URL: z
    .string()
    .trim()
    .regex(/^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL')
    .optional()
    .describe('The long connection\'s URL for a private WeCom deployment. Default: the SDK\'s (wss://openws.work.weixin.qq.com).'),
  WECOM_BOT_NAME: nonEmpty.max(64).optional().describe('The name residents @ in groups. Default: LINLI_BOT_NAME.'),
});

export const wecomAppEnvSchema = z.object({
  WECOM_CORP_ID: nonEmpty.max(64).describe('The self-built app (自建应用): the CorpID. The app\'s five variables go together; its callbacks arrive at `/wecom/callback` on the `web` role.'),
  WECOM_AGENT_ID: z.coerce.number().int().positive().describe('The app\'s AgentId.'),
  WECOM_SECRET: nonEmpty.describe('The app\'s Secret.'),
  WECOM_TOKEN: nonEmpty.max(32).describe('The callback Token (接收消息 → Token).'),
  WECOM_AES_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey')
    .describe('The callback EncodingAESKey (43 characters).'),
  WECOM_API_BASE: z
    .string()
    .trim()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .default('https://qyapi.weixin.qq.com')
    .transform((s) => s.replace(/\/+$/, ''))
    .describe('The WeCom API server (a private deployment\'s own).'),
  WECOM_ROBOT_WEBHOOKS: z
    .string()
    .optional()
    .describe('Group robots for broadcasts: `楼栋群A=key1,楼栋群B=key2` (a whole webhook URL works as the key).'),
});

const botVars = ['WECOM_BOT_ID', 'WECOM_BOT_SECRET'] as const;
const appVars = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_AES_KEY'] as const;

/** The 智能机器人's settings, or null when neither WECOM_BOT_ID nor WECOM_BOT_SECRET is set. */
export function wecomBotConfig(env: NodeJS.ProcessEnv = process.env): WecomBotConfig | null {
  if (!anySet(env, [...botVars, 'WECOM_WS_URL'])) return null;
  const e = parse(wecomBotEnvSchema, pick(env, [...botVars, 'WECOM_WS_URL', 'WECOM_BOT_NAME']), 'the WeCom bot (智能机器人)');
  return { botId: e.WECOM_BOT_ID, secret: e.WECOM_BOT_SECRET, wsUrl: e.WECOM_WS_URL, botName: e.WECOM_BOT_NAME };
}

/** The self-built app's settings, or null when none of its variables is set. */
export function wecomAppConfig(env: NodeJS.ProcessEnv = process.env): WecomAppConfig | null {
  if (!anySet(env, [...appVars, 'WECOM_ROBOT_WEBHOOKS'])) return null;
  const e = parse(wecomAppEnvSchema, pick(env, [...appVars, 'WECOM_API_BASE', 'WECOM_ROBOT_WEBHOOKS']), 'the WeCom app (自建应用)');
  return {
    corpId: e.WECOM_CORP_ID,
    agentId: e.WECOM_AGENT_ID,
    secret: e.WECOM_SECRET,
    token: e.WECOM_TOKEN,
    aesKey: e.WECOM_AES_KEY,
    apiBase: e.WECOM_API_BASE,
    webhooks: parseRobotWebhooks(e.WECOM_ROBOT_WEBHOOKS ?? ''),
  };
}

/**
 * Reads `name=key` pairs separated by commas, semicolons or newlines. The key may be a whole
 * webhook URL (`…/webhook/send?key=…`). Names become chat ids `hook:<name>`, so they may not hold
 * `:` or `,`; a name given twice is an error.
 */
export function parseRobotWebhooks(spec: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const raw of spec.split(/[,;\n，；]+/)) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq).trim() : '';
    let key = eq > 0 ? item.slice(eq + 1).trim() : '';
    if (/^https?:\/\//.test(key)) key = new URL(key).searchParams.get('key') ?? '';
    if (!name || !key || name.includes(':') || name.length > 100 || !/^[A-Za-z0-9-]{1,100}$/.test(key)) {
      throw new Error(`Linli: invalid configuration\n  WECOM_ROBOT_WEBHOOKS: "${item.slice(0, 40)}" is not name=key`);
    }
    if (out.has(name)) throw new Error(`Linli: invalid configuration\n  WECOM_ROBOT_WEBHOOKS: "${name}" appears twice`);
    out.set(name, key);
  }
  return out;
}

function anySet(env: NodeJS.ProcessEnv, names: readonly string[]): boolean {
  return names.some((n) => (env[n] ?? '').trim() !== '');
}

function pick(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((n) => [n, (env[n] ?? '').trim() === '' ? undefined : env[n]]));
}

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.code === 'invalid_type' ? 'required' : i.message}`);
  throw new Error(`Linli: invalid configuration for ${what}\n${lines.join('\n')}`);
}
