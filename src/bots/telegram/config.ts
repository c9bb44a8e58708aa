import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Telegram allows 1–256 characters `A-Z a-z 0-9 _ -` in a webhook's secret_token. */
const secretTokenPattern = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The Telegram part of the environment. Telegram is on exactly when TELEGRAM_BOT_TOKEN is set;
 * with TELEGRAM_WEBHOOK_URL it receives updates by webhook, otherwise by long polling.
 */
export const telegramEnvSchema = z.object({
  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a BotFather token such as 123456:ABC-DEF…')
    .optional()
    .describe('The bot token from @BotFather; setting it turns Telegram on.'),
  /** The Bot API server: Telegram's, a self-hosted telegram-bot-api, or a test emulator. */
  TELEGRAM_API_ROOT: z
    .string()
    .trim()
    .url()
    .default('https://api.telegram.org')
    .transform((s) => s.replace(/\/+$/, ''))
    .describe('The Bot API server: Telegram\'s, a self-hosted telegram-bot-api, or a test emulator.'),
  /** The public URL Telegram posts updates to (ending in /telegram/webhook); unset: long polling. */
  TELEGRAM_WEBHOOK_URL: z
    .string()
    .trim()
    .url()
    .optional()
    .describe('The public HTTPS URL Telegram posts updates to, ending in `/telegram/webhook` (served by the `web` role). Unset: long polling by the one `bots` process.'),
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; derived from the token when unset. */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .trim()
    .regex(secretTokenPattern, 'Telegram allows only A-Z, a-z, 0-9, _ and - (1 to 256 characters)')
    .optional()
    .describe('Checked in X-Telegram-Bot-Api-Secret-Token on every webhook call. Default: derived from the token.'),
});

/** What the Telegram adapter needs. Contains the bot token: never log it. */
export interface TelegramConfig {
  token: string;
  apiRoot: string;
  /** Set: webhook mode (setWebhook at start, updates come through handleWebhook). */
  webhookUrl?: string;
  /** The secret_token Telegram echoes in every webhook call. */
  webhookSecret: string;
}

/** The default webhook secret: the first 32 hex digits of sha256(token), stable across restarts. */
export function deriveWebhookSecret(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

/**
 * The Telegram configuration from the environment, or null when TELEGRAM_BOT_TOKEN is unset
 * (Telegram off). A bad value throws an Error starting with `Linli:` that names the variable.
 */
export function telegramConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TelegramConfig | null {
  // An empty variable (`TELEGRAM_WEBHOOK_URL=` in a .env file) means unset.
  const present = Object.fromEntries(
    Object.keys(telegramEnvSchema.shape).flatMap((k) => (env[k] !== undefined && env[k]?.trim() !== '' ? [[k, env[k]]] : [])),
  );
  const parsed = telegramEnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Linli: invalid Telegram configuration\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (!e.TELEGRAM_BOT_TOKEN) return null;
  return {
    token: e.TELEGRAM_BOT_TOKEN,
    apiRoot: e.TELEGRAM_API_ROOT,
    webhookUrl: e.TELEGRAM_WEBHOOK_URL,
    webhookSecret: e.TELEGRAM_WEBHOOK_SECRET ?? deriveWebhookSecret(e.TELEGRAM_BOT_TOKEN),
  };
}
