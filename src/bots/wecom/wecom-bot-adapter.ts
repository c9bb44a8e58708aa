import { randomBytes } from 'node:crypto';
import { WSClient, type Logger as SdkLogger, type SendMsgBody, type TemplateCard, type WsFrame } from '@wecom/aibot-node-sdk';
import { DeliveryError } from '../delivery-error.ts';
import type { Capability, ChatAdapter, ConversationRef, InboundEvent, OutboundMessage, SendResult } from '../types.ts';
import { silentLogger, type Logger } from '../../lib/logger.ts';
import { botPrefix, wecomBotGroupChatId } from './chat-ids.ts';

export { botPrefix };

/** WeCom's frequency-limit error codes (接口调用超过限制, 并发调用超过限制, API 调用太频繁). */
export const wecomRateLimitCodes: ReadonlySet<number> = new Set([45009, 45011, 45033]);

/** At most this many buttons on a `button_interaction` card (WeCom's limit). */
const maxCardButtons = 6;
const buttonKeyPattern = /^linli:\d{1,2}:(.{1,200})$/s;

export interface WecomBotAdapterOptions {
  botId: string;
  secret: string;
  /** The SDK's `wsUrl`; default the SDK's wss://openws.work.weixin.qq.com. */
  wsUrl?: string;
  /** The bot's name as residents @ it in groups: `@<botName>` is stripped from what they typed. */
  botName: string;
  log?: Logger;
  /** How long `start` waits for the first login before going on without it (the SDK keeps trying). */
  connectTimeoutMs?: number;
  /** The SDK's first reconnect delay; it doubles up to 30 s. Default 1000. */
  reconnectIntervalMs?: number;
  /** The SDK's heartbeat interval. Default 30 s. */
  heartbeatIntervalMs?: number;
  /** How long a frequency-limited send waits before the queue tries again. Default one minute. */
  rateLimitWaitMs?: number;
}

/** What became of one inbound frame (see {@link WecomBotAdapter.onInbound}). */
export interface WecomBotInboundReport {
  msgid: string;
  result: 'handled' | 'ignored' | 'failed';
}

/**
 * The WeCom 智能机器人 (AI bot) over `@wecom/aibot-node-sdk`'s WebSocket long connection.
 *
 * Receiving: WeCom pushes a group message only when it @-mentions the bot (`chattype: 'group'`),
 * and every message of a private chat (`single`). Text, voice (already transcribed by WeCom) and
 * the text parts of mixed messages become `InboundEvent`s; a click on one of our card buttons
 * (`template_card_event`) becomes an event with `buttonPayload`.
 *
 * Ids (shared with {@link WecomAppAdapter}, so the two never collide):
 * - a sender is the member's corp userid, unprefixed: the same person whether they talk to the
 *   bot or to the self-built app;
 * - a group is `bot:<chatid>`; a private chat is the member's userid (what `Turn.direct` builds),
 *   or `bot:<userid>` to insist on the bot's own private chat;
 * - a message id is `bot:<msgid>` (WeCom's msgid; redeliveries carry the same one, and the router
 *   processes a message id once).
 *
 * Sending goes over this process's connection (`sendsFrom: 'session'`): always proactively with
 * `sendMessage` (`aibot_send_msg`), because replies leave through the outbound queue, after the
 * inbound frame's reply window may have passed. Text is sent as markdown; a group reply starts
 * with `<@userid>`, which WeCom shows as `@<their name>`. A message with buttons is a
 * `button_interaction` card whose button keys carry the payloads (cards cannot @ anyone).
 * Frequency errors (45009…) become `DeliveryError('rate-limited')`; a lost connection or a missing
 * acknowledgement `transient`. Reconnecting is the SDK's (exponential back-off, here unlimited).
 */
export class WecomBotAdapter implements ChatAdapter {
  readonly platform = 'wecom' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['mention', 'buttons', 'direct']);
  readonly sendsFrom = 'session' as const;

  private client?: WSClient;
  private authenticated = false;
  private onEvent?: (e: InboundEvent) => Promise<void>;
  private readonly inflight = new Set<Promise<void>>();
  private readonly listeners = new Set<(r: WecomBotInboundReport) => void>();
  private readonly log: Logger;
  private readonly mentionPattern: RegExp;

  constructor(private readonly opts: WecomBotAdapterOptions) {
    this.log = (opts.log ?? silentLogger).child({ adapter: 'wecom-bot' });
    const name = opts.botName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.mentionPattern = new RegExp(`@${name}(?=[\\s\\u2005]|$)`, 'gu');
  }

  /** Whether the long connection is up and logged in. */
  get connected(): boolean {
    return this.authenticated && (this.client?.isConnected ?? false);
  }

  /**
   * Connects and logs in. Resolves once logged in, or after `connectTimeoutMs` (default 15 s) with
   * the SDK still trying; rejects when WeCom refuses the bot id / secret.
   */
  async start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    if (this.client) throw new Error('WecomBotAdapter already started');
    this.onEvent = onEvent;
    const client = new WSClient({
      botId: this.opts.botId,
      secret: this.opts.secret,
      wsUrl: this.opts.wsUrl,
      logger: sdkLogger(this.log),
      maxReconnectAttempts: -1,
      reconnectInterval: this.opts.reconnectIntervalMs ?? 1000,
      heartbeatInterval: this.opts.heartbeatIntervalMs ?? 30_000,
    });
    this.client = client;
    client.on('authenticated', () => {
      this.authenticated = true;
      this.log.info('WeCom bot connected');
    });
    client.on('disconnected', (reason: string) => {
      this.authenticated = false;
      this.log.warn({ reason }, 'WeCom bot disconnected');
    });
    client.on('error', (err: Error) => this.log.warn({ err: err.message }, 'WeCom bot connection error'));
    client.on('event.disconnected_event', () =>
      this.log.error('WeCom closed this bot connection because another one logged in with the same bot id (two bots processes?)'),
    );
    client.on('message', (frame: WsFrame) => this.track(frame, () => this.onMessageFrame(frame)));
    client.on('event.template_card_event', (frame: WsFrame) => this.track(frame, () => this.onCardFrame(frame)));

    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        client.off('authenticated', onAuth);
        client.off('error', onError);
      };
      const onAuth = () => {
        done();
        resolve();
      };
      const onError = (err: Error) => {
        if (!/Authentication failed/i.test(err.message)) return;
        done();
        this.client = undefined;
        client.removeAllListeners();
        client.disconnect();
        reject(new Error(`Linli: the WeCom bot could not log in (${err.message}); check WECOM_BOT_ID and WECOM_BOT_SECRET`));
      };
      const timer = setTimeout(() => {
        done();
        this.log.warn('WeCom bot not connected yet; it keeps trying and sends wait for it');
        resolve();
      }, this.opts.connectTimeoutMs ?? 15_000);
      client.on('authenticated', onAuth);
      client.on('error', onError);
      client.connect();
    });
  }

  /** Closes the connection, then waits for the frames being handled. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.authenticated = false;
    if (client) {
      client.removeAllListeners();
      client.disconnect();
    }
    await Promise.allSettled([...this.inflight]);
    this.onEvent = undefined;
  }

  /**
   * Tells `listener` what became of every inbound frame once it has been handed to the router and
   * the router has returned (metrics, and tests that must wait for a pushed frame). Returns an
   * unsubscribe function.
   */
  onInbound(listener: (r: WecomBotInboundReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends one message proactively (`aibot_send_msg`): to `bot:<chatid>` groups, and to members in
   * private (`<userid>` or `bot:<userid>`). Throws `DeliveryError`.
   */
  async send(to: ConversationRef, msg: OutboundMessage): Promise<SendResult> {
    const client = this.client;
    if (!client || !this.connected) throw new DeliveryError('transient', 'the WeCom bot is not connected');
    const target = to.chatId.startsWith(botPrefix) ? to.chatId.slice(botPrefix.length) : to.chatId;
    if (!target || target.includes(':')) throw new DeliveryError('blocked', `not a WeCom bot chat: ${to.chatId}`);
    try {
      const ack = await client.sendMessage(target, this.bodyFor(to, msg));
      const reqId: unknown = ack?.headers?.req_id;
      return typeof reqId === 'string' ? { messageId: reqId } : {};
    } catch (err) {
      throw this.deliveryError(err);
    }
  }

  private bodyFor(to: ConversationRef, msg: OutboundMessage): SendMsgBody {
    if (msg.buttons?.length) {
      const [title = '', ...rest] = msg.text.split('\n');
      const card: TemplateCard = {
        card_type: 'button_interaction',
        main_title: { title },
        button_list: msg.buttons.slice(0, maxCardButtons).map((b, i) => ({ text: b.label, key: encodeButtonKey(i, b.payload), style: i === 0 ? 1 : 2 })),
        task_id: `linli_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`,
      };
      if (rest.length) card.sub_title_text = rest.join('\n');
      return { msgtype: 'template_card', template_card: card };
    }
    const text = neutraliseMentions(msg.text);
    const content = to.kind === 'group' && msg.mention ? `<@${msg.mention.userId}> ${text}` : text;
    return { msgtype: 'markdown', markdown: { content } };
  }

  private deliveryError(err: unknown): DeliveryError {
    if (err instanceof DeliveryError) return err;
    if (isAckFrame(err)) {
      const what = `WeCom refused the bot's message: errcode ${err.errcode} (${err.errmsg ?? ''})`;
      if (wecomRateLimitCodes.has(err.errcode)) return new DeliveryError('rate-limited', what, this.opts.rateLimitWaitMs ?? 60_000);
      return new DeliveryError('transient', what);
    }
    return new DeliveryError('transient', `the WeCom bot could not send: ${err instanceof Error ? err.message : String(err)}`);
  }

  private track(frame: WsFrame, handle: () => Promise<WecomBotInboundReport['result']>): void {
    const msgid = typeof frame.body?.msgid === 'string' ? frame.body.msgid : '';
    const work = (async () => {
      let result: WecomBotInboundReport['result'] = 'failed';
      try {
        result = await handle();
      } catch (err) {
        this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'WeCom bot frame failed');
      }
      for (const l of this.listeners) l({ msgid, result });
    })();
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
  }

  private async onMessageFrame(frame: WsFrame): Promise<WecomBotInboundReport['result']> {
    const body: unknown = frame.body;
    const m = readCommon(body);
    const text = m && textOf(body);
    if (!m || text === null || text === undefined || !this.onEvent) return 'ignored';
    await this.onEvent(this.event(m, { text: this.stripMention(text), mentionsBot: m.group }));
    return 'handled';
  }

  private async onCardFrame(frame: WsFrame): Promise<WecomBotInboundReport['result']> {
    const body: unknown = frame.body;
    const m = readCommon(body);
    const payload = decodeButtonKey(cardEventKey(body));
    if (!m || payload === null || !this.onEvent) return 'ignored';
    await this.onEvent(this.event(m, { text: payload, buttonPayload: payload, mentionsBot: m.group }));
    return 'handled';
  }

  private event(m: CommonFields, extra: Pick<InboundEvent, 'text' | 'mentionsBot' | 'buttonPayload'>): InboundEvent {
    return {
      platform: 'wecom',
      messageId: `${botPrefix}${m.msgid}`,
      chat: m.group
        ? { platform: 'wecom', chatId: wecomBotGroupChatId(m.chatid), kind: 'group' }
        : { platform: 'wecom', chatId: m.userid, kind: 'direct' },
      // The frame carries no name; the userid is what the corp's admins know the member by.
      sender: { userId: m.userid, displayName: m.userid },
      receivedAt: m.createTime,
      ...extra,
    };
  }

  /** `@邻里助手 需求 …` → `需求 …` (WeCom puts the bot's @name into the text of a group message). */
  private stripMention(text: string): string {
    return text.replace(this.mentionPattern, ' ').replace(/^[\s\u2005]+/, '');
  }
}

interface CommonFields {
  msgid: string;
  userid: string;
  group: boolean;
  chatid: string;
  createTime?: Date;
}

function readCommon(body: unknown): CommonFields | null {
  if (!isRecord(body) || typeof body.msgid !== 'string' || !body.msgid) return null;
  const from = body.from;
  const userid = isRecord(from) && typeof from.userid === 'string' ? from.userid : '';
  if (!userid) return null;
  const group = body.chattype === 'group';
  const chatid = typeof body.chatid === 'string' ? body.chatid : '';
  if (group && !chatid) return null;
  const createTime = typeof body.create_time === 'number' ? new Date(body.create_time * 1000) : undefined;
  return { msgid: body.msgid, userid, group, chatid, createTime };
}

/** The words of a text, voice (WeCom transcribes it) or mixed message; null for anything else. */
function textOf(body: unknown): string | null {
  if (!isRecord(body)) return null;
  const field = (name: string): string | null => {
    const v = body[name];
    return isRecord(v) && typeof v.content === 'string' ? v.content : null;
  };
  switch (body.msgtype) {
    case 'text':
      return field('text');
    case 'voice':
      return field('voice');
    case 'mixed': {
      const mixed = body.mixed;
      const items = isRecord(mixed) && Array.isArray(mixed.msg_item) ? mixed.msg_item : [];
      const texts = items.flatMap((it: unknown) =>
        isRecord(it) && it.msgtype === 'text' && isRecord(it.text) && typeof it.text.content === 'string' ? [it.text.content] : [],
      );
      return texts.length ? texts.join('\n') : null;
    }
    default:
      return null;
  }
}

/** The clicked button's key: `event.template_card_event.event_key` (the documented shape) or `event.event_key`. */
function cardEventKey(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.event)) return undefined;
  const ev = body.event;
  const inner = isRecord(ev.template_card_event) ? ev.template_card_event : ev;
  return typeof inner.event_key === 'string' ? inner.event_key : undefined;
}

/** A button key: unique within the card (its position) and carrying the payload. */
export function encodeButtonKey(index: number, payload: string): string {
  return `linli:${index}:${payload}`;
}

/** The payload of one of our button keys; null for keys we did not make. */
export function decodeButtonKey(key: string | undefined): string | null {
  const m = key === undefined ? null : buttonKeyPattern.exec(key);
  return m?.[1] ?? null;
}

/** Text from people (needs, names) must not @ anyone through WeCom's `<@userid>` markup. */
function neutraliseMentions(text: string): string {
  return text.replace(/<@/g, '＜@');
}

function isAckFrame(x: unknown): x is { errcode: number; errmsg?: string } {
  return isRecord(x) && typeof x.errcode === 'number' && x.errcode !== 0;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function sdkLogger(log: Logger): SdkLogger {
  const line = (message: string, args: unknown[]) => (args.length ? `${message} ${args.map(String).join(' ')}` : message);
  return {
    debug: () => undefined,
    info: (message: string, ...args: unknown[]) => log.debug(line(message, args)),
    warn: (message: string, ...args: unknown[]) => log.info(line(message, args)),
    error: (message: string, ...args: unknown[]) => log.warn(line(message, args)),
  };
}
