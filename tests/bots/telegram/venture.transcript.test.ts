import { afterAll, beforeAll, describe, test } from 'vitest';
import { TelegramAdapter } from '../../../src/bots/telegram/telegram-adapter.ts';
import { deriveWebhookSecret } from '../../../src/bots/telegram/config.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { startTelegramEmulator, telegramDriver, type TelegramEmulator } from '../../helpers/telegram-driver.ts';

const token = '100010:venture-transcript';

describe('微创投 golden transcript, Telegram', () => {
  let emulator: TelegramEmulator;
  let adapter: TelegramAdapter;
  let h: Harness;
  beforeAll(async () => {
    emulator = await startTelegramEmulator();
    adapter = new TelegramAdapter({ token, apiRoot: emulator.apiRoot, webhookSecret: deriveWebhookSecret(token) }, { log: silentLogger });
    h = await createHarness({ adapters: [adapter], clock: new TestClock('2026-12-03T10:00+08:00') });
  });
  afterAll(async () => {
    await h?.close();
    await emulator?.stop();
  });

  test('venture.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, telegramDriver(h, { emulator, adapter, token }), loadTranscript('venture.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
  });
});
