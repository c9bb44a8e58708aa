// Local stand-ins for platforms' sending APIs that enforce their published limits, so a benchmark
// can measure how close Linli's outbound queue gets to a limit without breaking it.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface LimitedEndpoint {
  url: string;
  /** Epoch ms of every accepted message, in order. */
  accepted: number[];
  /** Accepted messages per chat (Telegram chat_id, WeCom robot key): a count above 1 for a broadcast is a duplicate. */
  perChat: Map<string, number>;
  /** The chat (Telegram) or robot key (WeCom) and the text of each accepted message, in the same order. */
  acceptedChats: string[];
  acceptedTexts: string[];
  /** Requests refused for a broken limit (Telegram 429, WeCom errcode 45009). */
  refused: number;
  close(): Promise<void>;
}

/**
 * Limits a platform states as "N per second overall" and "M per minute per chat", enforced the
 * strict way: a token bucket holding one second's worth for the overall rate, and a sliding window
 * for each chat (any 60 s may hold at most M).
 */
class Limits {
  private tokens: number;
  private last = Date.now();
  private readonly perChat = new Map<string, number[]>();
  constructor(
    private readonly overallPerSecond: number,
    private readonly chatMax: number,
    private readonly chatWindowMs: number,
  ) {
    this.tokens = overallPerSecond;
  }

  /** True (and counted) when a message may go now. */
  take(chat: string, now = Date.now()): boolean {
    this.tokens = Math.min(this.overallPerSecond, this.tokens + ((now - this.last) / 1000) * this.overallPerSecond);
    this.last = now;
    const recent = (this.perChat.get(chat) ?? []).filter((t) => now - t < this.chatWindowMs);
    if (this.tokens < 1 || recent.length >= this.chatMax) {
      this.perChat.set(chat, recent);
      return false;
    }
    this.tokens -= 1;
    recent.push(now);
    this.perChat.set(chat, recent);
    return true;
  }
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (s += c));
    req.on('end', () => ok(s));
    req.on('error', fail);
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      ok(`http://127.0.0.1:${a && typeof a === 'object' ? a.port : 0}`);
    });
  });
}

/**
 * The Bot API's sendMessage with Telegram's published limits (30 messages/s overall, 20/min per
 * group), multiplied by `scale`; a broken limit answers 429 with `retry_after` as Telegram does.
 */
export async function fakeTelegramApi(opts: { scale: number }): Promise<LimitedEndpoint> {
  const limits = new Limits(30 * opts.scale, 20 * opts.scale, 60_000);
  const endpoint: LimitedEndpoint = { url: '', accepted: [], perChat: new Map(), acceptedChats: [], acceptedTexts: [], refused: 0, close: async () => undefined };
  let id = 0;
  const polls = new Set<NodeJS.Timeout>();
  const server = createServer(async (req, res) => {
    const text = await body(req);
    res.setHeader('content-type', 'application/json');
    // Enough of the rest for a long-polling `bots` process to start and idle: who the bot is, and
    // no updates (held up to a second, as a long poll is).
    if (req.url?.endsWith('/getMe')) {
      res.end(JSON.stringify({ ok: true, result: { id: 900001, is_bot: true, first_name: '邻里助手', username: 'linli_bench_bot' } }));
      return;
    }
    if (req.url?.endsWith('/getUpdates')) {
      const t = setTimeout(() => {
        polls.delete(t);
        res.end(JSON.stringify({ ok: true, result: [] }));
      }, 1000);
      polls.add(t);
      return;
    }
    if (!req.url?.endsWith('/sendMessage')) {
      res.end(JSON.stringify({ ok: true, result: true }));
      return;
    }
    const payload = JSON.parse(text || '{}') as { chat_id?: string | number; text?: string };
    const chat = String(payload.chat_id ?? '');
    if (!limits.take(chat)) {
      endpoint.refused++;
      res.statusCode = 429;
      res.end(JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }));
      return;
    }
    endpoint.accepted.push(Date.now());
    endpoint.perChat.set(chat, (endpoint.perChat.get(chat) ?? 0) + 1);
    endpoint.acceptedChats.push(chat);
    endpoint.acceptedTexts.push(payload.text ?? '');
    res.end(JSON.stringify({ ok: true, result: { message_id: ++id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: 'supergroup' }, text: payload.text } }));
  });
  server.keepAliveTimeout = 60_000;
  endpoint.url = await listen(server);
  endpoint.close = () =>
    new Promise((ok) => {
      for (const t of polls) clearTimeout(t);
      server.closeAllConnections();
      server.close(() => ok());
    });
  return endpoint;
}

/**
 * WeCom's group-robot webhook with its published limit (20 messages a minute per robot),
 * multiplied by `scale`; beyond it, errcode 45009 as WeCom answers.
 */
export async function fakeWecomRobot(opts: { scale: number }): Promise<LimitedEndpoint> {
  const limits = new Limits(Number.MAX_SAFE_INTEGER, 20 * opts.scale, 60_000);
  const endpoint: LimitedEndpoint = { url: '', accepted: [], perChat: new Map(), acceptedChats: [], acceptedTexts: [], refused: 0, close: async () => undefined };
  const server = createServer(async (req, res) => {
    await body(req);
    res.setHeader('content-type', 'application/json');
    const key = new URL(req.url ?? '/', 'http://x').searchParams.get('key') ?? '';
    if (!limits.take(key)) {
      endpoint.refused++;
      res.end(JSON.stringify({ errcode: 45009, errmsg: 'api freq out of limit' }));
      return;
    }
    endpoint.accepted.push(Date.now());
    endpoint.perChat.set(key, (endpoint.perChat.get(key) ?? 0) + 1);
    endpoint.acceptedChats.push(key);
    endpoint.acceptedTexts.push('');
    res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
  });
  endpoint.url = await listen(server);
  endpoint.close = () => new Promise((ok) => server.close(() => ok()));
  return endpoint;
}

/** Messages per second between the first and the last accepted message. */
export function achievedRate(accepted: readonly number[]): number {
  if (accepted.length < 2) return 0;
  const first = accepted[0] ?? 0;
  const last = accepted[accepted.length - 1] ?? 0;
  return ((accepted.length - 1) * 1000) / Math.max(1, last - first);
}
