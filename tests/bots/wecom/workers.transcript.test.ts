// Issue 12's golden transcripts, unchanged, on WeCom: groups through the 智能机器人 (the real SDK
// against a local fake of WeCom's long-connection server), private chats through the app (signed,
// encrypted callbacks; replies through a local fake of WeCom's API). Each transcript gets its own
// fakes, adapter and harness (a fresh database: the transcripts each make community HT01).
import { describe, test } from 'vitest';
import { WecomAdapter } from '../../../src/bots/wecom/wecom-adapter.ts';
import { WecomAppAdapter } from '../../../src/bots/wecom/wecom-app-adapter.ts';
import { WecomBotAdapter } from '../../../src/bots/wecom/wecom-bot-adapter.ts';
import { FakeWecomAibotServer } from '../../helpers/fakes/wecom-aibot-server.ts';
import { FakeWecomApi } from '../../helpers/fakes/wecom-api-server.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { wecomAppDriver } from '../../helpers/wecom-app-driver.ts';
import { wecomBotDriver } from '../../helpers/wecom-bot-driver.ts';
import { WecomPeople } from '../../helpers/wecom-people.ts';
import { workerTranscripts } from '../../helpers/worker-transcripts.ts';

const botName = '邻里助手';
const bot = { botId: 'aib-workers-bot', secret: 'bot-secret' };
const app = { corpId: 'ww5823bf96d3bd56c7', agentId: 1000002, secret: 'app-secret', token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

describe('issue 12 golden transcripts, WeCom', () => {
  test.each(workerTranscripts.map((t) => [t.file, t.start] as const))('%s plays exactly', async (file, start) => {
    const server = await FakeWecomAibotServer.start({ ...bot, botName });
    const api = await FakeWecomApi.start({ corpId: app.corpId, secret: app.secret, agentId: app.agentId });
    let h: Harness | undefined;
    try {
      const adapter = new WecomAdapter({
        bot: new WecomBotAdapter({ ...bot, wsUrl: server.url, botName }),
        app: new WecomAppAdapter({ ...app, apiBase: api.url }),
      });
      h = await createHarness({ adapters: [adapter], clock: new TestClock(start) });
      const people = new WecomPeople();
      // The members' names come from the corp's address book (user/get), as on WeCom.
      api.memberName = (userid) => people.name(userid);
      const direct = wecomAppDriver({ h, app: adapter, api, secrets: app, people });
      const driver = wecomBotDriver({ h, bot: adapter.bot!, server, people, direct });
      const harness = h;
      await runTranscript(harness.app.ctx, driver, loadTranscript(file), { effects: harness.app.effects, advance: (to) => harness.advanceTo(to) });
    } finally {
      await h?.close();
      await server.close();
      await api.close();
    }
  });
});
