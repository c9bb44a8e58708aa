// The need-intake golden transcript, unchanged, on WeCom: its group lines through the 智能机器人
// (the real @wecom/aibot-node-sdk against a local fake of WeCom's long-connection server) and its
// private lines through the self-built app (signed, encrypted callbacks; replies through a local
// fake of WeCom's API). Then once more with the bot alone, private lines in the bot's own chat.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WecomAdapter } from '../../../src/bots/wecom/wecom-adapter.ts';
import { WecomAppAdapter } from '../../../src/bots/wecom/wecom-app-adapter.ts';
import { WecomBotAdapter } from '../../../src/bots/wecom/wecom-bot-adapter.ts';
import { FakeWecomAibotServer } from '../../helpers/fakes/wecom-aibot-server.ts';
import { FakeWecomApi } from '../../helpers/fakes/wecom-api-server.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { wecomAppDriver } from '../../helpers/wecom-app-driver.ts';
import { wecomBotDriver } from '../../helpers/wecom-bot-driver.ts';
import { WecomPeople } from '../../helpers/wecom-people.ts';

const botName = '邻里助手';
const bot = { botId: 'aib-test-bot', secret: 'bot-secret' };
const app = { corpId: 'ww5823bf96d3bd56c7', agentId: 1000002, secret: 'app-secret', token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

describe('need intake golden transcript, WeCom: groups through the 智能机器人, private chats through the app', () => {
  let h: Harness;
  let server: FakeWecomAibotServer;
  let api: FakeWecomApi;
  let adapter: WecomAdapter;

  beforeAll(async () => {
    server = await FakeWecomAibotServer.start({ ...bot, botName });
    api = await FakeWecomApi.start({ corpId: app.corpId, secret: app.secret, agentId: app.agentId });
    adapter = new WecomAdapter({
      bot: new WecomBotAdapter({ ...bot, wsUrl: server.url, botName }),
      app: new WecomAppAdapter({ ...app, apiBase: api.url }),
    });
    h = await createHarness({ adapters: [adapter] });
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
    await api?.close();
  });

  test('need-intake.txt plays exactly', async () => {
    const people = new WecomPeople();
    const direct = wecomAppDriver({ h, app: adapter, api, secrets: app, people });
    const driver = wecomBotDriver({ h, bot: adapter.bot!, server, people, direct });
    await runTranscript(h.app.ctx, driver, loadTranscript('need-intake.txt'));

    // Group chatter never reached the bot: WeCom pushes only messages that @ it.
    expect(server.dropped.map((d) => d.content)).toEqual(['楼道的灯又坏了', '+1', '今天天气不错']);
    // Private replies left through the app (message/send), none through the bot.
    expect(api.appMessages.map((m) => people.name(m.touser))).toEqual(['张阿姨', '刘大爷', '陌生人']);
    expect(server.sentMessages.every((f) => String(f.body.chatid).startsWith('wrkSFfCgAA'))).toBe(true);
  });
});

describe('need intake golden transcript, WeCom: the 智能机器人 alone', () => {
  let h: Harness;
  let server: FakeWecomAibotServer;
  let adapter: WecomAdapter;

  beforeAll(async () => {
    server = await FakeWecomAibotServer.start({ ...bot, botName });
    adapter = new WecomAdapter({ bot: new WecomBotAdapter({ ...bot, wsUrl: server.url, botName }) });
    h = await createHarness({ adapters: [adapter] });
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
  });

  test('need-intake.txt plays exactly', async () => {
    const people = new WecomPeople();
    const driver = wecomBotDriver({ h, bot: adapter.bot!, server, people });
    await runTranscript(h.app.ctx, driver, loadTranscript('need-intake.txt'));

    const privateChats = server.sentMessages.filter((f) => !String(f.body.chatid).startsWith('wrkSFfCgAA'));
    expect(privateChats.map((f) => people.name(String(f.body.chatid)))).toEqual(['张阿姨', '刘大爷', '陌生人']);
  });
});
