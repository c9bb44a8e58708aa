import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { outboundJobId } from '../../../jobs/outbound.ts';
import { DeliveryError } from '../../../src/bots/delivery-error.ts';
import { wechatConfigFromEnv } from '../../../src/bots/wechat/config.ts';
import {
  classifySendError,
  parseQuote,
  stripMentions,
  WechatAdapter,
  type InboundOutcome,
  type WechatJoinEvent,
} from '../../../src/bots/wechat/wechat-adapter.ts';
import type { LinliApp } from '../../../src/app.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import { helpText } from '../../../src/flows/commands/registry.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { createWechatMock, waitFor, wechatDriver, type WechatDriver } from '../../helpers/wechat-driver.ts';

/**
 * The welcome on a join, wired the way the app is meant to wire `WechatAdapter.onJoin` (see the
 * adapter's onJoin): a bound group greets its new members with the resident help; an unbound one
 * stays quiet. Keyed by the join's id, so a redelivered join is welcomed once.
 */
function welcomeOnJoin(app: LinliApp) {
  return async (j: WechatJoinEvent) => {
    const group = await app.router.groups.find(j.platform, j.chat.chatId);
    if (!group?.community) return;
    const text = helpText('zh-Hans', { bot: app.opts.config.botName, inGroup: true, worker: false });
    await app.outbox.send(j.members.map((m) => ({ key: `${j.eventId}:${m.userId}`, to: j.chat, message: { text, mention: m } })));
  };
}

describe('WechatAdapter over wechaty-puppet-mock', () => {
  const m = createWechatMock();
  const printed: string[] = [];
  const adapter = new WechatAdapter(m.bot, {
    print: (line) => printed.push(line),
    reconnect: { initialMs: 50, maxMs: 200 },
    offlineRetryMs: 200,
  });
  const outcomes = new Map<string, InboundOutcome[]>();
  adapter.events.on('settled', ({ messageId, outcome }) => outcomes.set(messageId, [...(outcomes.get(messageId) ?? []), outcome]));
  let h: Harness;
  let d: WechatDriver;

  beforeAll(async () => {
    h = await createHarness({ adapters: [adapter] });
    d = wechatDriver(h, m, adapter);
    await createCommunity(h.app.ctx, { code: 'WX01', name: '微信一社区' });
    await bindGroup(h.app.ctx, { community: 'WX01', platform: 'wechat', chat: d.groupChatId('r1'), title: 'r1' });
  });
  afterAll(async () => h?.close());

  test('shows the login QR code until the account logs in', async () => {
    expect(adapter.status).toBe('starting');
    await adapter.puppetStarted();
    m.mocker.scan('linli-login-qr');
    await waitFor(() => adapter.status === 'scan', 'the scan status');
    expect(adapter.qr).toMatchObject({ qrcode: 'linli-login-qr', url: 'https://wechaty.js.org/qrcode/linli-login-qr', status: 'waiting' });
    expect(printed.join('\n')).toContain('https://wechaty.js.org/qrcode/linli-login-qr');

    m.mocker.login(m.botUser);
    await waitFor(() => adapter.status === 'online', 'the login');
    expect(adapter.qr).toBeUndefined();
    expect(adapter.user).toEqual({ id: m.botUser.id, name: '邻里助手' });
  });

  test('an @mention in a room reaches the need flow; the reply @-mentions the sender', async () => {
    await d.deliver('张阿姨', 'r1', '@邻里助手 3号楼楼道的灯坏了好几天了');
    const sent = await d.collectMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ conv: 'r1', text: '@张阿姨 已登记需求 #1（物业维修）。邻居们可以回复「+1 1」表示同求' });
    expect(sent[0]?.mentionIdList).toEqual([d.userId('张阿姨')]);
    const need = await h.app.ctx.prisma.need.findFirstOrThrow({ where: { number: 1 } });
    expect(need.text).toBe('3号楼楼道的灯坏了好几天了');
  });

  test("the bot's own messages are ignored", async () => {
    let id: string | undefined;
    const grab = (msg: { id: string }) => (id ??= msg.id);
    const emitter = m.botUser as unknown as { on(e: 'message', f: typeof grab): void; off(e: 'message', f: typeof grab): void };
    emitter.on('message', grab);
    m.botUser.say('需求 机器人自己说的话').to(d.room('r1'));
    emitter.off('message', grab);
    await waitFor(() => id !== undefined && (outcomes.get(id)?.length ?? 0) > 0, 'the self message to settle');
    expect(outcomes.get(id ?? '')).toEqual(['ignored']);
    // what the account said shows in the room; nothing answers it
    expect((await d.collectMessages()).map((s) => s.id)).toEqual([id]);
    expect(await h.app.ctx.prisma.need.count()).toBe(1);
  });

  test('the same message delivered twice is processed once', async () => {
    const id = await d.deliver('小李', 'r1', '+1 1');
    expect((await d.collectMessages()).map((s) => s.text)).toEqual(['@小李 已为需求 #1 +1，现在 2 人同求']);
    await d.redeliver(id);
    expect(outcomes.get(id)).toEqual(['handled', 'handled']);
    expect(await d.collectMessages()).toEqual([]);
    expect((await h.app.ctx.prisma.need.findFirstOrThrow({ where: { number: 1 } })).supportCount).toBe(2);
  });

  test("a quoted reply to the bot's message addresses the bot; the same words unquoted are chatter", async () => {
    await d.deliver('王阿姨', 'r1', '小区东门的垃圾桶满了没人清理');
    expect(await d.collectMessages()).toEqual([]);
    await d.deliver('王阿姨', 'r1', '小区东门的垃圾桶满了没人清理', { replyToBot: true });
    const sent = await d.collectMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toMatch(/^@王阿姨 已登记需求 #2/);
  });

  test('a join in a bound room gets the welcome; an unbound room and the bot itself get none', async () => {
    const joins: WechatJoinEvent[] = [];
    const welcome = welcomeOnJoin(h.app);
    adapter.onJoin(async (j) => {
      await welcome(j);
      joins.push(j);
    });
    d.room('r9'); // not bound
    d.room('r9').add(d.contact('路人甲')).by(d.contact('张阿姨'));
    d.room('r1').add(m.botUser, d.contact('新邻居')).by(d.contact('张阿姨'));
    await waitFor(() => joins.length === 2, 'both joins');

    const inR1 = joins.find((j) => j.chat.chatId === d.groupChatId('r1'));
    expect(inR1?.members).toEqual([{ userId: d.userId('新邻居'), displayName: '新邻居' }]);
    expect(inR1?.inviter).toEqual({ userId: d.userId('张阿姨'), displayName: '张阿姨' });
    const sent = await d.collectMessages();
    expect(sent.map((s) => s.conv)).toEqual(['r1']);
    expect(sent[0]?.text).toBe(`@新邻居 ${helpText('zh-Hans', { bot: '邻里助手', inGroup: true, worker: false })}`);
    expect(sent[0]?.mentionIdList).toEqual([d.userId('新邻居')]);
  });

  test('a mention of someone the puppet cannot load falls back to the name as text', async () => {
    const to = { platform: 'wechat' as const, chatId: d.groupChatId('r1'), kind: 'group' as const };
    await h.app.outbox.send([{ key: 'test:unknown-mention', to, message: { text: '你好', mention: { userId: 'wxid_gone', displayName: '老住户' } } }]);
    const sent = await d.collectMessages();
    expect(sent.map((s) => [s.text, s.mentionIdList])).toEqual([['@老住户 你好', []]]);
  });

  test('a room the account is not in fails once, without retries (blocked)', async () => {
    const key = 'test:gone-room';
    await h.app.outbox.send([{ key, to: { platform: 'wechat', chatId: 'gone@chatroom', kind: 'group' }, message: { text: '还在吗' } }]);
    await h.drain();
    const job = await h.app.outbox.queue('wechat').getJob(outboundJobId(key));
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    expect(await d.collectMessages()).toEqual([]);
  });

  test('while logged out a message stays queued, the puppet is restarted, and the message goes after the login', async () => {
    const restarts = adapter.restarts;
    await m.puppet.logout('logged out on the phone');
    await waitFor(() => adapter.status === 'offline', 'the logout');

    const key = 'test:while-offline';
    const to = { platform: 'wechat' as const, chatId: d.groupChatId('r1'), kind: 'group' as const };
    await h.app.outbox.send([{ key, to, message: { text: '明天上午 9 点到 12 点停水' } }]);
    await waitFor(() => adapter.restarts > restarts, 'the puppet restart');
    await new Promise((r) => setTimeout(r, 300)); // a few refused attempts
    const job = await h.app.outbox.queue('wechat').getJob(outboundJobId(key));
    expect(['waiting', 'delayed', 'active']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0); // waiting for the login spends no attempts

    m.mocker.login(m.botUser);
    await waitFor(() => adapter.status === 'online', 'the login after the restart');
    const sent = await d.collectMessages();
    expect(sent.map((s) => [s.conv, s.text])).toEqual([['r1', '明天上午 9 点到 12 点停水']]);
    expect(await (await h.app.outbox.queue('wechat').getJob(outboundJobId(key)))?.getState()).toBe('completed');

    // and the account answers again
    await d.deliver('张阿姨', 'r1', '需求清单');
    expect((await d.collectMessages()).map((s) => s.text.split('\n')[0])).toEqual(['@张阿姨 微信一社区 待解决需求（按同求人数）：']);
  });
});

describe('WeChat pure parts', () => {
  test('configuration: off without WECHATY_PUPPET, the memory-card name defaults to linli', () => {
    expect(wechatConfigFromEnv({})).toBeNull();
    expect(wechatConfigFromEnv({ WECHATY_PUPPET: '  ' })).toBeNull();
    expect(wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_TOKEN: 'puppet_x_1' })).toEqual({
      puppet: 'wechaty-puppet-service',
      token: 'puppet_x_1',
      name: 'linli',
    });
    expect(wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_NAME: 'data/linli-wx' })?.name).toBe('data/linli-wx');
    expect(wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_ENDPOINT: '10.0.0.5:8788' })?.endpoint).toBe('10.0.0.5:8788');
    expect(() => wechatConfigFromEnv({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_NAME: '../x' })).toThrow(/^Linli: invalid WeChat configuration[\s\S]*WECHATY_NAME/);
  });

  test("only the bot's own mention is taken out of the text", () => {
    expect(stripMentions('@邻里助手\u2005楼道灯坏了 @王书记\u2005你看看', ['邻里助手'])).toBe('楼道灯坏了 @王书记\u2005你看看');
    expect(stripMentions('请问@小区管家 怎么报名', ['小区管家', '邻里助手'])).toBe('请问怎么报名');
    expect(stripMentions('@邻里助手', ['邻里助手'])).toBe('');
    expect(stripMentions('@邻里助手们好', ['邻里助手'])).toBe('@邻里助手们好');
  });

  test('a quoted reply: the quoted name and the new text', () => {
    expect(parseQuote('「邻里助手：已登记需求 #1」\n- - - - - - - - - - - - - - -\n+1 1')).toEqual({ name: '邻里助手', text: '+1 1' });
    expect(parseQuote('「张阿姨：多行\n内容」\n- - - - - - - - - - - - - - -\n好的')).toEqual({ name: '张阿姨', text: '好的' });
    expect(parseQuote('需求 「引号」')).toBeNull();
  });

  test('send errors: gone is blocked, too frequent waits, logged out waits for the login, the rest retries', () => {
    const kind = (err: unknown) => classifySendError(err).kind;
    expect(kind(new Error('no payload found for id x@chatroom'))).toBe('blocked');
    expect(kind(Object.assign(new Error('room not found'), { code: 5 }))).toBe('blocked');
    expect(kind(new Error('对方不是你的好友'))).toBe('blocked');
    expect(kind(new Error('操作过于频繁，请稍后再试'))).toBe('rate-limited');
    expect(classifySendError(Object.assign(new Error('quota'), { code: 8 })).retryAfterMs).toBe(60_000);
    expect(classifySendError(new Error('not logged in'), 1234)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 1234 });
    expect(kind(Object.assign(new Error('connection reset'), { code: 14 }))).toBe('transient');
    expect(kind(new Error('timeout'))).toBe('transient');
    const own = new DeliveryError('blocked', 'x');
    expect(classifySendError(own)).toBe(own);
  });
});
