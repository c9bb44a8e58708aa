export { deriveWebhookSecret, telegramConfigFromEnv, telegramEnvSchema, type TelegramConfig } from './config.ts';
export {
  messageToEvent,
  TelegramAdapter,
  telegramSecretHeader,
  telegramWebhookPath,
  type TelegramAdapterOptions,
} from './telegram-adapter.ts';
