// Issue 12's golden transcripts, unchanged, on Telegram (telegram-test-api): projects and shifts
// from the chat, tickets, needs answered, substitutes. One emulator for the file; each transcript
// gets its own bot token (the emulator keeps each bot's chats apart), adapter and harness.
import { afterAll, beforeAll, describe, test } from 'vitest';
import { TelegramAdapter } from '../../../src/bots/telegram/telegram-adapter.ts';
import { deriveWebhookSecret } from '../../../src/bots/telegram/config.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createHarness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { startTelegramEmulator, telegramDriver, type TelegramEmulator } from '../../helpers/telegram-driver.ts';
import { workerTranscripts } from '../../helpers/worker-transcripts.ts';

describe('issue 12 golden transcripts, Telegram', () => {
  let emulator: TelegramEmulator;
  beforeAll(async () => {
    emulator = await startTelegramEmulator();
  });
  afterAll(async () => emulator?.stop());

  test.each(workerTranscripts.map((t, i) => [t.file, t.start, i] as const))('%s plays exactly', async (file, start, i) => {
    const token = `1000${20 + i}:workers-transcript-${i}`;
    const adapter = new TelegramAdapter({ token, apiRoot: emulator.apiRoot, webhookSecret: deriveWebhookSecret(token) }, { log: silentLogger });
    const h = await createHarness({ adapters: [adapter], clock: new TestClock(start) });
    try {
      await runTranscript(h.app.ctx, telegramDriver(h, { emulator, adapter, token }), loadTranscript(file), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
    } finally {
      await h.close();
    }
  });
});
