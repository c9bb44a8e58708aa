export { deriveWebhookSecret, telegramConfigFromEnv, telegramEnvSchema, type TelegramConfig } from './config.ts';
export {
  messageToEvent,
  TelegramAdapter,
  telegramCommands,
  telegramSecretHeader,
  telegramWebhookPath,
  type TelegramAdapterOptions,
} from './telegram-adapter.ts';
