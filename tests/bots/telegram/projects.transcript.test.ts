import { afterAll, beforeAll, describe, test } from 'vitest';
import { TelegramAdapter } from '../../../src/bots/telegram/telegram-adapter.ts';
import { deriveWebhookSecret } from '../../../src/bots/telegram/config.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { startTelegramEmulator, telegramDriver, type TelegramEmulator } from '../../helpers/telegram-driver.ts';

const token = '100002:projects-transcript';
const clock = { now: () => new Date('2026-11-22T02:00:00Z') };

describe('projects golden transcript, Telegram', () => {
  let emulator: TelegramEmulator;
  let adapter: TelegramAdapter;
  let h: Harness;
  beforeAll(async () => {
    emulator = await startTelegramEmulator();
    adapter = new TelegramAdapter({ token, apiRoot: emulator.apiRoot, webhookSecret: deriveWebhookSecret(token) }, { log: silentLogger });
    h = await createHarness({ adapters: [adapter], clock });
  });
  afterAll(async () => {
    await h?.close();
    await emulator?.stop();
  });

  test('projects.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, telegramDriver(h, { emulator, adapter, token }), loadTranscript('projects.txt'), { effects: h.app.effects });
  });
});
