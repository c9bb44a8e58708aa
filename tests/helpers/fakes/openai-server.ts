// A local stand-in for an OpenAI-compatible endpoint (OpenAI, DeepSeek, vLLM…), for the LLM tests:
//   POST /v1/chat/completions   → the next scripted reply (or the default responder's), recorded
//   anything else               → 404
// A reply is JSON content (what `response_format` json_schema / json_object asks for), raw content
// (malformed, empty), a tool call, an HTTP status, a hang (never answers) or any of them after a
// delay. Every request body is kept, raw and parsed, so a test can assert on what left the process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type FakeReply =
  | { kind: 'json'; value: unknown }
  | { kind: 'content'; content: string | null }
  | { kind: 'tool'; name: string; arguments: string }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  /** Headers and half a body, then nothing. */
  | { kind: 'stall' }
  /** Any body with any status (an HTML error page from a proxy, say). */
  | { kind: 'raw'; status: number; contentType: string; body: string }
  | { kind: 'delay'; ms: number; then: FakeReply };

export const reply = {
  json: (value: unknown): FakeReply => ({ kind: 'json', value }),
  content: (content: string | null): FakeReply => ({ kind: 'content', content }),
  tool: (name: string, args: unknown): FakeReply => ({ kind: 'tool', name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }),
  status: (status: number, body?: unknown): FakeReply => ({ kind: 'status', status, body }),
  hang: (): FakeReply => ({ kind: 'hang' }),
  stall: (): FakeReply => ({ kind: 'stall' }),
  raw: (status: number, contentType: string, body: string): FakeReply => ({ kind: 'raw', status, contentType, body }),
  delay: (ms: number, then: FakeReply): FakeReply => ({ kind: 'delay', ms, then }),
};

export interface ChatMessage {
  role: string;
  content: string | null;
}

export interface RecordedRequest {
  /** The body exactly as it arrived. */
  raw: string;
  body: {
    model: string;
    messages: ChatMessage[];
    response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean } };
    tools?: unknown[];
    [k: string]: unknown;
  };
  authorization: string | undefined;
  at: number;
}

export class FakeOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: FakeReply[] = [];
  /** What answers once the script is used up; default a 500 naming the missing script. */
  responder: (req: RecordedRequest) => FakeReply = () => reply.status(500, { error: { message: 'no reply scripted', type: 'server_error' } });
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    /** The base URL to configure: http://127.0.0.1:<port>/v1 */
    readonly url: string,
  ) {}

  static async start(): Promise<FakeOpenAiServer> {
    let self: FakeOpenAiServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    if (!addr || typeof addr !== 'object') throw new Error('fake OpenAI server: no address');
    self = new FakeOpenAiServer(server, `http://127.0.0.1:${addr.port}/v1`);
    return self;
  }

  /** Queues replies, answered in order, one per request. */
  next(...replies: FakeReply[]): this {
    this.script.push(...replies);
    return this;
  }

  /** Forgets the recorded requests and any replies still queued. */
  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
  }

  /** Every raw request body, joined: what left the process. */
  sent(): string {
    return this.requests.map((r) => r.raw).join('\n');
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: RecordedRequest['body'];
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'body is not JSON' } }));
      return;
    }
    const recorded: RecordedRequest = { raw, body, authorization: req.headers.authorization, at: Date.now() };
    this.requests.push(recorded);
    await this.answer(res, body, this.script.shift() ?? this.responder(recorded));
  }

  private async answer(res: ServerResponse, body: RecordedRequest['body'], r: FakeReply): Promise<void> {
    switch (r.kind) {
      case 'hang':
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'stall':
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"chatcmpl-stall","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"{\\"intent');
        return;
      case 'raw':
        res.writeHead(r.status, { 'content-type': r.contentType }).end(r.body);
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, r.ms));
        if (res.destroyed) return;
        return this.answer(res, body, r.then);
      case 'status':
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body ?? { error: { message: `status ${r.status}` } }));
        return;
      case 'json':
        return this.complete(res, body, { role: 'assistant', content: JSON.stringify(r.value) });
      case 'content':
        return this.complete(res, body, { role: 'assistant', content: r.content });
      case 'tool':
        return this.complete(res, body, {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: `call_${this.requests.length}`, type: 'function', function: { name: r.name, arguments: r.arguments } }],
        });
    }
  }

  private complete(res: ServerResponse, body: RecordedRequest['body'], message: Record<string, unknown>): void {
    const promptTokens = Math.ceil(JSON.stringify(body.messages ?? []).length / 4);
    const completionTokens = Math.ceil(String(message.content ?? JSON.stringify(message.tool_calls ?? '')).length / 4);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop', logprobs: null }],
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      }),
    );
  }
}

/** A port nothing listens on (a server opened and closed): connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!addr || typeof addr !== 'object') throw new Error('no port');
  return `http://127.0.0.1:${addr.port}/v1`;
}
