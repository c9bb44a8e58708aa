import { LRUCache } from 'lru-cache';
import { timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';
import { DeliveryError } from '../delivery-error.ts';
import type { Capability, ChatAdapter, ConversationRef, InboundEvent, OutboundMessage, SendResult } from '../types.ts';
import { silentLogger, type Logger } from '../../lib/logger.ts';
import { appPrefix, hookPrefix } from './chat-ids.ts';

export { appPrefix, hookPrefix };

/** The HTTP request WeCom makes to the callback URL, as the web server hands it over. */
export interface WecomCallbackRequest {
  method: 'GET' | 'POST';
  /** The query string, decoded: msg_signature, timestamp, nonce (and echostr on GET). */
  query: Record<string, string | undefined>;
  /** The raw request body (XML) on POST; '' on GET. */
  body: string;
}

export interface WecomCallbackResponse {
  status: number;
  body: string;
}

export interface WecomAppAdapterOptions {
  corpId: string;
  agentId: number;
  /** The app's Secret (for access tokens). */
  secret: string;
  /** The callback Token. */
  token: string;
  /** The callback EncodingAESKey. */
  aesKey: string;
  /** Default https://qyapi.weixin.qq.com. */
  apiBase?: string;
  /** Group robots by name (`hook:<name>`) → webhook key. */
  webhooks?: ReadonlyMap<string, string>;
  log?: Logger;
  /** A callback answers WeCom by then at the latest (WeCom waits 5 s, then retries). Default 4 s. */
  callbackDeadlineMs?: number;
  /** Each robot's sending limit (WeCom: 20 per minute). */
  webhookLimit?: { max: number; perMs: number };
  /** How long a frequency-limited app message waits. Default one minute. */
  rateLimitWaitMs?: number;
  /** Per HTTP request to WeCom. Default 10 s. */
  requestTimeoutMs?: number;
}

/** WeCom cuts text messages (app and robot) at 2048 bytes: longer texts go as several. */
const maxTextBytes = 2048;
const maxCallbackBody = 256 * 1024;
const recentCapacity = 10_000;
/** The access token expired (42001) or is not valid (40014): fetch a new one and try once more. */
const tokenErrors: ReadonlySet<number> = new Set([40014, 42001]);
/** WeCom's frequency-limit error codes (接口调用超过限制, 并发调用超过限制, API 调用太频繁). */
const wecomRateLimitCodes: ReadonlySet<number> = new Set([45009, 45011, 45033]);
/** 81013: every recipient invalid or outside the app's visible range. */
const unreachableMember = 81013;
/** 93000: the robot webhook key is invalid (the robot was removed from its group). */
const webhookGone = 93000;

const ok: WecomCallbackResponse = { status: 200, body: 'success' };

interface WecomReply {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  invaliduser?: string;
  unlicenseduser?: string;
  msgid?: string;
}

/**
 * The WeCom self-built app (自建应用): private chats between members and the app, through the
 * official encrypted callback (`handleCallback`, mounted at /wecom/callback) and
 * `/cgi-bin/message/send`; plus broadcasts into internal groups through group-robot webhooks.
 *
 * Ids (shared with {@link WecomBotAdapter}): a member is their corp userid (the same person as on
 * the bot); a private chat is that userid, or `app:<userid>` to insist on the app; a robot-webhook
 * group is `hook:<name>` (send-only: a robot receives nothing, so bind such a group from the
 * console); a message id is `app:<MsgId>`.
 *
 * Callbacks: the signature is checked in constant time (401, nothing recorded, when it is wrong),
 * the receive id must be our corp id (401), a text message becomes an `InboundEvent`; a MsgId
 * already handled is answered at once and not handled again (WeCom retries up to 3 times). The
 * event is handled within the call, so that `success` means the router has recorded the message
 * and queued its replies; past `callbackDeadlineMs` the call answers anyway and the handling goes
 * on (a WeCom retry meanwhile is a duplicate the router ignores).
 *
 * Sending needs only credentials (`sendsFrom: 'anywhere'`). The access token is cached until
 * shortly before it expires and fetched again when WeCom says it expired (42001/40014), the send
 * then tried once more. Each robot is held to its 20 messages a minute in this process; a 45009
 * from WeCom (another sender used the robot) is `DeliveryError('rate-limited')` as well.
 */
export class WecomAppAdapter implements ChatAdapter {
  readonly platform = 'wecom' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['direct']);
  readonly sendsFrom = 'anywhere' as const;

  private onEvent?: (e: InboundEvent) => Promise<void>;
  private readonly recent = new Map<string, true>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly log: Logger;
  private readonly apiBase: string;
  private readonly webhooks: ReadonlyMap<string, string>;
  private readonly webhookSends = new Map<string, number[]>();
  private readonly xml = new XMLParser({ parseTagValue: false, processEntities: false, ignoreAttributes: true, ignoreDeclaration: true });
  private cachedToken?: { value: string; expiresAt: number };
  private tokenFetch?: Promise<string>;
  /** Members' names by userid ({ name: null }: WeCom would not say, or could not be asked). */
  private readonly names = new LRUCache<string, { name: string | null }>({ max: recentCapacity, ttl: 86_400_000 });

  constructor(private readonly opts: WecomAppAdapterOptions) {
    this.log = (opts.log ?? silentLogger).child({ adapter: 'wecom-app' });
    this.apiBase = (opts.apiBase ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '');
    this.webhooks = opts.webhooks ?? new Map();
  }

  /** The chat ids of the configured robot-webhook groups, for binding them to communities. */
  get webhookGroups(): string[] {
    return [...this.webhooks.keys()].map((name) => `${hookPrefix}${name}`);
  }

  /** Takes callbacks from now on (nothing to connect: WeCom calls us). */
  async start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    this.onEvent = onEvent;
  }

  /** Stops taking callbacks and waits for those being handled. */
  async stop(): Promise<void> {
    this.onEvent = undefined;
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * One request to the callback URL. GET: URL verification (answers the decrypted echostr).
   * POST: a message; answers `success` (200) once handled, 401 for a bad signature or corp id,
   * 400 for a malformed request, 503 before `start`, 500 when handling failed (WeCom retries).
   */
  async handleCallback(req: WecomCallbackRequest): Promise<WecomCallbackResponse> {
    const { msg_signature: signature, timestamp, nonce } = req.query;
    if (!signature || !timestamp || !nonce) return { status: 400, body: 'missing msg_signature, timestamp or nonce' };

    if (req.method === 'GET') {
      // A base64 '+' arrives as ' ' when the query was not percent-encoded.
      const echostr = req.query.echostr?.replace(/ /g, '+');
      if (!echostr) return { status: 400, body: 'missing echostr' };
      const opened = this.open(signature, timestamp, nonce, echostr);
      return 'status' in opened ? opened : { status: 200, body: opened.message };
    }

    if (req.body.length > maxCallbackBody) return { status: 413, body: 'too large' };
    const envelope = this.parseXml(req.body);
    const encrypted = typeof envelope?.Encrypt === 'string' ? envelope.Encrypt : '';
    if (!encrypted) return { status: 400, body: 'no Encrypt element' };
    const opened = this.open(signature, timestamp, nonce, encrypted);
    if ('status' in opened) return opened;

    const msg = this.parseXml(opened.message);
    if (!msg) {
      this.log.warn('WeCom callback: the decrypted message is not XML');
      return { status: 400, body: 'bad message' };
    }
    const str = (k: string) => (typeof msg[k] === 'string' ? (msg[k] as string).trim() : '');
    if (str('AgentID') && str('AgentID') !== String(this.opts.agentId)) {
      this.log.warn({ agentId: str('AgentID') }, 'WeCom callback for another app ignored');
      return ok;
    }
    const msgId = str('MsgId');
    const userid = str('FromUserName');
    // Events (enter_agent, subscribe…) and media carry nothing for the router.
    if (str('MsgType') !== 'text' || !msgId || !userid) return ok;
    const createTime = Number(str('CreateTime'));
    return this.accept(msgId, {
      platform: 'wecom',
      messageId: `${appPrefix}${msgId}`,
      chat: { platform: 'wecom', chatId: userid, kind: 'direct' },
      sender: { userId: userid, displayName: userid },
      text: typeof msg.Content === 'string' ? msg.Content : '',
      receivedAt: Number.isFinite(createTime) && createTime > 0 ? new Date(createTime * 1000) : undefined,
    });
  }

  /**
   * Sends one message: to a member in private (`<userid>` or `app:<userid>`) as app text messages,
   * to a `hook:<name>` group through its robot. Buttons are dropped (the text says `回复 1 / 2`).
   */
  async send(to: ConversationRef, msg: OutboundMessage): Promise<SendResult> {
    if (to.kind === 'group') {
      if (!to.chatId.startsWith(hookPrefix)) {
        throw new DeliveryError('blocked', `a WeCom app cannot post into group ${to.chatId}: only robot-webhook groups (hook:<name>)`);
      }
      return this.sendWebhook(to.chatId.slice(hookPrefix.length), msg);
    }
    const userid = to.chatId.startsWith(appPrefix) ? to.chatId.slice(appPrefix.length) : to.chatId;
    if (!userid || userid.includes(':')) throw new DeliveryError('blocked', `not a WeCom member: ${to.chatId}`);
    return this.sendAppText(userid, msg.text);
  }

  // ------------------------------------------------------------------------------------------
  // Callbacks

  /** Verifies the signature (constant time) and decrypts; the receive id must be our corp id. */
  private open(signature: string, timestamp: string, nonce: string, encrypted: string): { message: string } | WecomCallbackResponse {
    const expected = getSignature(this.opts.token, timestamp, nonce, encrypted);
    if (!sameText(expected, signature)) {
      this.log.warn('WeCom callback with a wrong signature refused');
      return { status: 401, body: 'bad signature' };
    }
    let plain: { message: string; id: string };
    try {
      plain = decrypt(this.opts.aesKey, encrypted);
    } catch {
      this.log.error('WeCom callback could not be decrypted: check WECOM_AES_KEY');
      return { status: 400, body: 'cannot decrypt' };
    }
    if (!sameText(plain.id, this.opts.corpId)) {
      this.log.warn('WeCom callback for another corp refused');
      return { status: 401, body: 'wrong receive id' };
    }
    return { message: plain.message };
  }

  private parseXml(text: string): Record<string, unknown> | null {
    try {
      const doc: unknown = this.xml.parse(text);
      const root = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).xml : undefined;
      return typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  private async accept(msgId: string, event: InboundEvent): Promise<WecomCallbackResponse> {
    if (this.recent.has(msgId)) return ok;
    const onEvent = this.onEvent;
    if (!onEvent) return { status: 503, body: 'not ready' };
    this.remember(msgId);
    let failed = false;
    const work = onEvent(event).catch((err: unknown) => {
      failed = true;
      this.recent.delete(msgId); // let WeCom's retry try again
      this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'WeCom callback handling failed');
    });
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.opts.callbackDeadlineMs ?? 4000)))]);
    clearTimeout(timer);
    return failed ? { status: 500, body: 'error' } : ok;
  }

  private remember(msgId: string): void {
    this.recent.set(msgId, true);
    if (this.recent.size > recentCapacity) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Members

  /**
   * A member's name as the corp's address book holds it (`/cgi-bin/user/get`), or null when WeCom
   * will not say (no address-book visibility: 60011, an unknown userid: 60111). Neither the bot's
   * frames nor the app's callbacks carry names, and a userid (`ZhangSan`, `u1024`) is not what
   * neighbours call each other. Cached a day per userid (a refusal too, so one member costs one
   * call a day); an unreachable API for five minutes, so that while it is down a member's every
   * message does not wait for the request's timeout before being answered.
   */
  async memberName(userid: string): Promise<string | null> {
    const hit = this.names.get(userid);
    if (hit) return hit.name;
    let name: string | null = null;
    try {
      const ask = async (token: string) =>
        (await this.request(`/cgi-bin/user/get?access_token=${encodeURIComponent(token)}&userid=${encodeURIComponent(userid)}`, { method: 'GET' })) as WecomReply & { name?: unknown };
      let token = await this.accessToken();
      let r = await ask(token);
      if (r.errcode !== undefined && tokenErrors.has(r.errcode)) {
        this.forgetToken(token);
        token = await this.accessToken();
        r = await ask(token);
      }
      name = r.errcode === 0 && typeof r.name === 'string' && r.name.trim() ? r.name.trim().slice(0, 64) : null;
      this.names.set(userid, { name });
    } catch (err) {
      this.names.set(userid, { name: null }, { ttl: 300_000 });
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'WeCom member name lookup failed');
    }
    return name;
  }

  // ------------------------------------------------------------------------------------------
  // App messages

  private async sendAppText(userid: string, text: string): Promise<SendResult> {
    let messageId: string | undefined;
    for (const content of splitByBytes(text, maxTextBytes)) {
      const body = { touser: userid, msgtype: 'text', agentid: this.opts.agentId, text: { content }, safe: 0 };
      let token = await this.accessToken();
      let r = await this.postJson(`/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`, body);
      if (r.errcode !== undefined && tokenErrors.has(r.errcode)) {
        this.forgetToken(token);
        token = await this.accessToken();
        r = await this.postJson(`/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`, body);
      }
      const code = r.errcode ?? -1;
      const what = `WeCom refused the app message: errcode ${code} (${r.errmsg ?? ''})`;
      if (code === unreachableMember) throw new DeliveryError('blocked', what);
      if (wecomRateLimitCodes.has(code)) throw new DeliveryError('rate-limited', what, this.opts.rateLimitWaitMs ?? 60_000);
      if (code !== 0) throw new DeliveryError('transient', what);
      const invalid = `${r.invaliduser ?? ''}|${r.unlicenseduser ?? ''}`.split('|');
      if (invalid.includes(userid)) throw new DeliveryError('blocked', `WeCom member ${userid} cannot receive the app's messages`);
      messageId = r.msgid ?? messageId;
    }
    return messageId ? { messageId } : {};
  }

  /** The cached access token, or a new one (one fetch at a time). */
  private async accessToken(): Promise<string> {
    const cached = this.cachedToken;
    if (cached && Date.now() < cached.expiresAt) return cached.value;
    this.tokenFetch ??= this.fetchToken().finally(() => {
      this.tokenFetch = undefined;
    });
    return this.tokenFetch;
  }

  private forgetToken(token: string): void {
    if (this.cachedToken?.value === token) this.cachedToken = undefined;
  }

  private async fetchToken(): Promise<string> {
    const query = `corpid=${encodeURIComponent(this.opts.corpId)}&corpsecret=${encodeURIComponent(this.opts.secret)}`;
    const r = await this.request(`/cgi-bin/gettoken?${query}`, { method: 'GET' });
    if (r.errcode !== 0 || typeof r.access_token !== 'string' || !r.access_token) {
      throw new DeliveryError('transient', `WeCom gave no access token: errcode ${r.errcode ?? '?'} (${r.errmsg ?? ''}); check WECOM_CORP_ID and WECOM_SECRET`);
    }
    // WeCom says 7200 s; renew five minutes early.
    const ttlSeconds = Math.max(60, (r.expires_in ?? 7200) - 300);
    this.cachedToken = { value: r.access_token, expiresAt: Date.now() + ttlSeconds * 1000 };
    return r.access_token;
  }

  // ------------------------------------------------------------------------------------------
  // Robot webhooks

  private async sendWebhook(name: string, msg: OutboundMessage): Promise<SendResult> {
    const key = this.webhooks.get(name);
    if (!key) throw new DeliveryError('blocked', `no robot webhook named "${name}" (WECOM_ROBOT_WEBHOOKS)`);
    const chunks = splitByBytes(msg.text, maxTextBytes);
    for (const [i, content] of chunks.entries()) {
      const wait = this.reserveWebhookSlot(key);
      if (wait > 0) throw new DeliveryError('rate-limited', `robot "${name}" has sent its messages for this minute`, wait);
      const text: { content: string; mentioned_list?: string[] } = { content };
      if (i === 0 && msg.mention) text.mentioned_list = [msg.mention.userId];
      const r = await this.postJson(`/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, { msgtype: 'text', text });
      const code = r.errcode ?? -1;
      const what = `WeCom refused robot "${name}": errcode ${code} (${r.errmsg ?? ''})`;
      if (code === 0) continue;
      if (wecomRateLimitCodes.has(code)) throw new DeliveryError('rate-limited', what, this.limit.perMs);
      if (code === webhookGone) throw new DeliveryError('blocked', what);
      throw new DeliveryError('transient', what);
    }
    return {};
  }

  private get limit(): { max: number; perMs: number } {
    return this.opts.webhookLimit ?? { max: 20, perMs: 60_000 };
  }

  /**
   * Takes one of the robot's slots in its window and returns 0, or returns the milliseconds until
   * the window frees one. A slot is taken before the request leaves (sends run concurrently) and
   * kept whatever WeCom answers: a request that reached WeCom may have counted there. The window
   * is longer than WeCom's by 2% and 25 ms, as the outbound queue's (jobs/chat-pacer.ts
   * `hardWindow`): WeCom counts a message when it arrives, some time after we let it go.
   */
  private reserveWebhookSlot(key: string): number {
    const now = Date.now();
    const max = this.limit.max;
    // The same margin as the outbound queue's per-chat pacing, so a paced stream never trips this
    // in-process guard; it catches what pacing cannot see (a long text sent as several messages).
    const perMs = Math.ceil(this.limit.perMs * 1.02) + 25;
    const sent = (this.webhookSends.get(key) ?? []).filter((t) => now - t < perMs);
    this.webhookSends.set(key, sent);
    if (sent.length >= max) return Math.max(1, (sent[sent.length - max] ?? now) + perMs - now);
    sent.push(now);
    return 0;
  }

  // ------------------------------------------------------------------------------------------
  // HTTP

  private postJson(path: string, body: unknown): Promise<WecomReply> {
    return this.request(path, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
  }

  /** One call to WeCom's API; the URL (it holds the token or key) never goes into an error. */
  private async request(path: string, init: RequestInit): Promise<WecomReply> {
    let res: Response;
    try {
      res = await fetch(`${this.apiBase}${path}`, { ...init, signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 10_000) });
    } catch (err) {
      throw new DeliveryError('transient', `WeCom API unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) throw new DeliveryError('transient', `WeCom API answered HTTP ${res.status}`);
    try {
      const json: unknown = await res.json();
      if (typeof json !== 'object' || json === null) throw new Error('not an object');
      return json as WecomReply;
    } catch {
      throw new DeliveryError('transient', 'WeCom API answered something that is not JSON');
    }
  }
}

/**
 * Cuts a text into pieces of at most `maxBytes` UTF-8 bytes, at line ends where it can, never
 * inside a character. Pure.
 */
export function splitByBytes(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest) > maxBytes) {
    let bytes = 0;
    let end = 0;
    let lastNewline = -1;
    for (const ch of rest) {
      const b = Buffer.byteLength(ch);
      if (bytes + b > maxBytes) break;
      bytes += b;
      end += ch.length;
      if (ch === '\n') lastNewline = end - 1;
    }
    if (lastNewline > 0) {
      chunks.push(rest.slice(0, lastNewline));
      rest = rest.slice(lastNewline + 1);
    } else {
      chunks.push(rest.slice(0, end));
      rest = rest.slice(end);
    }
  }
  if (rest) chunks.push(rest);
  return chunks;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
