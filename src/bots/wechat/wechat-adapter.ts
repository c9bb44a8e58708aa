// The WeChat adapter: a personal WeChat account driven through a wechaty puppet. The only file
// that touches wechaty at run time; it imports wechaty itself lazily (≈ 2 s), only when it builds
// a bot from configuration, so importing this module costs nothing when WeChat is off.
import { EventEmitter } from 'node:events';
import type { Contact, Message, OfficialPuppetNpmName, Room, types as wechatyTypes, Wechaty } from 'wechaty';
import { DeliveryError } from '../delivery-error.ts';
import type { Capability, ChatAdapter, ConversationRef, InboundEvent, OutboundMessage, SendResult } from '../types.ts';
import { silentLogger, type Logger } from '../../lib/logger.ts';
import type { WechatConfig } from './config.ts';

/** wechaty-puppet's ScanStatus, by value (a type-only import cannot give an enum's values). */
const scanStatus = { unknown: 0, cancel: 1, waiting: 2, scanned: 3, confirmed: 4, timeout: 5 } as const;
const scanStatusName: Record<number, WechatQr['status']> = {
  [scanStatus.cancel]: 'cancelled',
  [scanStatus.waiting]: 'waiting',
  [scanStatus.scanned]: 'scanned',
  [scanStatus.confirmed]: 'confirmed',
  [scanStatus.timeout]: 'timeout',
};

/**
 * Where the session stands: `starting` (the puppet is starting), `scan` (waiting for someone to scan
 * the login QR code), `online` (logged in: sending works), `offline` (logged out or failed:
 * reconnecting), `stopped`.
 */
export type WechatStatus = 'stopped' | 'starting' | 'scan' | 'online' | 'offline';

/** The latest login QR code, for the terminal and the workers' console. JSON-safe. */
export interface WechatQr {
  /** The raw QR value; a page may render it itself rather than send it to wechaty.js.org. */
  qrcode: string;
  /** A page that renders the QR code: `https://wechaty.js.org/qrcode/<encoded value>`. */
  url: string;
  status: 'waiting' | 'scanned' | 'confirmed' | 'cancelled' | 'timeout';
  /** ISO time of the scan event. */
  at: string;
}

/**
 * People who joined a WeChat group, for a welcome. JSON-safe. `eventId` is the same for a redelivery
 * of the same join, so it can key the welcome message (no welcome twice).
 */
export interface WechatJoinEvent {
  platform: 'wechat';
  eventId: string;
  chat: ConversationRef;
  /** The people who joined (never the bot itself). */
  members: Array<{ userId: string; displayName: string }>;
  inviter?: { userId: string; displayName: string };
  at: string;
}

/** What happened to one inbound WeChat message; `handled` means it went to the router. */
export type InboundOutcome = 'handled' | 'ignored' | 'failed';

export interface WechatAdapterEvents {
  status: [status: WechatStatus];
  qr: [qr: WechatQr];
  /** Every inbound message once the adapter is done with it (tests wait on it; metrics count it). */
  settled: [info: { messageId: string; outcome: InboundOutcome }];
}

export interface WechatAdapterOptions {
  log?: Logger;
  /** Where the login QR code line is printed (default: stdout). */
  print?: (line: string) => void;
  /**
   * Bringing a lost session back: `graceMs` is how long a (re)started puppet may take to log in or
   * show a QR code before it is restarted (default 60 s); after a logout or a puppet error the
   * checks back off from `initialMs` (2 s) doubling to `maxMs` (5 min).
   */
  reconnect?: { initialMs?: number; maxMs?: number; graceMs?: number };
  /** How long the outbound queue pauses while logged out before trying again (default 15 s). */
  offlineRetryMs?: number;
}

/** A QR code this recent means a person may be about to scan it: the puppet is not restarted under them. */
const QR_FRESH_MS = 5 * 60_000;
/** Separator after a mention in WeChat text (U+2005 FOUR-PER-EM SPACE). */
const MENTION_END = '\u2005';
/** How WeChat puppets (PadLocal, XP) render a quoted reply: `「name：text」` + a dashed line + the reply. */
const QUOTE = /^「([^：:\n]{1,64})[：:][\s\S]*」\s*\n-(?: -){4,}\s*\n/;

/**
 * WeChat through a wechaty puppet. Messages from the bot itself and anything but text are ignored;
 * a room message becomes a `group` event (chat = room id), a private one a `direct` event (chat = the
 * person's contact id); the bot's own @mention is taken out of the text and reported as
 * `mentionsBot`. Group replies @-mention the person answered. The puppet's login lives in this
 * process (`sendsFrom: 'session'`); while it is logged out `send` throws a `rate-limited`
 * DeliveryError, which pauses the WeChat queue without spending the jobs' attempts.
 */
export class WechatAdapter implements ChatAdapter {
  readonly platform = 'wechat' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['mention', 'direct']);
  readonly sendsFrom = 'session' as const;
  /** `status`, `qr` and `settled` events, for the console and tests. */
  readonly events = new EventEmitter<WechatAdapterEvents>();

  private bot?: Wechaty;
  private readonly config?: WechatConfig;
  private readonly log: Logger;
  private readonly print: (line: string) => void;
  private readonly backoff: { initialMs: number; maxMs: number; graceMs: number };
  private readonly offlineRetryMs: number;

  private onEvent?: (e: InboundEvent) => Promise<void>;
  private onJoinHandler?: (join: WechatJoinEvent) => Promise<void>;
  private currentStatus: WechatStatus = 'stopped';
  private latestQr?: WechatQr;
  private self?: { id: string; name: string };
  private stopping = false;
  private listening = false;
  /** Inbound messages in flight, one chain per (chat, sender) so a person's messages keep their order. */
  private readonly chains = new Map<string, Promise<void>>();
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectAttempts = 0;
  /** When the current wait for a reconnect began, and the last sign of a live puppet (a scan). */
  private waitingSince = 0;
  private lastScanAt = 0;
  private restarting?: Promise<void>;
  /** A `bot.start()` under way: never stopped half-way by a reconnect check. */
  private startingBot?: Promise<void>;
  private restartCount = 0;

  /** Builds a bot from configuration (at start), or drives a ready-made one (tests pass one on a PuppetMock). */
  constructor(source: WechatConfig | Wechaty, opts: WechatAdapterOptions = {}) {
    if (isWechatConfig(source)) this.config = source;
    else this.bot = source;
    this.log = opts.log ?? silentLogger;
    this.print = opts.print ?? ((line) => process.stdout.write(`${line}\n`));
    this.backoff = {
      initialMs: opts.reconnect?.initialMs ?? 2_000,
      maxMs: opts.reconnect?.maxMs ?? 5 * 60_000,
      graceMs: opts.reconnect?.graceMs ?? 60_000,
    };
    this.offlineRetryMs = opts.offlineRetryMs ?? 15_000;
  }

  /** Where the session stands. */
  get status(): WechatStatus {
    return this.currentStatus;
  }

  /** The latest login QR code while one is pending (none once logged in). */
  get qr(): WechatQr | undefined {
    return this.latestQr;
  }

  /** The logged-in account, when online. */
  get user(): { id: string; name: string } | undefined {
    return this.currentStatus === 'online' ? this.self : undefined;
  }

  /** How many times the puppet was restarted to recover a lost session. */
  get restarts(): number {
    return this.restartCount;
  }

  /**
   * Called when people join a group the bot is in (not for the bot itself). The adapter has no idea
   * whether the group is bound to a community: the handler decides whether to welcome. Errors are logged.
   */
  onJoin(handler: (join: WechatJoinEvent) => Promise<void>): void {
    this.onJoinHandler = handler;
  }

  /**
   * Loads the puppet and starts it in the background: returns at once, without waiting for the
   * puppet's connection (seconds, when its service is slow or unreachable) nor for a login (a QR
   * scan; never with the mock), so the web console that shows the QR code is not held up. A puppet
   * that cannot be loaded at all (unknown npm name) throws here; one that fails later is restarted
   * with backoff.
   */
  async start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    this.onEvent = onEvent;
    this.stopping = false;
    const bot = await this.ensureBot();
    if (!this.listening) {
      bot.on('scan', this.handleScan);
      bot.on('login', this.handleLogin);
      bot.on('logout', this.handleLogout);
      bot.on('error', this.handleError);
      bot.on('message', this.handleMessage);
      bot.on('room-join', this.handleRoomJoin);
      this.listening = true;
    }
    this.setStatus('starting');
    try {
      await bot.init();
    } catch (err) {
      this.setStatus('stopped');
      throw new Error(`Linli: WeChat puppet ${this.config?.puppet ?? '(given instance)'} could not be loaded: ${errorMessage(err)}`);
    }
    void this.startBot(bot).then(
      () => {
        if (!this.stopping && this.currentStatus !== 'online') this.scheduleReconnect('started', this.backoff.graceMs);
      },
      (err: unknown) => {
        this.log.error({ err: errorMessage(err) }, 'wechat: the puppet did not start');
        if (this.stopping) return;
        this.setStatus('offline');
        this.scheduleReconnect('start failed');
      },
    );
  }

  /** Resolves once a puppet start under way has finished (started or failed); at once if none is. */
  async puppetStarted(): Promise<void> {
    await this.startingBot?.catch(() => undefined);
  }

  /** Stops taking messages, lets the ones in flight reach the router, then stops the puppet. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const bot = this.bot;
    if (bot && this.listening) {
      bot.off('message', this.handleMessage);
      bot.off('room-join', this.handleRoomJoin);
      bot.off('scan', this.handleScan);
      bot.off('login', this.handleLogin);
      bot.off('logout', this.handleLogout);
      this.listening = false;
    }
    await this.restarting?.catch(() => undefined);
    await this.startingBot?.catch(() => undefined);
    await Promise.allSettled([...this.chains.values()]);
    this.onEvent = undefined;
    if (bot && this.currentStatus !== 'stopped') {
      await bot.stop().catch((err: unknown) => this.log.warn({ err: errorMessage(err) }, 'wechat: stopping the puppet failed'));
    }
    bot?.off('error', this.handleError);
    this.setStatus('stopped');
  }

  /**
   * Sends one message. A group message @-mentions `msg.mention` (the room shows `@张阿姨 text`);
   * buttons are dropped (the text already says `回复 1 / 2`). Safe to retry: the outbound queue marks
   * a key sent only after this returns.
   */
  async send(to: ConversationRef, msg: OutboundMessage): Promise<SendResult> {
    const bot = this.bot;
    if (!bot || this.currentStatus !== 'online') {
      throw new DeliveryError('rate-limited', `wechat: not logged in (${this.currentStatus}); the message waits for the login`, this.offlineRetryMs);
    }
    try {
      if (to.kind === 'group') {
        // The payload first: it fails with the puppet's own error (gone, not found), which find() hides.
        await bot.puppet.roomPayload(to.chatId);
        const room = await bot.Room.find({ id: to.chatId });
        if (!room) throw new Error(`room ${to.chatId} could not be loaded`);
        const mention = msg.mention ? await this.loadContact(msg.mention.userId) : undefined;
        const sent = mention
          ? await room.say(msg.text, mention)
          : await room.say(msg.mention ? `@${msg.mention.displayName || msg.mention.userId} ${msg.text}` : msg.text);
        return sent ? { messageId: sent.id } : {};
      }
      await bot.puppet.contactPayload(to.chatId);
      const contact = await bot.Contact.find({ id: to.chatId });
      if (!contact) throw new Error(`contact ${to.chatId} could not be loaded`);
      const sent = await contact.say(msg.text);
      return sent ? { messageId: sent.id } : {};
    } catch (err) {
      throw classifySendError(err, this.offlineRetryMs);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound

  private readonly handleMessage = (msg: Message): void => {
    const settle = (outcome: InboundOutcome): void => {
      this.events.emit('settled', { messageId: msg.id, outcome });
    };
    let talkerId: string;
    try {
      if (msg.self() || msg.type() !== this.bot?.Message.Type.Text) return settle('ignored');
      talkerId = msg.talker().id;
    } catch (err) {
      this.log.warn({ err: errorMessage(err), messageId: msg.id }, 'wechat: unreadable message ignored');
      return settle('ignored');
    }
    const key = `${msg.room()?.id ?? ''}\u0000${talkerId}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.deliver(msg))
      .then(settle, (err: unknown) => {
        this.log.error({ err: errorMessage(err), messageId: msg.id }, 'wechat: inbound message failed');
        settle('failed');
      })
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
  };

  /** Maps one text message to an InboundEvent and hands it on. */
  private async deliver(msg: Message): Promise<InboundOutcome> {
    const onEvent = this.onEvent;
    const bot = this.bot;
    if (!onEvent || !bot) return 'ignored';
    const talker = msg.talker();
    if (talker.type() === bot.Contact.Type.Official) return 'ignored'; // 公众号 and WeChat's own notices
    const room = msg.room();
    let text = msg.text();
    let displayName = talker.name();
    let mentionsBot = false;
    let selfNames: string[] = this.self ? [this.self.name] : [];
    if (room) {
      const [alias, selfAlias, mentioned] = await Promise.all([
        room.alias(talker).catch(() => undefined),
        this.selfAlias(room),
        msg.mentionSelf().catch(() => false),
      ]);
      displayName = alias || displayName;
      if (selfAlias) selfNames = [selfAlias, ...selfNames];
      mentionsBot = mentioned;
      if (mentionsBot) text = stripMentions(text, selfNames);
    }
    const quote = parseQuote(text);
    const replyToBot = quote !== null && selfNames.includes(quote.name);
    if (quote) text = quote.text;
    await onEvent({
      platform: 'wechat',
      messageId: msg.id,
      chat: room ? { platform: 'wechat', chatId: room.id, kind: 'group' } : { platform: 'wechat', chatId: talker.id, kind: 'direct' },
      sender: { userId: talker.id, displayName: displayName.slice(0, 200) },
      text,
      mentionsBot,
      replyToBot,
      receivedAt: msg.date(),
    });
    return 'handled';
  }

  private readonly handleRoomJoin = (room: Room, invitees: Contact[], inviter: Contact, date?: Date): void => {
    const handler = this.onJoinHandler;
    if (!handler || this.stopping) return;
    void (async () => {
      const selfId = this.self?.id;
      const joined = invitees.filter((c) => c.id !== selfId);
      if (!joined.length) return;
      const members = await Promise.all(
        joined.map(async (c) => ({ userId: c.id, displayName: ((await room.alias(c).catch(() => undefined)) || c.name()).slice(0, 200) })),
      );
      const at = date ?? new Date();
      await handler({
        platform: 'wechat',
        eventId: `join:${room.id}:${members.map((m) => m.userId).sort().join(',')}:${at.getTime()}`,
        chat: { platform: 'wechat', chatId: room.id, kind: 'group' },
        members,
        inviter: inviter.id === selfId ? undefined : { userId: inviter.id, displayName: inviter.name() },
        at: at.toISOString(),
      });
    })().catch((err: unknown) => this.log.error({ err: errorMessage(err), room: room.id }, 'wechat: join handler failed'));
  };

  // ---------------------------------------------------------------------------------------------
  // Session: QR code, login, logout, reconnect

  private readonly handleScan = (qrcode: string, status: wechatyTypes.ScanStatus): void => {
    this.lastScanAt = Date.now();
    const name = scanStatusName[status];
    if (!name) return;
    const fresh = qrcode && qrcode !== this.latestQr?.qrcode;
    this.latestQr = { qrcode: qrcode || this.latestQr?.qrcode || '', url: qrcode ? qrcodeUrl(qrcode) : (this.latestQr?.url ?? ''), status: name, at: new Date().toISOString() };
    if (name === 'waiting' || name === 'timeout') this.setStatus('scan');
    if (fresh && (name === 'waiting' || name === 'timeout')) {
      this.print(`\n  WeChat login: open this link and scan the QR code with the bot's WeChat account:\n  ${this.latestQr.url}\n`);
    } else if (name === 'scanned') {
      this.print('  WeChat login: QR code scanned; confirm the login on the phone');
    }
    this.log.info({ status: name }, 'wechat: login QR code');
    this.events.emit('qr', this.latestQr);
  };

  private readonly handleLogin = (user: Contact): void => {
    this.self = { id: user.id, name: user.name() };
    this.latestQr = undefined;
    this.reconnectAttempts = 0;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.log.info({ user: this.self.name }, 'wechat: logged in');
    this.setStatus('online');
  };

  private readonly handleLogout = (user: Contact, reason?: string): void => {
    this.log.warn({ user: user.name(), reason }, 'wechat: logged out');
    if (this.stopping) return;
    this.setStatus('offline');
    this.scheduleReconnect('logout');
  };

  private readonly handleError = (err: Error): void => {
    this.log.warn({ err: errorMessage(err) }, 'wechat: puppet error');
    // Errors while online are per-message (a payload not found…): the session is fine.
    if (this.stopping || this.currentStatus === 'online') return;
    this.scheduleReconnect('error');
  };

  /**
   * While not logged in, checks after a backoff: a puppet that showed a QR code since (or shows one
   * still fresh) is alive and waiting for a person, so it is left alone; a silent one is restarted.
   * Stops once logged in.
   */
  private scheduleReconnect(reason: string, atLeastMs = 0, backOff = true): void {
    if (this.stopping || this.reconnectTimer) return;
    const delay = Math.max(atLeastMs, Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(this.reconnectAttempts, 20)));
    if (backOff) this.reconnectAttempts++;
    this.waitingSince = Date.now();
    this.log.info({ reason, delayMs: delay }, 'wechat: will check the session');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopping || this.currentStatus === 'online') return;
      if (this.startingBot) {
        this.scheduleReconnect('still starting', 0, false);
        return;
      }
      const qrPending = this.currentStatus === 'scan' && Date.now() - this.lastScanAt < QR_FRESH_MS;
      if (this.lastScanAt >= this.waitingSince || qrPending) {
        this.scheduleReconnect('waiting for a QR scan');
        return;
      }
      this.restarting = this.restart().finally(() => {
        this.restarting = undefined;
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  private async restart(): Promise<void> {
    const bot = this.bot;
    if (!bot) return;
    this.log.warn({ attempt: this.reconnectAttempts }, 'wechat: restarting the puppet');
    this.setStatus('offline');
    try {
      await bot.stop();
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'wechat: stopping the puppet failed');
    }
    if (this.stopping) return;
    this.setStatus('starting');
    try {
      await this.startBot(bot);
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'wechat: restarting the puppet failed');
      this.setStatus('offline');
    }
    this.restartCount++;
    if (!this.stopping && this.currentStatus !== 'online') this.scheduleReconnect('restarted', this.backoff.graceMs);
  }

  private async startBot(bot: Wechaty): Promise<void> {
    const starting = bot.start();
    this.startingBot = starting;
    try {
      await starting;
    } finally {
      if (this.startingBot === starting) this.startingBot = undefined;
    }
  }

  private setStatus(status: WechatStatus): void {
    if (this.currentStatus === status) return;
    this.currentStatus = status;
    this.events.emit('status', status);
  }

  private async ensureBot(): Promise<Wechaty> {
    if (this.bot) return this.bot;
    const config = this.config;
    if (!config) throw new Error('WechatAdapter: neither a configuration nor a bot');
    const { WechatyBuilder } = await import('wechaty');
    this.bot = WechatyBuilder.build({
      name: config.name,
      // Any puppet's npm name works at run time; the type lists only the official ones.
      puppet: config.puppet as OfficialPuppetNpmName,
      puppetOptions: { ...(config.token ? { token: config.token } : {}), ...(config.endpoint ? { endpoint: config.endpoint } : {}) },
    });
    return this.bot;
  }

  /** The bot's nickname in a room (群昵称), when it has one. */
  private async selfAlias(room: Room): Promise<string | undefined> {
    try {
      return this.bot && this.self ? await room.alias(this.bot.currentUser) : undefined;
    } catch {
      return undefined;
    }
  }

  private async loadContact(id: string): Promise<Contact | undefined> {
    try {
      return await this.bot?.Contact.find({ id });
    } catch {
      return undefined;
    }
  }
}

function isWechatConfig(x: WechatConfig | Wechaty): x is WechatConfig {
  // Not `x.puppet` first: a Wechaty's `puppet` getter throws until the bot has started.
  return typeof (x as { start?: unknown }).start !== 'function';
}

/** The page wechaty uses to render a login QR value (wechaty's own `qrcodeValueToImageUrl`). */
export function qrcodeUrl(qrcode: string): string {
  return `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Takes the bot's own @mentions out of a WeChat text (`@name` + U+2005, a space or the end, as
 * wechaty's `mentionText` does), keeping everyone else's mentions as typed.
 */
export function stripMentions(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of new Set(names.filter(Boolean))) {
    out = out.replace(new RegExp(`@${escapeRegExp(name)}(?:${MENTION_END}|\\u0020|$)`, 'g'), '');
  }
  return out.trim();
}

/** A quoted reply as WeChat puppets render it: the quoted sender's name and the new text; else null. */
export function parseQuote(text: string): { name: string; text: string } | null {
  const m = QUOTE.exec(text);
  if (!m) return null;
  return { name: (m[1] ?? '').trim(), text: text.slice(m[0].length) };
}

// gRPC status codes that puppet services (wechaty-puppet-service) carry in GError.code.
const GRPC = { deadlineExceeded: 4, notFound: 5, permissionDenied: 7, resourceExhausted: 8, unavailable: 14 } as const;

/**
 * What a failed send means for the outbound queue. `blocked` (no retry) only on a definite sign
 * that the chat is gone (not found, not a friend or member any more, blocked); WeChat's "too
 * frequent" and gRPC RESOURCE_EXHAUSTED wait a minute; a lost login waits for the login; anything
 * else (timeouts, a broken connection) is transient.
 */
export function classifySendError(err: unknown, offlineRetryMs = 15_000): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const message = errorMessage(err);
  const code = typeof (err as { code?: unknown } | null)?.code === 'number' ? (err as { code: number }).code : undefined;
  if (code === GRPC.resourceExhausted || /频繁|太快|too (?:many|frequent)|rate.?limit/i.test(message)) {
    return new DeliveryError('rate-limited', `wechat: ${message}`, 60_000);
  }
  if (/not logged ?in|未登录|logout/i.test(message)) {
    return new DeliveryError('rate-limited', `wechat: ${message}`, offlineRetryMs);
  }
  if (
    code === GRPC.notFound ||
    code === GRPC.permissionDenied ||
    /no payload found|not exists?\b|not found|不是.{0,4}好友|非好友|被移出|已退出|拉黑|blocked|not (?:a )?(?:friend|member)/i.test(message)
  ) {
    return new DeliveryError('blocked', `wechat: ${message}`);
  }
  return new DeliveryError('transient', `wechat: ${message}`);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
