// The plain-language golden transcript, unchanged, on Telegram (telegram-test-api, long polling):
// once offline, once with the LLM configured (a local OpenAI-compatible server answering as a
// good model would; every understood turn must come from it, no phone number may reach it).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TelegramAdapter } from '../../../src/bots/telegram/telegram-adapter.ts';
import { deriveWebhookSecret } from '../../../src/bots/telegram/config.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { TestClock } from '../../helpers/clock.ts';
import type { FakeOpenAiServer } from '../../helpers/fakes/openai-server.ts';
import { PHONE, plainLanguageUnderstoodTurns, startGoodModel } from '../../helpers/fakes/good-model.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { startTelegramEmulator, telegramDriver, type TelegramEmulator } from '../../helpers/telegram-driver.ts';

for (const withLlm of [false, true]) {
  describe(`plain-language golden transcript, Telegram: no command words${withLlm ? ', with the LLM configured' : ''}`, () => {
    const token = withLlm ? '100005:plain-language-llm' : '100004:plain-language-transcript';
    let emulator: TelegramEmulator;
    let adapter: TelegramAdapter;
    let h: Harness;
    let model: { llm: FakeOpenAiServer; unknown: string[] } | undefined;
    beforeAll(async () => {
      if (withLlm) model = await startGoodModel();
      emulator = await startTelegramEmulator();
      adapter = new TelegramAdapter({ token, apiRoot: emulator.apiRoot, webhookSecret: deriveWebhookSecret(token) }, { log: silentLogger });
      /** Sunday 2026-11-22 10:00 in Beijing; the transcript's shifts are on the Saturday and Sunday after. */
      h = await createHarness({
        adapters: [adapter],
        clock: new TestClock('2026-11-22T10:00+08:00'),
        env: model ? { LLM_BASE_URL: model.llm.url, LLM_MODEL: 'good-model' } : {},
      });
    });
    afterAll(async () => {
      await h?.close();
      await emulator?.stop();
      await model?.llm.close();
    });

    test('plain-language.txt plays exactly', { timeout: 120_000 }, async () => {
      await runTranscript(h.app.ctx, telegramDriver(h, { emulator, adapter, token }), loadTranscript('plain-language.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
      if (model) {
        expect(model.unknown).toEqual([]);
        expect(model.llm.requests).toHaveLength(plainLanguageUnderstoodTurns);
        expect(await h.app.ctx.prisma.llmCall.count({ where: { outcome: 'ok' } })).toBe(plainLanguageUnderstoodTurns);
        for (const r of model.llm.requests) expect(r.raw).not.toMatch(PHONE);
      }
    });
  });
}
