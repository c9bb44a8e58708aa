import type { Redis } from 'ioredis';
import type { WebChatLine } from '../bots/web/web-chat-adapter.ts';
import { directPrefix } from '../bots/web/web-chat-adapter.ts';

type Listener = (line: WebChatLine) => void;

/**
 * Fans web chat lines from Redis out to the pages open in this process. A private line
 * (`dm:<persona>`) reaches only that persona's pages.
 */
export class WebChatHub {
  private readonly listeners = new Map<Listener, string>();
  private subscriber?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
  ) {}

  async start(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('error', () => undefined);
    await this.subscriber.subscribe(this.channel);
    this.subscriber.on('message', (_channel: string, payload: string) => {
      let line: WebChatLine;
      try {
        line = JSON.parse(payload) as WebChatLine;
      } catch {
        return;
      }
      for (const [listener, persona] of this.listeners) {
        if (line.conversation.startsWith(directPrefix) && line.conversation !== `${directPrefix}${persona}`) continue;
        listener(line);
      }
    });
  }

  /** Calls `listener` with every line `persona` may see until the returned function is called. */
  subscribe(persona: string, listener: Listener): () => void {
    this.listeners.set(listener, persona);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    await this.subscriber?.quit().catch(() => undefined);
  }
}
