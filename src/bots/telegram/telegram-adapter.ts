import { createHash, timingSafeEqual } from 'node:crypto';
import { Telegraf, TelegramError } from 'telegraf';
import type { CallbackQuery, InlineKeyboardButton, Message, MessageEntity, Update, User } from 'telegraf/types';
import type { Logger } from '../../lib/logger.ts';
import { DeliveryError } from '../delivery-error.ts';
import type { Capability, ChatAdapter, CommandMenu, ConversationRef, InboundEvent, OutboundMessage, SendResult } from '../types.ts';
import type { TelegramConfig } from './config.ts';
import { telegramChatId } from './chat-ids.ts';

/** Where the web server mounts {@link TelegramAdapter.handleWebhook} (POST). */
export const telegramWebhookPath = '/telegram/webhook';
/** The header Telegram puts the webhook's secret_token in (lower-case, as Node reports headers). */
export const telegramSecretHeader = 'x-telegram-bot-api-secret-token';

/** The update kinds Linli reads; Telegram sends nothing else (fewer wake-ups, less to ignore). */
const allowedUpdates = ['message', 'callback_query'] as const;
/** Telegram's limit on a message's text, in UTF-16 code units. */
const maxTextLength = 4096;
/** Telegram's limit on a button's callback_data, in bytes. */
const maxCallbackDataBytes = 64;
/** Start-up gives up on an API that does not answer (telegraf's own timeout is 500 s). */
const startTimeoutMs = 30_000;

export interface TelegramAdapterOptions {
  log: Logger;
  /**
   * The `/` menus to register at start (setMyCommands), as data from the app: the default one
   * and per language. None given, none registered.
   */
  commandMenus?: readonly CommandMenu[];
}

/**
 * Telegram through the Bot API (telegraf). Receives by long polling, or by webhook when
 * `webhookUrl` is configured (then the web server feeds {@link handleWebhook}); sends over HTTPS
 * from any process (`sendsFrom: 'anywhere'`). Inbound message ids are `${chat}:${message_id}`
 * (Telegram numbers messages per chat), button presses `cb:${callback_query.id}`; a redelivered
 * update therefore carries the same id and the router processes it once.
 */
export class TelegramAdapter implements ChatAdapter {
  readonly platform = 'telegram' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['mention', 'buttons', 'edit', 'direct']);
  readonly sendsFrom = 'anywhere' as const;

  private readonly bot: Telegraf;
  private readonly log: Logger;
  private readonly commandMenus: readonly CommandMenu[];
  private onEvent?: (e: InboundEvent) => Promise<void>;
  private me?: { id: number; username: string };
  /** Updates whose processing failed, so handleWebhook can answer 500 and Telegram retries. */
  private readonly failures = new WeakMap<object, unknown>();
  private readonly handledListeners = new Set<(updateId: number) => void>();
  private polling?: { done: Promise<void>; settled: boolean; startedAt: number };
  private restartTimer?: NodeJS.Timeout;
  private restarts = 0;
  private stopping = false;

  constructor(
    private readonly config: TelegramConfig,
    opts: TelegramAdapterOptions,
  ) {
    this.log = opts.log.child({ part: 'telegram' });
    this.commandMenus = opts.commandMenus ?? [];
    this.bot = new Telegraf(config.token, { telegram: { apiRoot: config.apiRoot, webhookReply: false } });
    // One middleware for every update; a failure is logged and never reaches the poller.
    this.bot.use(async (ctx) => {
      const update = ctx.update;
      try {
        await this.dispatch(update);
      } catch (err) {
        this.failures.set(update, err);
        this.log.error({ err, updateId: update.update_id }, 'telegram update failed');
      } finally {
        for (const listener of this.handledListeners) listener(update.update_id);
      }
    });
    // telegraf's own failures (its handler timeout): logged, not rethrown (that would stop polling).
    this.bot.catch((err, ctx) => {
      this.failures.set(ctx.update, err);
      this.log.error({ err, updateId: ctx.update.update_id }, 'telegram update failed');
    });
  }

  /** Webhook mode (TELEGRAM_WEBHOOK_URL set) rather than long polling. */
  get usesWebhook(): boolean {
    return this.config.webhookUrl !== undefined;
  }

  /** The bot's own Telegram account, known once started. */
  get botUser(): { id: number; username: string } | undefined {
    return this.me;
  }

  /**
   * Connects: reads the bot's identity (getMe), registers the `/` command menu (best effort), then
   * either sets the webhook (with its secret_token) or starts long polling in the background.
   * Throws, with an Error starting `Linli:`, when the token is refused or the API is unreachable.
   */
  async start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    this.stopping = false;
    const me = await withTimeout(this.bot.telegram.getMe(), startTimeoutMs).catch((err: unknown) => {
      if (err instanceof TelegramError && (err.code === 401 || err.code === 404)) {
        throw new Error(`Linli: Telegram refused TELEGRAM_BOT_TOKEN (${err.code} ${err.description}); check it with @BotFather`);
      }
      throw new Error(`Linli: Telegram could not be reached at ${this.config.apiRoot}: ${describe(err)}`);
    });
    this.bot.botInfo = me;
    this.me = { id: me.id, username: me.username };
    this.onEvent = onEvent;
    if (me.can_read_all_group_messages === false) {
      // Privacy mode: groups deliver only /commands, @mentions and replies, not `需求 …` or `+1 3`.
      this.log.warn(
        { username: me.username },
        'telegram privacy mode is on: in groups the bot sees only /commands, @mentions and replies; turn it off in @BotFather (/setprivacy → Disable) or make the bot a group admin',
      );
    }
    void this.registerCommands();
    if (this.config.webhookUrl) {
      await this.bot.telegram.setWebhook(this.config.webhookUrl, {
        secret_token: this.config.webhookSecret,
        allowed_updates: [...allowedUpdates],
      });
      this.log.info({ username: me.username, url: this.config.webhookUrl }, 'telegram webhook set');
    } else {
      this.startPolling();
      this.log.info({ username: me.username }, 'telegram long polling started');
    }
  }

  /**
   * Stops receiving: ends long polling after the updates in hand are processed. The webhook is
   * left in place (another process may be serving it during a rolling restart).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const polling = this.polling;
    if (polling) {
      // launch() may still be in deleteWebhook, before telegraf knows it is polling.
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          this.bot.stop('linli stop');
          break;
        } catch {
          if (polling.settled || Date.now() > deadline) break;
          await sleep(10);
        }
      }
      await withTimeout(polling.done, 10_000).catch(() => undefined);
      this.polling = undefined;
    }
    this.onEvent = undefined;
  }

  /**
   * One webhook call, as the web server receives it at {@link telegramWebhookPath}. The secret
   * header is compared in constant time; a mismatch answers 401 and nothing is processed.
   * Answers 200 once the update is handled, 500 when handling failed (Telegram then retries, and
   * the router recognises a message it already recorded), 503 before start.
   */
  async handleWebhook(body: unknown, secretHeader: string | undefined): Promise<{ status: number }> {
    if (!this.config.webhookUrl) return { status: 404 };
    if (!secretMatches(secretHeader, this.config.webhookSecret)) {
      this.log.warn('telegram webhook call with a wrong secret token refused');
      return { status: 401 };
    }
    if (!isUpdate(body)) return { status: 400 };
    if (!this.onEvent) return { status: 503 };
    await this.bot.handleUpdate(body);
    return { status: this.failures.has(body) ? 500 : 200 };
  }

  /**
   * Calls `listener` with each update's id once it has been handled (processed, ignored or failed).
   * For tests and metrics; returns the function that unsubscribes.
   */
  onUpdateHandled(listener: (updateId: number) => void): () => void {
    this.handledListeners.add(listener);
    return () => this.handledListeners.delete(listener);
  }

  /**
   * Sends one message. `mention` becomes a leading `@name` with a text_mention entity (it notifies
   * the person even without a username); `replyTo` threads the reply when it names a message of
   * this chat; buttons become an inline keyboard whose callback_data is the payload. Throws a
   * DeliveryError: `rate-limited` on 429 (Telegram's retry_after), `blocked` when the person
   * blocked the bot or the chat is gone, `transient` otherwise.
   */
  async send(to: ConversationRef, msg: OutboundMessage): Promise<SendResult> {
    const { text, entities } = withMention(msg);
    const replyTo = replyTarget(msg.replyTo, to.chatId);
    const keyboard = this.keyboard(msg.buttons);
    try {
      const sent = await this.bot.telegram.sendMessage(to.chatId, text, {
        ...(entities.length ? { entities } : {}),
        ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
        ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        link_preview_options: { is_disabled: true },
      });
      return { messageId: `${to.chatId}:${sent.message_id}` };
    } catch (err) {
      throw toDeliveryError(err, to);
    }
  }

  // -------------------------------------------------------------------------------------------

  private startPolling(): void {
    const state = { done: Promise.resolve(), settled: false, startedAt: Date.now() };
    state.done = this.bot
      .launch({ allowedUpdates: [...allowedUpdates] })
      .catch((err: unknown) => {
        if (this.stopping) return;
        // Another process polling with this token (409), a revoked token (401), …: try again later.
        if (Date.now() - state.startedAt > 60_000) this.restarts = 0;
        const delay = Math.min(60_000, 1000 * 2 ** this.restarts++);
        this.log.error({ err: describe(err), retryInMs: delay }, 'telegram long polling stopped');
        this.restartTimer = setTimeout(() => {
          if (!this.stopping) this.startPolling();
        }, delay);
      })
      .finally(() => {
        state.settled = true;
      });
    this.polling = state;
  }

  private async registerCommands(): Promise<void> {
    for (const menu of this.commandMenus) {
      try {
        const commands = menu.commands.map((c) => ({ command: c.command, description: c.description }));
        await this.bot.telegram.setMyCommands(commands, menu.language ? { language_code: menu.language } : undefined);
      } catch (err) {
        this.log.warn({ err: describe(err), language: menu.language }, 'telegram setMyCommands failed; the command menu is not registered');
      }
    }
  }

  private async dispatch(update: Update): Promise<void> {
    const onEvent = this.onEvent;
    const me = this.me;
    if (!onEvent || !me) return;
    let event: InboundEvent | null = null;
    if ('message' in update) event = messageToEvent(update.message, me);
    else if ('callback_query' in update) event = this.callbackToEvent(update.callback_query);
    if (event) await onEvent(event);
  }

  private callbackToEvent(q: CallbackQuery): InboundEvent | null {
    // Stop the button's spinner whatever happens next; an old query (400) is not worth a retry.
    this.bot.telegram.answerCbQuery(q.id).catch((err: unknown) => this.log.warn({ err: describe(err) }, 'answerCallbackQuery failed'));
    if (!('data' in q) || !q.data || q.from.is_bot) return null;
    const chat = q.message?.chat;
    const ref: ConversationRef | null = chat ? chatRef(chat) : { platform: 'telegram', chatId: String(q.from.id), kind: 'direct' };
    if (!ref) return null;
    return {
      platform: 'telegram',
      messageId: `cb:${q.id}`,
      chat: ref,
      sender: { userId: String(q.from.id), displayName: displayNameOf(q.from) },
      text: q.data,
      buttonPayload: q.data,
    };
  }

  private keyboard(buttons: OutboundMessage['buttons']): InlineKeyboardButton[][] | undefined {
    if (!buttons?.length) return undefined;
    const usable = buttons.filter((b) => Buffer.byteLength(b.payload, 'utf8') <= maxCallbackDataBytes);
    if (usable.length < buttons.length) {
      // Telegram refuses the whole message for one long callback_data; the text already says what to type.
      this.log.warn({ dropped: buttons.length - usable.length }, 'telegram buttons dropped: payload over 64 bytes');
    }
    if (!usable.length) return undefined;
    const perRow = usable.every((b) => b.label.length <= 8) ? 2 : 1;
    const rows: InlineKeyboardButton[][] = [];
    for (let i = 0; i < usable.length; i += perRow) {
      rows.push(usable.slice(i, i + perRow).map((b) => ({ text: b.label, callback_data: b.payload })));
    }
    return rows;
  }
}

// ---------------------------------------------------------------------------------------------
// Inbound mapping: pure functions over Bot API objects.

/** A Telegram chat as a ConversationRef; channels are not Linli's business (null). */
function chatRef(chat: { id: number; type: string }): ConversationRef | null {
  if (chat.type === 'private') return { platform: 'telegram', chatId: telegramChatId(chat.id), kind: 'direct' };
  if (chat.type === 'group' || chat.type === 'supergroup') return { platform: 'telegram', chatId: telegramChatId(chat.id), kind: 'group' };
  return null;
}

/**
 * A text message (or a captioned photo) as an InboundEvent, or null for what Linli ignores:
 * other bots, service messages, channels, commands addressed to another bot.
 */
export function messageToEvent(m: Message, me: { id: number; username: string }): InboundEvent | null {
  const text = 'text' in m ? m.text : 'caption' in m ? m.caption : undefined;
  if (text === undefined || !m.from || m.from.is_bot) return null;
  const ref = chatRef(m.chat);
  if (!ref) return null;
  const entities: readonly MessageEntity[] = ('entities' in m ? m.entities : 'caption_entities' in m ? m.caption_entities : undefined) ?? [];
  if (commandForAnotherBot(text, entities, me.username)) return null;

  const username = me.username.toLowerCase();
  const ours = entities.filter(
    (e) =>
      (e.type === 'mention' && text.slice(e.offset + 1, e.offset + e.length).toLowerCase() === username) ||
      (e.type === 'text_mention' && e.user.id === me.id),
  );
  const reply = 'reply_to_message' in m ? m.reply_to_message : undefined;
  return {
    platform: 'telegram',
    messageId: `${m.chat.id}:${m.message_id}`,
    chat: ref,
    sender: { userId: String(m.from.id), displayName: displayNameOf(m.from) },
    text: ours.length ? cutSpans(text, ours) : text,
    mentionsBot: ours.length > 0,
    replyToBot: reply?.from?.id === me.id,
    receivedAt: new Date(m.date * 1000),
  };
}

/** `/help@other_bot` in a group with several bots is for that bot. */
function commandForAnotherBot(text: string, entities: readonly MessageEntity[], username: string): boolean {
  const command = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!command) return false;
  const at = text.slice(0, command.length).indexOf('@');
  return at >= 0 && text.slice(at + 1, command.length).toLowerCase() !== username.toLowerCase();
}

/** Removes the spans (UTF-16 offsets, as Telegram's); a span between two words leaves one space. */
function cutSpans(text: string, spans: readonly MessageEntity[]): string {
  let out = text;
  for (const s of [...spans].sort((a, b) => b.offset - a.offset)) {
    const before = out.slice(0, s.offset);
    const after = out.slice(s.offset + s.length);
    const joiner = before && after && !/\s$/.test(before) && !/^\s/.test(after) ? ' ' : '';
    out = before + joiner + after;
  }
  return out.trim();
}

/** Telegram shows `first_name last_name`; without either, the username. */
function displayNameOf(u: User): string {
  const name = [u.first_name, u.last_name].map((s) => s?.trim() ?? '').filter(Boolean);
  const joined = name.length === 2 && name.every((s) => /^[\p{Script=Han}·]+$/u.test(s)) ? name.join('') : name.join(' ');
  return (joined || u.username || String(u.id)).slice(0, 200);
}

// ---------------------------------------------------------------------------------------------
// Outbound helpers.

function withMention(msg: OutboundMessage): { text: string; entities: MessageEntity[] } {
  const entities: MessageEntity[] = [];
  let text = msg.text;
  if (msg.mention) {
    const name = msg.mention.displayName || msg.mention.userId;
    const tag = `@${name}`;
    text = `${tag} ${text}`;
    const userId = Number(msg.mention.userId);
    if (Number.isSafeInteger(userId) && userId > 0) {
      entities.push({ type: 'text_mention', offset: 0, length: tag.length, user: { id: userId, is_bot: false, first_name: name } });
    }
  }
  if (text.length > maxTextLength) text = `${text.slice(0, maxTextLength - 1)}…`;
  return { text, entities };
}

/** The message_id to reply to, when `replyTo` (`${chat}:${id}`) names a message of this chat. */
function replyTarget(replyTo: string | undefined, chatId: string): number | undefined {
  const m = replyTo ? /^(-?\d+):(\d+)$/.exec(replyTo) : null;
  if (!m || m[1] !== chatId) return undefined;
  return Number(m[2]);
}

/** What the outbound queue should do about a failed send. */
function toDeliveryError(err: unknown, to: ConversationRef): DeliveryError {
  if (err instanceof TelegramError) {
    const what = `telegram ${to.kind} ${to.chatId}: ${err.code} ${err.description}`;
    if (err.code === 429) return new DeliveryError('rate-limited', what, Math.max(1, err.parameters?.retry_after ?? 1) * 1000);
    if (err.code === 403) return new DeliveryError('blocked', what);
    const migrated = err.parameters?.migrate_to_chat_id;
    if (err.code === 400 && (migrated !== undefined || /chat not found|PEER_ID_INVALID|user is deactivated|bot was kicked/i.test(err.description))) {
      return new DeliveryError('blocked', migrated !== undefined ? `${what} (now supergroup ${migrated})` : what);
    }
    return new DeliveryError('transient', what);
  }
  return new DeliveryError('transient', `telegram ${to.kind} ${to.chatId}: ${describe(err)}`);
}

// ---------------------------------------------------------------------------------------------

function secretMatches(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  // Equal-length digests, so the comparison takes the same time whatever was sent.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function isUpdate(body: unknown): body is Update {
  return typeof body === 'object' && body !== null && typeof (body as { update_id?: unknown }).update_id === 'number';
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
