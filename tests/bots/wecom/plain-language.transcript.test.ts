// The plain-language golden transcript, unchanged, on WeCom: groups through the 智能机器人 (the
// real SDK against a local fake of WeCom's long-connection server), private chats through the app
// (signed, encrypted callbacks; replies through a local fake of WeCom's API). Once offline, once
// with the LLM configured (a local OpenAI-compatible server answering as a good model would; every
// understood turn must come from it, no phone number may reach it).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WecomAdapter } from '../../../src/bots/wecom/wecom-adapter.ts';
import { WecomAppAdapter } from '../../../src/bots/wecom/wecom-app-adapter.ts';
import { WecomBotAdapter } from '../../../src/bots/wecom/wecom-bot-adapter.ts';
import { FakeWecomAibotServer } from '../../helpers/fakes/wecom-aibot-server.ts';
import { FakeWecomApi } from '../../helpers/fakes/wecom-api-server.ts';
import { TestClock } from '../../helpers/clock.ts';
import type { FakeOpenAiServer } from '../../helpers/fakes/openai-server.ts';
import { PHONE, plainLanguageUnderstoodTurns, startGoodModel } from '../../helpers/fakes/good-model.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { wecomAppDriver } from '../../helpers/wecom-app-driver.ts';
import { wecomBotDriver } from '../../helpers/wecom-bot-driver.ts';
import { WecomPeople } from '../../helpers/wecom-people.ts';

const botName = '邻里助手';
const bot = { botId: 'aib-plain-language-bot', secret: 'bot-secret' };
const app = { corpId: 'ww5823bf96d3bd56c7', agentId: 1000002, secret: 'app-secret', token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

for (const withLlm of [false, true]) {
  describe(`plain-language golden transcript, WeCom: no command words${withLlm ? ', with the LLM configured' : ''}`, () => {
    let h: Harness;
    let server: FakeWecomAibotServer;
    let api: FakeWecomApi;
    let adapter: WecomAdapter;
    let model: { llm: FakeOpenAiServer; unknown: string[] } | undefined;

    beforeAll(async () => {
      if (withLlm) model = await startGoodModel();
      server = await FakeWecomAibotServer.start({ ...bot, botName });
      api = await FakeWecomApi.start({ corpId: app.corpId, secret: app.secret, agentId: app.agentId });
      adapter = new WecomAdapter({
        bot: new WecomBotAdapter({ ...bot, wsUrl: server.url, botName }),
        app: new WecomAppAdapter({ ...app, apiBase: api.url }),
      });
      /** Sunday 2026-11-22 10:00 in Beijing; the transcript's shifts are on the Saturday and Sunday after. */
      h = await createHarness({
        adapters: [adapter],
        clock: new TestClock('2026-11-22T10:00+08:00'),
        env: model ? { LLM_BASE_URL: model.llm.url, LLM_MODEL: 'good-model' } : {},
      });
    });
    afterAll(async () => {
      await h?.close();
      await server?.close();
      await api?.close();
      await model?.llm.close();
    });

    test('plain-language.txt plays exactly', { timeout: 120_000 }, async () => {
      const people = new WecomPeople();
      const direct = wecomAppDriver({ h, app: adapter, api, secrets: app, people });
      const driver = wecomBotDriver({ h, bot: adapter.bot!, server, people, direct });
      await runTranscript(h.app.ctx, driver, loadTranscript('plain-language.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
      if (model) {
        expect(model.unknown).toEqual([]);
        expect(model.llm.requests).toHaveLength(plainLanguageUnderstoodTurns);
        expect(await h.app.ctx.prisma.llmCall.count({ where: { outcome: 'ok' } })).toBe(plainLanguageUnderstoodTurns);
        for (const r of model.llm.requests) expect(r.raw).not.toMatch(PHONE);
      }
    });
  });
}
