// The plain-language golden transcript, unchanged, on WeChat (wechaty-puppet-mock): once offline,
// once with the LLM configured (a local OpenAI-compatible server answering as a good model would;
// every understood turn must come from it, no phone number may reach it).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WechatAdapter } from '../../../src/bots/wechat/wechat-adapter.ts';
import { TestClock } from '../../helpers/clock.ts';
import type { FakeOpenAiServer } from '../../helpers/fakes/openai-server.ts';
import { PHONE, plainLanguageUnderstoodTurns, startGoodModel } from '../../helpers/fakes/good-model.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { createWechatMock, loginWechatMock, wechatDriver } from '../../helpers/wechat-driver.ts';

for (const withLlm of [false, true]) {
  describe(`plain-language golden transcript, WeChat (wechaty-puppet-mock): no command words${withLlm ? ', with the LLM configured' : ''}`, () => {
    const m = createWechatMock();
    const adapter = new WechatAdapter(m.bot, { print: () => undefined });
    let h: Harness;
    let model: { llm: FakeOpenAiServer; unknown: string[] } | undefined;
    beforeAll(async () => {
      if (withLlm) model = await startGoodModel();
      /** Sunday 2026-11-22 10:00 in Beijing; the transcript's shifts are on the Saturday and Sunday after. */
      h = await createHarness({
        adapters: [adapter],
        clock: new TestClock('2026-11-22T10:00+08:00'),
        env: model ? { LLM_BASE_URL: model.llm.url, LLM_MODEL: 'good-model' } : {},
      });
      await loginWechatMock(m, adapter);
    });
    afterAll(async () => {
      await h?.close();
      await model?.llm.close();
    });

    test('plain-language.txt plays exactly', { timeout: 120_000 }, async () => {
      await runTranscript(h.app.ctx, wechatDriver(h, m, adapter), loadTranscript('plain-language.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
      if (model) {
        expect(model.unknown).toEqual([]);
        expect(model.llm.requests).toHaveLength(plainLanguageUnderstoodTurns);
        expect(await h.app.ctx.prisma.llmCall.count({ where: { outcome: 'ok' } })).toBe(plainLanguageUnderstoodTurns);
        for (const r of model.llm.requests) expect(r.raw).not.toMatch(PHONE);
      }
    });
  });
}
