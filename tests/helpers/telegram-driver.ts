// Telegram as a transcript driver, over telegram-test-api (a Bot API emulator): people's messages
// are put into the emulator as updates, the adapter under test fetches them by long polling as it
// would from Telegram, and the bot's replies are read back from what it sent to the emulator.
// Also here: a small Bot API proxy that can answer some calls itself (429, 403) for fault tests.
import type { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { TelegramAdapter } from '../../src/bots/telegram/telegram-adapter.ts';
import type { Harness } from './harness.ts';
import type { Step, TranscriptDriver } from './transcript.ts';

/** What the emulator's getMe answers (it is fixed in telegram-test-api). */
export const emulatorBot = { id: 666, username: 'TestNameBot', first_name: 'Test First name' } as const;

export interface TelegramEmulator {
  server: TelegramServer;
  /**
   * The Bot API root to give the adapter (TELEGRAM_API_ROOT): the emulator behind a front that
   * holds an empty getUpdates until an update arrives (up to 2 s), as Telegram's long polling
   * does; the emulator alone answers at once and the poller spins.
   */
  apiRoot: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (telegraf keeps sockets alive: use a fresh one per file). */
export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (!addr || typeof addr !== 'object') throw new Error('no free port');
  return addr.port;
}

/** Starts telegram-test-api on a fresh port; messages are kept an hour (its default is 60 s). */
export async function startTelegramEmulator(): Promise<TelegramEmulator> {
  const port = await freePort();
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });
  await server.start();
  const front = await startBotApiProxy(server.config.apiURL, { wake: server });
  return {
    server,
    apiRoot: front.apiRoot,
    async stop() {
      await front.close();
      await server.stop();
    },
  };
}

/** The events the emulator emits when a person's update is stored. */
const userUpdateEvents = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'] as const;

type StoredUserUpdate = TelegramServer['storage']['userMessages'][number];
type StoredBotUpdate = TelegramServer['storage']['botMessages'][number];

export interface TelegramDriverOptions {
  emulator: TelegramEmulator;
  /** The adapter the harness runs; the driver waits until it has handled each update. */
  adapter: TelegramAdapter;
  token: string;
  /** The bot's display name as transcripts write it: `@邻里助手` becomes `@TestNameBot`. */
  botName?: string;
}

/**
 * A transcript driver for Telegram. Groups are supergroups with negative ids (one per alias),
 * people get numeric user ids with first_name = their transcript name. `@<botName>` in what
 * people type becomes a real Telegram mention of the bot's username (with its `mention`
 * entity), `/command` gets its `bot_command` entity, `(reply)` replies to the bot's last message
 * in that chat and `(again)` puts the very same update (same update_id and message_id) into the
 * emulator once more, as Telegram does when a delivery is not confirmed.
 */
export function telegramDriver(h: Harness, opts: TelegramDriverOptions): TelegramDriver {
  return new TelegramDriver(h, opts);
}

export class TelegramDriver implements TranscriptDriver {
  readonly platform = 'telegram' as const;
  private readonly groups = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private previous?: StoredUserUpdate;
  private botSeen = 0;
  private readonly botName: string;

  constructor(
    private readonly h: Harness,
    private readonly opts: TelegramDriverOptions,
  ) {
    this.botName = opts.botName ?? '邻里助手';
  }

  private get server(): TelegramServer {
    return this.opts.emulator.server;
  }

  groupChatId(alias: string): string {
    return String(this.groupId(alias));
  }

  userId(person: string): string {
    return String(this.userNumber(person));
  }

  groupId(alias: string): number {
    let id = this.groups.get(alias);
    if (id === undefined) {
      id = -1001000000001 - this.groups.size;
      this.groups.set(alias, id);
    }
    return id;
  }

  userNumber(person: string): number {
    let id = this.users.get(person);
    if (id === undefined) {
      id = 10001 + this.users.size;
      this.users.set(person, id);
    }
    return id;
  }

  async say(step: Extract<Step, { kind: 'say' }>): Promise<void> {
    if (step.again) {
      if (!this.previous) throw new Error(`line ${step.line}: (again) with nothing said before`);
      await this.redeliver(this.previous);
      return;
    }
    const from = { id: this.userNumber(step.person), is_bot: false, first_name: step.person, language_code: 'zh-hans' };
    const chat =
      step.conv === 'dm'
        ? { id: from.id, type: 'private' as const, first_name: step.person }
        : { id: this.groupId(step.conv), type: 'supergroup' as const, title: step.conv };
    const { text, entities } = this.platformText(step.text);
    const message: Record<string, unknown> = { from, chat, date: Math.floor(Date.now() / 1000), text };
    if (entities.length) message.entities = entities;
    if (step.reply) {
      const last = this.lastBotMessage(chat.id);
      if (!last) throw new Error(`line ${step.line}: (reply) but the bot has said nothing in ${step.conv}`);
      message.reply_to_message = {
        message_id: last.messageId,
        from: { id: emulatorBot.id, is_bot: true, first_name: emulatorBot.first_name, username: emulatorBot.username },
        chat,
        date: Math.floor(last.time / 1000),
        text: last.message.text,
      };
    }
    this.previous = await this.deliver(message);
  }

  /** Puts a raw message update into the emulator and waits until the adapter has handled it. */
  async deliver(message: Record<string, unknown>): Promise<StoredUserUpdate> {
    // The emulator stores the update synchronously inside addUserMessage (no webhook set).
    const adding = this.server.addUserMessage({ ...message, botToken: this.opts.token } as Parameters<TelegramServer['addUserMessage']>[0]);
    const stored = this.server.storage.userMessages.at(-1);
    if (!stored) throw new Error('the emulator did not store the update');
    const handled = this.handled(stored.updateId);
    await adding;
    await handled;
    return stored;
  }

  /** A button press on one of the bot's messages in `chatId`, by `person`. */
  async press(person: string, chatId: number, data: string): Promise<void> {
    const from = { id: this.userNumber(person), is_bot: false, first_name: person };
    const last = this.lastBotMessage(chatId);
    const chat = chatId < 0 ? { id: chatId, type: 'supergroup' as const, title: 'group' } : { id: chatId, type: 'private' as const, first_name: person };
    const adding = this.server.addUserCallback({
      botToken: this.opts.token,
      date: Math.floor(Date.now() / 1000),
      from,
      data,
      message: { message_id: last?.messageId ?? 1, from: { id: emulatorBot.id, is_bot: true, first_name: emulatorBot.first_name }, chat, date: 0, text: last?.message.text ?? '' },
    } as unknown as Parameters<TelegramServer['addUserCallback']>[0]);
    const stored = this.server.storage.userMessages.at(-1);
    if (!stored) throw new Error('the emulator did not store the callback');
    const handled = this.handled(stored.updateId);
    await adding;
    await handled;
  }

  /** The same update once more: same update_id, same message_id. */
  async redeliver(stored: StoredUserUpdate): Promise<void> {
    const handled = this.handled(stored.updateId);
    this.server.storage.userMessages.push({ ...stored, isRead: false });
    this.server.emit('AddedUserMessage');
    await handled;
  }

  async collect(): Promise<string[]> {
    await this.h.drain();
    const sent = this.server.storage.botMessages.slice(this.botSeen);
    this.botSeen += sent.length;
    return sent
      .filter((u) => u.botToken === this.opts.token)
      .map((u) => ({ conv: this.convOf(Number(u.message.chat_id)), id: u.messageId, text: u.message.text }))
      .sort((a, b) => a.conv.localeCompare(b.conv) || a.id - b.id)
      .map((r) => `bot @${r.conv}: ${r.text}`);
  }

  /** The bot's messages to `chatId` so far, as the emulator stored them. */
  botMessages(chatId?: number): StoredBotUpdate[] {
    return this.server.storage.botMessages.filter(
      (u) => u.botToken === this.opts.token && (chatId === undefined || Number(u.message.chat_id) === chatId),
    );
  }

  private lastBotMessage(chatId: number): StoredBotUpdate | undefined {
    return this.botMessages(chatId).at(-1);
  }

  private convOf(chatId: number): string {
    for (const [alias, id] of this.groups) if (id === chatId) return alias;
    for (const [name, id] of this.users) if (id === chatId) return `dm:${name}`;
    return String(chatId);
  }

  /** `@邻里助手` → `@TestNameBot` with a mention entity; `/cmd` with its bot_command entity. */
  private platformText(typed: string): { text: string; entities: Array<{ type: string; offset: number; length: number }> } {
    const entities: Array<{ type: string; offset: number; length: number }> = [];
    const tag = `@${emulatorBot.username}`;
    const parts = typed.split(`@${this.botName}`);
    let text = parts[0] ?? '';
    for (const part of parts.slice(1)) {
      entities.push({ type: 'mention', offset: text.length, length: tag.length });
      text += tag + part;
    }
    const command = /^\/[A-Za-z]+(?:@[A-Za-z0-9_]+)?/.exec(text);
    if (command) entities.unshift({ type: 'bot_command', offset: 0, length: command[0].length });
    return { text, entities };
  }

  private handled(updateId: number, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`the Telegram adapter did not handle update ${updateId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.opts.adapter.onUpdateHandled((id) => {
        if (id !== updateId) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------

export interface ProxiedCall {
  method: string;
  payload: Record<string, unknown>;
  /** The bot token in the call's URL (/bot<token>/<method>). */
  token: string;
}

/** What the proxy answers instead of the emulator, or undefined to pass the call on. */
export type Intercept = (call: ProxiedCall) => { status: number; body: unknown } | undefined;

export interface BotApiProxy {
  apiRoot: string;
  /** Every call but getUpdates, in order, including intercepted ones. */
  calls: ProxiedCall[];
  intercept?: Intercept;
  close(): Promise<void>;
}

/**
 * A Bot API in front of the emulator that can answer some calls itself: what Telegram does that
 * the emulator cannot (429 with retry_after, 403 for a blocked user).
 */
export async function startBotApiProxy(target: string, opts: { wake?: EventEmitter } = {}): Promise<BotApiProxy> {
  const proxy: BotApiProxy = { apiRoot: '', calls: [], close: async () => undefined };
  // Counts the emulator's new updates, so a getUpdates that raced one does not sleep through it.
  let generation = 0;
  const bump = () => void generation++;
  for (const e of userUpdateEvents) opts.wake?.on(e, bump);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const method = /\/bot[^/]+\/([A-Za-z]+)/.exec(req.url ?? '')?.[1] ?? '';
        let payload: Record<string, unknown> = {};
        try {
          payload = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
        } catch {
          payload = {};
        }
        const token = /\/bot([^/]+)\//.exec(req.url ?? '')?.[1] ?? '';
        const call = { method, payload, token };
        if (method !== 'getUpdates') proxy.calls.push(call);
        const answer = proxy.intercept?.(call);
        if (answer) {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer.body));
          return;
        }
        const forward = async () => {
          const upstream = await fetch(`${target}${req.url ?? ''}`, {
            method: req.method,
            headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
            body: req.method === 'GET' ? undefined : body,
          });
          return { status: upstream.status, type: upstream.headers.get('content-type') ?? 'application/json', body: Buffer.from(await upstream.arrayBuffer()) };
        };
        try {
          const seen = generation;
          let answer = await forward();
          const holdMs = Math.min(2000, Number(payload.timeout ?? 0) * 1000);
          if (method === 'getUpdates' && opts.wake && holdMs > 0 && isEmptyResult(answer.body)) {
            if (generation === seen) await waitFor(opts.wake, userUpdateEvents, holdMs);
            if (!res.destroyed) answer = await forward();
          }
          res.writeHead(answer.status, { 'content-type': answer.type });
          res.end(answer.body);
        } catch (err) {
          if (!res.headersSent) res.writeHead(502);
          res.end(String(err));
        }
      })();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  proxy.apiRoot = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const e of userUpdateEvents) opts.wake?.off(e, bump);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

function isEmptyResult(body: Buffer): boolean {
  try {
    const r = JSON.parse(body.toString('utf8')) as { ok?: boolean; result?: unknown };
    return r.ok === true && Array.isArray(r.result) && r.result.length === 0;
  } catch {
    return false;
  }
}

/** Resolves on the first of `events`, or after `ms`. */
function waitFor(emitter: EventEmitter, events: readonly string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const e of events) emitter.off(e, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const e of events) emitter.on(e, done);
  });
}
