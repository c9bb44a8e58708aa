// The plain-language golden transcript, unchanged, on Telegram (telegram-test-api, long polling).
import { afterAll, beforeAll, describe, test } from 'vitest';
import { TelegramAdapter } from '../../../src/bots/telegram/telegram-adapter.ts';
import { deriveWebhookSecret } from '../../../src/bots/telegram/config.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { startTelegramEmulator, telegramDriver, type TelegramEmulator } from '../../helpers/telegram-driver.ts';

const token = '100004:plain-language-transcript';

describe('plain-language golden transcript, Telegram: no command words', () => {
  let emulator: TelegramEmulator;
  let adapter: TelegramAdapter;
  let h: Harness;
  beforeAll(async () => {
    emulator = await startTelegramEmulator();
    adapter = new TelegramAdapter({ token, apiRoot: emulator.apiRoot, webhookSecret: deriveWebhookSecret(token) }, { log: silentLogger });
    /** Sunday 2026-11-22 10:00 in Beijing; the transcript's shifts are on the Saturday and Sunday after. */
    h = await createHarness({ adapters: [adapter], clock: new TestClock('2026-11-22T10:00+08:00') });
  });
  afterAll(async () => {
    await h?.close();
    await emulator?.stop();
  });

  test('plain-language.txt plays exactly', { timeout: 120_000 }, async () => {
    await runTranscript(h.app.ctx, telegramDriver(h, { emulator, adapter, token }), loadTranscript('plain-language.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
  });
});
