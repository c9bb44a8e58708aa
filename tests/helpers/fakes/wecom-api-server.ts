// A local stand-in for WeCom's HTTP API (qyapi.weixin.qq.com), for the self-built app:
//   GET  /cgi-bin/gettoken?corpid&corpsecret         → { errcode: 0, access_token, expires_in }
//   GET  /cgi-bin/user/get?access_token&userid       → { errcode: 0, name } from `members`;
//                                                       60111 for a member it does not know
//   POST /cgi-bin/message/send?access_token=…        → recorded; 42001 for an expired token,
//                                                       40014 for an unknown one
//   POST /cgi-bin/webhook/send?key=…                 → recorded; 45009 beyond `max` per `perMs`
//                                                       (20 a minute by default), 93000 for an
//                                                       unknown key
// plus builders of callback requests signed and encrypted exactly as WeCom makes them
// (@wecom/crypto `encrypt` + `getSignature`, the envelope XML of the official samples).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { encrypt, getSignature } from '@wecom/crypto';
import type { WecomCallbackRequest } from '../../../src/bots/wecom/wecom-app-adapter.ts';

export interface FakeWecomApiOptions {
  corpId: string;
  secret: string;
  agentId: number;
  /** Robot webhook keys the fake knows. */
  webhookKeys?: string[];
  /** Each robot's limit; default WeCom's 20 per minute. */
  webhookLimit?: { max: number; perMs: number };
  /** Seconds a token lives; default 7200. */
  tokenTtlSeconds?: number;
}

export interface RecordedAppMessage {
  touser: string;
  msgtype: string;
  agentid: number;
  content: string;
  token: string;
  seq: number;
  at: number;
}

export interface RecordedWebhookMessage {
  key: string;
  msgtype: string;
  content: string;
  mentioned: string[];
  seq: number;
  at: number;
}

export class FakeWecomApi {
  readonly appMessages: RecordedAppMessage[] = [];
  readonly webhookMessages: RecordedWebhookMessage[] = [];
  /** Every answer WeCom gave that was not errcode 0, in order (`path errcode`). */
  readonly refusals: string[] = [];
  tokensIssued = 0;
  /** The address book's names (user/get), e.g. a transcript's people; unset, every member is unknown. */
  members?: (userid: string) => string | undefined;
  private seq = 0;
  private readonly tokens = new Map<string, number>();
  private readonly webhookWindow = new Map<string, number[]>();
  private failNextSend?: { errcode: number; errmsg: string };

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: FakeWecomApiOptions,
  ) {}

  static async start(opts: FakeWecomApiOptions): Promise<FakeWecomApi> {
    let api: FakeWecomApi | undefined;
    const server = createServer((req, res) => {
      void api?.handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    if (typeof addr !== 'object' || addr === null) throw new Error('no address');
    api = new FakeWecomApi(server, `http://127.0.0.1:${addr.port}`, opts);
    return api;
  }

  /** Every token issued so far expires now (the next send with one gets 42001). */
  expireTokens(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, 0);
  }

  /** The next message/send is refused with this code (e.g. 45009), whatever its token. */
  refuseNextSend(errcode: number, errmsg = 'refused'): void {
    this.failNextSend = { errcode, errmsg };
  }

  /** Uses up a robot's window, as another sender using the same robot would. */
  useUpWebhook(key: string): void {
    const now = Date.now();
    this.webhookWindow.set(key, Array.from({ length: this.limit.max }, () => now));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private get limit(): { max: number; perMs: number } {
    return this.opts.webhookLimit ?? { max: 20, perMs: 60_000 };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const reply = (json: Record<string, unknown>) => {
      const errcode = typeof json.errcode === 'number' ? json.errcode : 0;
      if (errcode !== 0) this.refusals.push(`${url.pathname} ${errcode}`);
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(json));
    };

    if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== this.opts.corpId) return reply({ errcode: 40013, errmsg: 'invalid corpid' });
      if (url.searchParams.get('corpsecret') !== this.opts.secret) return reply({ errcode: 40001, errmsg: 'invalid credential' });
      const token = `tok-${++this.tokensIssued}-${randomBytes(4).toString('hex')}`;
      const ttl = this.opts.tokenTtlSeconds ?? 7200;
      this.tokens.set(token, Date.now() + ttl * 1000);
      return reply({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: ttl });
    }

    if (req.method === 'GET' && url.pathname === '/cgi-bin/user/get') {
      const token = url.searchParams.get('access_token') ?? '';
      const expiry = this.tokens.get(token);
      // Looked up, not sent: answered without being counted among the refusals.
      const answer = (json: Record<string, unknown>) => {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(json));
      };
      if (expiry === undefined || Date.now() >= expiry) return answer({ errcode: 42001, errmsg: 'access_token expired' });
      const name = this.members?.(url.searchParams.get('userid') ?? '');
      return answer(name ? { errcode: 0, errmsg: 'ok', userid: url.searchParams.get('userid'), name } : { errcode: 60111, errmsg: 'userid not found' });
    }

    if (req.method !== 'POST') {
      res.statusCode = 404;
      res.end();
      return;
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;

    if (url.pathname === '/cgi-bin/message/send') {
      const token = url.searchParams.get('access_token') ?? '';
      const expiry = this.tokens.get(token);
      if (expiry === undefined) return reply({ errcode: 40014, errmsg: 'invalid access_token' });
      if (Date.now() >= expiry) return reply({ errcode: 42001, errmsg: 'access_token expired' });
      if (this.failNextSend) {
        const f = this.failNextSend;
        this.failNextSend = undefined;
        return reply({ errcode: f.errcode, errmsg: f.errmsg });
      }
      if (body.agentid !== this.opts.agentId) return reply({ errcode: 40056, errmsg: 'invalid agentid' });
      const text = body.text as { content?: unknown } | undefined;
      this.appMessages.push({
        touser: String(body.touser),
        msgtype: String(body.msgtype),
        agentid: Number(body.agentid),
        content: typeof text?.content === 'string' ? text.content : '',
        token,
        seq: ++this.seq,
        at: Date.now(),
      });
      return reply({ errcode: 0, errmsg: 'ok', invaliduser: '', msgid: `msg-${this.seq}` });
    }

    if (url.pathname === '/cgi-bin/webhook/send') {
      const key = url.searchParams.get('key') ?? '';
      if (!(this.opts.webhookKeys ?? []).includes(key)) return reply({ errcode: 93000, errmsg: 'invalid webhook url' });
      const now = Date.now();
      const window = (this.webhookWindow.get(key) ?? []).filter((t) => now - t < this.limit.perMs);
      if (window.length >= this.limit.max) {
        this.webhookWindow.set(key, window);
        return reply({ errcode: 45009, errmsg: 'api freq out of limit' });
      }
      window.push(now);
      this.webhookWindow.set(key, window);
      const msgtype = String(body.msgtype);
      const part = (body[msgtype] ?? {}) as { content?: unknown; mentioned_list?: unknown };
      this.webhookMessages.push({
        key,
        msgtype,
        content: typeof part.content === 'string' ? part.content : '',
        mentioned: Array.isArray(part.mentioned_list) ? part.mentioned_list.map(String) : [],
        seq: ++this.seq,
        at: now,
      });
      return reply({ errcode: 0, errmsg: 'ok' });
    }

    res.statusCode = 404;
    res.end();
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Callbacks, as WeCom sends them.

export interface CallbackSecrets {
  token: string;
  aesKey: string;
  corpId: string;
}

/** `<![CDATA[…]]>`, safe for any text (a `]]>` inside is split across two sections). */
function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** The plaintext XML of a member's text message to the app. */
export function textMessageXml(m: { corpId: string; fromUser: string; content: string; msgId: string; agentId: number; createTime?: number }): string {
  return (
    `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.fromUser)}</FromUserName>` +
    `<CreateTime>${m.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(m.content)}</Content><MsgId>${m.msgId}</MsgId><AgentID>${m.agentId}</AgentID></xml>`
  );
}

/** A POST to the callback URL carrying `plainXml`, encrypted and signed with these secrets. */
export function signedCallback(
  secrets: CallbackSecrets,
  plainXml: string,
  opts: { agentId?: number; timestamp?: string; nonce?: string } = {},
): WecomCallbackRequest {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const encrypted = encrypt(secrets.aesKey, plainXml, secrets.corpId);
  const body =
    `<xml><ToUserName>${cdata(secrets.corpId)}</ToUserName>` +
    (opts.agentId === undefined ? '' : `<AgentID>${cdata(String(opts.agentId))}</AgentID>`) +
    `<Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
  return { method: 'POST', query: { msg_signature: getSignature(secrets.token, timestamp, nonce, encrypted), timestamp, nonce }, body };
}

/** The GET WeCom makes when the callback URL is saved: an encrypted echostr to give back in clear. */
export function verificationRequest(secrets: CallbackSecrets, echo: string, opts: { timestamp?: string; nonce?: string } = {}): WecomCallbackRequest {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const echostr = encrypt(secrets.aesKey, echo, secrets.corpId);
  return { method: 'GET', query: { msg_signature: getSignature(secrets.token, timestamp, nonce, echostr), timestamp, nonce, echostr }, body: '' };
}
