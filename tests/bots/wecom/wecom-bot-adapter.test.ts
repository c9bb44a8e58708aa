// WecomBotAdapter (the 智能机器人) with the real @wecom/aibot-node-sdk against a local fake of
// WeCom's long-connection server: messages in, replies out, redeliveries, card buttons, errors.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DeliveryError } from '../../../src/bots/delivery-error.ts';
import { decodeButtonKey, WecomBotAdapter } from '../../../src/bots/wecom/wecom-bot-adapter.ts';
import type { InboundEvent } from '../../../src/bots/types.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import { FakeWecomAibotServer } from '../../helpers/fakes/wecom-aibot-server.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';

const botName = '邻里助手';
const creds = { botId: 'aib-adapter-test', secret: 's3cret' };
const group = 'wrkSFfCgAAgroup1';

/** Pushes a frame and waits until the adapter has handed it to the router and the router returned. */
async function handled(adapter: WecomBotAdapter, msgid: string, push: () => Promise<unknown>): Promise<void> {
  const done = new Promise<void>((resolve) => {
    const off = adapter.onInbound((r) => {
      if (r.msgid !== msgid) return;
      off();
      resolve();
    });
  });
  await push();
  await done;
}

describe('WecomBotAdapter through the router', () => {
  let h: Harness;
  let server: FakeWecomAibotServer;
  let adapter: WecomBotAdapter;

  beforeAll(async () => {
    server = await FakeWecomAibotServer.start({ ...creds, botName });
    adapter = new WecomBotAdapter({ ...creds, wsUrl: server.url, botName });
    h = await createHarness({ adapters: [adapter] });
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'wecom', chat: `bot:${group}`, title: '3号楼群' });
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
  });

  test('a group message that @s the bot is answered in that group, the sender @-mentioned', async () => {
    const before = server.sentMessages.length;
    await handled(adapter, 'msg-need-1', () =>
      server.push({ chattype: 'group', chatid: group, userid: 'zhangsan', content: `@${botName} 需求 3号楼楼道灯坏了`, msgid: 'msg-need-1' }),
    );
    await h.drain();
    const sent = server.sentMessages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({
      chatid: group,
      msgtype: 'markdown',
      markdown: { content: '<@zhangsan> 已登记需求 #1（物业维修）。邻居们可以回复「+1 1」表示同求' },
    });
  });

  test('a redelivered msgid is processed once', async () => {
    let frame: Record<string, unknown> = {};
    await handled(adapter, 'msg-upvote-1', async () => {
      frame = (await server.push({ chattype: 'group', chatid: group, userid: 'lisi', content: `@${botName} +1 1`, msgid: 'msg-upvote-1' })).frame;
    });
    await h.drain();
    expect(server.sentMessages.at(-1)?.body.markdown).toEqual({ content: '<@lisi> 已为需求 #1 +1，现在 2 人同求' });
    const before = server.sentMessages.length;
    await handled(adapter, 'msg-upvote-1', () => server.redeliver(frame));
    await handled(adapter, 'msg-upvote-1', () => server.redeliver(frame));
    await h.drain();
    expect(server.sentMessages.length).toBe(before);
    const rows = await h.app.ctx.prisma.inboundMessage.count({ where: { platform: 'wecom', externalId: 'bot:msg-upvote-1' } });
    expect(rows).toBe(1);
  });

  test('a card button carries its payload to the router', async () => {
    await adapter.send(
      { platform: 'wecom', chatId: `bot:${group}`, kind: 'group' },
      { text: '想看看大家的需求吗？\n点下面的按钮', buttons: [{ label: '看需求清单', payload: '需求清单' }] },
    );
    const card = server.sentMessages.at(-1)?.body.template_card as {
      card_type: string;
      main_title: { title: string };
      sub_title_text: string;
      button_list: Array<{ text: string; key: string }>;
      task_id: string;
    };
    expect(card.card_type).toBe('button_interaction');
    expect(card.main_title.title).toBe('想看看大家的需求吗？');
    expect(card.sub_title_text).toBe('点下面的按钮');
    expect(card.button_list.map((b) => [b.text, decodeButtonKey(b.key)])).toEqual([['看需求清单', '需求清单']]);

    const before = server.sentMessages.length;
    await handled(adapter, 'evt-click-1', () =>
      server.clickButton({ chattype: 'group', chatid: group, userid: 'wangwu', eventKey: card.button_list[0]!.key, taskId: card.task_id, msgid: 'evt-click-1' }),
    );
    await h.drain();
    const reply = server.sentMessages.slice(before);
    expect(reply).toHaveLength(1);
    expect(reply[0]?.body.chatid).toBe(group);
    expect(String((reply[0]?.body.markdown as { content: string }).content)).toMatch(/^<@wangwu> 回天一社区 待解决需求（按同求人数）：\n#1【物业维修】3号楼楼道灯坏了 · 2人同求/);
  });

  test('a private message is answered in the private chat, with no mention', async () => {
    const before = server.sentMessages.length;
    await handled(adapter, 'msg-dm-1', () => server.push({ chattype: 'single', userid: 'zhangsan', content: '需求清单', msgid: 'msg-dm-1' }));
    await h.drain();
    const sent = server.sentMessages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body.chatid).toBe('zhangsan');
    expect(String((sent[0]?.body.markdown as { content: string }).content)).toMatch(/^回天一社区 待解决需求/);
  });

  test('WeCom never pushes a group message that does not @ the bot', async () => {
    const before = server.sentMessages.length;
    const r = await server.push({ chattype: 'group', chatid: group, userid: 'zhaoliu', content: '需求清单' });
    expect(r.delivered).toBe(false);
    await h.drain();
    expect(server.sentMessages.length).toBe(before);
  });
});

describe('WecomBotAdapter sending and connection', () => {
  let server: FakeWecomAibotServer;
  let adapter: WecomBotAdapter;
  const events: InboundEvent[] = [];
  const to = { platform: 'wecom' as const, chatId: `bot:${group}`, kind: 'group' as const };

  beforeAll(async () => {
    server = await FakeWecomAibotServer.start({ ...creds, botName });
    adapter = new WecomBotAdapter({ ...creds, wsUrl: server.url, botName, reconnectIntervalMs: 50 });
    await adapter.start(async (e) => {
      events.push(e);
    });
  });
  afterAll(async () => {
    await adapter?.stop();
    await server?.close();
  });

  test('an inbound group message is normalised: ids prefixed, the @ of the bot stripped, mentionsBot set', async () => {
    await handled(adapter, 'msg-norm', () =>
      server.push({ chattype: 'group', chatid: group, userid: 'zhangsan', content: `@${botName} 帮助`, msgid: 'msg-norm' }),
    );
    expect(events.at(-1)).toMatchObject({
      platform: 'wecom',
      messageId: 'bot:msg-norm',
      chat: { platform: 'wecom', chatId: `bot:${group}`, kind: 'group' },
      sender: { userId: 'zhangsan' },
      text: '帮助',
      mentionsBot: true,
    });
  });

  test("people's text cannot @ anyone through WeCom's <@userid> markup", async () => {
    await adapter.send(to, { text: '需求 <@all> 快来看', mention: { userId: 'zhangsan', displayName: '' } });
    expect(server.sentMessages.at(-1)?.body.markdown).toEqual({ content: '<@zhangsan> 需求 ＜@all> 快来看' });
  });

  test('a WeCom frequency error is rate-limited, with a wait', async () => {
    server.failNext('aibot_send_msg', 45009);
    const err = await adapter.send(to, { text: '你好' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
  });

  test('a lost connection makes sends transient; the SDK reconnects and sending works again', async () => {
    const logins = server.logins;
    server.dropConnection();
    const err = await adapter.send(to, { text: '断线了吗' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DeliveryError', kind: 'transient' });
    await expect.poll(() => server.logins, { timeout: 5000 }).toBe(logins + 1);
    await expect.poll(() => adapter.connected, { timeout: 5000 }).toBe(true);
    await adapter.send(to, { text: '又连上了' });
    expect(server.sentMessages.at(-1)?.body.markdown).toEqual({ content: '又连上了' });
  });

  test('a wrong bot secret stops start-up with what to check', async () => {
    const wrong = new WecomBotAdapter({ ...creds, secret: 'wrong', wsUrl: server.url, botName });
    await expect(wrong.start(async () => undefined)).rejects.toThrow(/WECOM_BOT_ID and WECOM_BOT_SECRET/);
    await wrong.stop();
  });
});
