// WecomAppAdapter (the self-built app): the official callback scheme, checked against the
// WXBizMsgCrypt sample vector, then end to end through the router with a local fake of WeCom's
// API (access tokens, message/send, group-robot webhooks and their 20-a-minute limit).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DeliveryError } from '../../../src/bots/delivery-error.ts';
import type { InboundEvent } from '../../../src/bots/types.ts';
import { WecomAdapter } from '../../../src/bots/wecom/wecom-adapter.ts';
import { splitByBytes, WecomAppAdapter, type WecomCallbackRequest } from '../../../src/bots/wecom/wecom-app-adapter.ts';
import { FakeWecomApi, signedCallback, textMessageXml, verificationRequest } from '../../helpers/fakes/wecom-api-server.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';

// The official sample (WXBizMsgCrypt Sample.*): token, EncodingAESKey, corp id, and the requests.
const sample = { token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'wx5823bf96d3bd56c7' };
const sampleVerify: WecomCallbackRequest = {
  method: 'GET',
  query: {
    msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  },
  body: '',
};
const sampleEncrypt =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
const samplePost: WecomCallbackRequest = {
  method: 'POST',
  query: { msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' },
  body: `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${sampleEncrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`,
};

function sampleAdapter(corpId = sample.corpId): { adapter: WecomAppAdapter; events: InboundEvent[] } {
  const events: InboundEvent[] = [];
  const adapter = new WecomAppAdapter({ ...sample, corpId, agentId: 218, secret: 'unused', apiBase: 'http://127.0.0.1:9' });
  void adapter.start(async (e) => {
    events.push(e);
  });
  return { adapter, events };
}

/** The same request with one character of the signature changed. */
function tampered(req: WecomCallbackRequest): WecomCallbackRequest {
  const sig = req.query.msg_signature ?? '';
  return { ...req, query: { ...req.query, msg_signature: (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1) } };
}

describe('the official WXBizMsgCrypt sample vector', () => {
  test('URL verification: the echostr decrypts to 1616140317555161061', async () => {
    const { adapter } = sampleAdapter();
    expect(await adapter.handleCallback(sampleVerify)).toEqual({ status: 200, body: '1616140317555161061' });
  });

  test('the sample message decrypts to a text message from mycreate', async () => {
    const { adapter, events } = sampleAdapter();
    expect(await adapter.handleCallback(samplePost)).toEqual({ status: 200, body: 'success' });
    expect(events).toEqual([
      {
        platform: 'wecom',
        messageId: 'app:4561255354251345929',
        chat: { platform: 'wecom', chatId: 'mycreate', kind: 'direct' },
        sender: { userId: 'mycreate', displayName: 'mycreate' },
        text: 'hello',
        receivedAt: new Date(1409659813 * 1000),
      },
    ]);
  });

  test('a wrong signature is refused with 401, on GET and POST, and nothing is handled', async () => {
    const { adapter, events } = sampleAdapter();
    expect((await adapter.handleCallback(tampered(sampleVerify))).status).toBe(401);
    expect((await adapter.handleCallback(tampered(samplePost))).status).toBe(401);
    // A changed ciphertext under the original signature is as wrong.
    const body = samplePost.body.replace('RypEvHKD8QQ', 'RypEvHKD8QR');
    expect((await adapter.handleCallback({ ...samplePost, body })).status).toBe(401);
    expect(events).toEqual([]);
  });

  test('a message for another corp (receive id) is refused with 401', async () => {
    const { adapter, events } = sampleAdapter('ww0000000000000000');
    expect((await adapter.handleCallback(samplePost)).status).toBe(401);
    expect((await adapter.handleCallback(sampleVerify)).status).toBe(401);
    expect(events).toEqual([]);
  });

  test('malformed requests are 400', async () => {
    const { adapter } = sampleAdapter();
    expect((await adapter.handleCallback({ ...samplePost, query: {} })).status).toBe(400);
    expect((await adapter.handleCallback({ ...samplePost, body: '<xml><ToUserName>x</ToUserName></xml>' })).status).toBe(400);
    expect((await adapter.handleCallback({ ...samplePost, body: 'not xml at all <' })).status).toBe(400);
  });
});

const app = { corpId: 'ww1436e0e65a779aee', agentId: 1000002, secret: 'app-secret', token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', aesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt' };
const robots = new Map([
  ['楼栋群A', 'aaaaaaaa-1111-4bc4-97a0-0ec2sifa5aaa'],
  ['楼栋群B', 'bbbbbbbb-2222-4bc4-97a0-0ec2sifa5bbb'],
]);
/** Robots are held to 20 a minute; here the minute is scaled down to 1.5 s so the test can wait one out. */
// Long enough that a loaded machine's event-loop stalls (tens of ms) stay inside the margin.
const window = { max: 20, perMs: 6000 };

describe('the self-built app through the router', () => {
  let h: Harness;
  let api: FakeWecomApi;
  let adapter: WecomAdapter;
  let msgSeq = 0n;
  const dm = (fromUser: string, content: string) =>
    signedCallback(app, textMessageXml({ corpId: app.corpId, fromUser, content, msgId: String(5_000_000_000_000_000_000n + ++msgSeq), agentId: app.agentId }), {
      agentId: app.agentId,
    });

  beforeAll(async () => {
    api = await FakeWecomApi.start({ corpId: app.corpId, secret: app.secret, agentId: app.agentId, webhookKeys: [...robots.values()], webhookLimit: window });
    adapter = new WecomAdapter({ app: new WecomAppAdapter({ ...app, apiBase: api.url, webhooks: robots, webhookLimit: window }) });
    h = await createHarness({ adapters: [adapter] });
  });
  afterAll(async () => {
    await h?.close();
    await api?.close();
  });

  test('with the app alone, WeCom sends from anywhere', () => {
    expect(adapter.sendsFrom).toBe('anywhere');
    expect([...adapter.capabilities]).toEqual(['direct']);
  });

  test('URL verification answers the echostr in clear', async () => {
    expect(await adapter.handleCallback(verificationRequest(app, '8273461527361'))).toEqual({ status: 200, body: '8273461527361' });
  });

  test('a tampered signature gets 401 and records nothing', async () => {
    const res = await adapter.handleCallback(tampered(dm('zhaoliu', '需求清单')));
    expect(res.status).toBe(401);
    await h.drain();
    expect(await h.app.ctx.prisma.inboundMessage.count()).toBe(0);
    expect(await h.app.ctx.prisma.identity.count({ where: { platform: 'wecom' } })).toBe(0);
    expect(api.appMessages).toEqual([]);
  });

  test('the same callback delivered three times is processed once', async () => {
    const req = dm('zhaoliu', '需求清单');
    for (let i = 0; i < 3; i++) expect(await adapter.handleCallback(req)).toEqual({ status: 200, body: 'success' });
    await h.drain();
    expect(await h.app.ctx.prisma.inboundMessage.count()).toBe(1);
    expect(api.appMessages.map((m) => [m.touser, m.content])).toEqual([
      ['zhaoliu', '还不知道你住在哪个社区。请先在你所在的小区群里发一次「需求清单」或「需求 内容」，之后就能在这里私聊使用了'],
    ]);
    expect(api.appMessages[0]).toMatchObject({ msgtype: 'text', agentid: app.agentId });
  });

  test('an expired access token is refreshed and the message sent once', async () => {
    expect(api.tokensIssued).toBe(1);
    api.expireTokens();
    await adapter.handleCallback(dm('sunshu', '帮助'));
    await h.drain();
    expect(api.tokensIssued).toBe(2);
    // The first call with the expired token is the lookup of the new member's name, or the send.
    expect(api.refusals.filter((r) => r.endsWith(' 42001'))).toHaveLength(1);
    expect(api.appMessages.filter((m) => m.touser === 'sunshu')).toHaveLength(1);
  });

  test("a member's name comes from the corp's address book; one it does not know keeps the userid", async () => {
    api.memberName = (userid) => (userid === 'liqiang' ? '李强' : undefined);
    await adapter.handleCallback(dm('liqiang', '帮助'));
    await adapter.handleCallback(dm('liqiang', '帮助'));
    await adapter.handleCallback(dm('wuming', '帮助'));
    await h.drain();
    const people = await h.app.ctx.prisma.identity.findMany({ where: { platform: 'wecom', externalId: { in: ['liqiang', 'wuming'] } }, select: { externalId: true, person: { select: { displayName: true } } }, orderBy: { externalId: 'asc' } });
    expect(people.map((p) => [p.externalId, p.person.displayName])).toEqual([
      ['liqiang', '李强'],
      ['wuming', 'wuming'],
    ]);
    expect(api.refusals.filter((r) => r === '/cgi-bin/user/get 60111')).toContain('/cgi-bin/user/get 60111');
    api.memberName = () => undefined;
  });

  test("a robot's 20-a-minute limit is respected: the rest wait for the window", async () => {
    const to = { platform: 'wecom' as const, chatId: 'hook:楼栋群A', kind: 'group' as const };
    const started = Date.now();
    await h.app.outbox.send(Array.from({ length: 25 }, (_, i) => ({ key: `bcast-a-${i}`, to, message: { text: `公告 ${i + 1}` } })));
    await h.drain(15_000);
    const sent = api.webhookMessages.filter((m) => m.key === robots.get('楼栋群A'));
    expect(sent.map((m) => m.content).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `公告 ${i + 1}`).sort());
    for (const m of sent) expect(sent.filter((o) => o.at >= m.at && o.at - m.at < window.perMs).length).toBeLessThanOrEqual(window.max);
    expect(Date.now() - started).toBeGreaterThanOrEqual(window.perMs * 0.9);
    expect(api.refusals.filter((r) => r.includes('webhook'))).toEqual([]);
  });

  test('a 45009 from WeCom (the robot used up elsewhere) is waited out, then sent once', async () => {
    api.useUpWebhook(robots.get('楼栋群B')!);
    const to = { platform: 'wecom' as const, chatId: 'hook:楼栋群B', kind: 'group' as const };
    await h.app.outbox.send([{ key: 'bcast-b-1', to, message: { text: '停水通知', mention: { userId: 'wangshuji', displayName: '王书记' } } }]);
    await h.drain(15_000);
    expect(api.refusals).toContain('/cgi-bin/webhook/send 45009');
    const sent = api.webhookMessages.filter((m) => m.key === robots.get('楼栋群B'));
    expect(sent.map((m) => [m.msgtype, m.content, m.mentioned])).toEqual([['text', '停水通知', ['wangshuji']]]);
  });

  test('a WeCom frequency error on an app message is rate-limited; an unknown robot is blocked', async () => {
    api.refuseNextSend(45009, 'api freq out of limit');
    const err = await adapter.send({ platform: 'wecom', chatId: 'zhaoliu', kind: 'direct' }, { text: '你好' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
    await expect(adapter.send({ platform: 'wecom', chatId: 'hook:nobody', kind: 'group' }, { text: 'x' })).rejects.toMatchObject({ kind: 'blocked' });
    await expect(adapter.send({ platform: 'wecom', chatId: 'bot:wrkSFf', kind: 'group' }, { text: 'x' })).rejects.toMatchObject({ kind: 'blocked' });
  });
});

describe("the app's own /wecom/callback route (a web process of LinliApp)", () => {
  let h: Harness;
  beforeAll(async () => {
    const app = new WecomAppAdapter({ ...sample, agentId: 218, secret: 'unused', apiBase: 'http://127.0.0.1:9' });
    h = await createHarness({ adapters: [new WecomAdapter({ app })], roles: ['web', 'bots'] });
  });
  afterAll(async () => h?.close());

  test('GET verification, an XML POST recorded once, a tampered one refused', async () => {
    const url = (q: Record<string, string | undefined>) => `${h.app.url}/wecom/callback?${new URLSearchParams(q as Record<string, string>)}`;
    const get = await fetch(url(sampleVerify.query));
    expect([get.status, await get.text()]).toEqual([200, '1616140317555161061']);
    const post = (req: WecomCallbackRequest) => fetch(url(req.query), { method: 'POST', headers: { 'content-type': 'text/xml' }, body: req.body });
    const bad = await post(tampered(samplePost));
    expect(bad.status).toBe(401);
    expect(await h.app.ctx.prisma.inboundMessage.count()).toBe(0);
    for (let i = 0; i < 3; i++) {
      const ok = await post(samplePost);
      expect([ok.status, await ok.text()]).toEqual([200, 'success']);
    }
    expect(await h.app.ctx.prisma.inboundMessage.findMany({ select: { platform: true, userId: true } })).toEqual([{ platform: 'wecom', userId: 'mycreate' }]);
  });
});

test('long texts are cut for WeCom at line ends, within 2048 bytes', () => {
  const line = '需求'.repeat(100); // 600 bytes
  const text = Array.from({ length: 8 }, () => line).join('\n');
  const parts = splitByBytes(text, 2048);
  expect(parts.every((p) => Buffer.byteLength(p) <= 2048)).toBe(true);
  expect(parts.join('\n')).toBe(text);
  expect(splitByBytes('短', 2048)).toEqual(['短']);
  expect(splitByBytes('字'.repeat(1000), 2048).map((p) => p.length)).toEqual([682, 318]);
});
