import type { Redis } from 'ioredis';
import { z } from 'zod';
import { MicroBatch } from '../../lib/micro-batch.ts';
import type { PrismaClient } from '../../db/prisma.ts';
import type { Capability, ChatAdapter, ConversationRef, InboundEvent, OutboundMessage, SendOptions, SendResult } from '../types.ts';

/** One line of a web conversation, as the page renders it (JSON-safe). */
export interface WebChatLine {
  id: number;
  conversation: string;
  senderId: string | null;
  senderName: string;
  text: string;
  buttons?: Array<{ label: string; payload: string }>;
  createdAt: string;
  clientId?: string;
}

/** What the page posts when a persona says something. */
export const webChatPostSchema = z.object({
  conversation: z.string().min(1).max(200),
  persona: z.string().min(1).max(100),
  text: z.string().min(1).max(200_000),
  clientId: z.string().min(8).max(100),
  replyToBot: z.boolean().optional(),
});
export type WebChatPost = z.infer<typeof webChatPostSchema>;

export const directPrefix = 'dm:';

/**
 * The built-in web chat, a real adapter like the others (and the one tests drive, as
 * wechaty-puppet-mock serves wechaty). A group conversation's id is the web Group's external id;
 * `dm:<persona>` is a persona's private chat with the bot. Every line, the persona's and the
 * bot's, is kept in WebChatMessage and published on Redis, so any web process can stream it.
 */
export class WebChatAdapter implements ChatAdapter {
  readonly platform = 'web' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['mention', 'buttons', 'direct']);
  readonly sendsFrom = 'anywhere' as const;
  private onEvent?: (e: InboundEvent) => Promise<void>;
  /**
   * Persons' lines, stored and shown in batches: messages posted while one batch is being written
   * go together in the next (one INSERT, one Redis pipeline of PUBLISHes).
   */
  private readonly lines = new MicroBatch<WebChatLine, void>((batch) => this.storeLines(batch));

  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
    private readonly opts: { channel: string; botName: string },
    private readonly pool: import('pg').Pool,
  ) {}

  async start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    this.onEvent = onEvent;
  }

  async stop(): Promise<void> {
    this.onEvent = undefined;
  }

  /**
   * A persona's message from the page: recorded in the transcript (once per clientId), shown to
   * everyone, then handed to the router. Returns after the router has decided its replies.
   */
  async receive(post: WebChatPost, personaName: string): Promise<void> {
    const isDirect = post.conversation.startsWith(directPrefix);
    const text = post.text.slice(0, 4000);
    const createdAt = new Date().toISOString();
    await this.lines.add({ id: 0, conversation: post.conversation, senderId: post.persona, senderName: personaName, text, createdAt, clientId: post.clientId });
    if (!this.onEvent) return;
    await this.onEvent({
      platform: 'web',
      messageId: post.clientId,
      chat: isDirect ? { platform: 'web', chatId: post.persona, kind: 'direct' } : { platform: 'web', chatId: post.conversation, kind: 'group' },
      sender: { userId: post.persona, displayName: personaName },
      text: post.text,
      replyToBot: post.replyToBot ?? false,
    });
  }

  /**
   * Stores persons' lines, each clientId once (a resent POST is shown once: only the first line
   * of a clientId that was new gets an id and is published), then publishes the new ones.
   */
  private async storeLines(batch: WebChatLine[]): Promise<void[]> {
    const { rows } = await this.pool.query<{ id: number; clientId: string }>(
      `INSERT INTO "WebChatMessage" (conversation, "senderId", "senderName", text, "clientId", "createdAt")
       SELECT c, s, n, t, k, a AT TIME ZONE 'UTC'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) WITH ORDINALITY AS l(c, s, n, t, k, a, o)
       ORDER BY o
       ON CONFLICT ("clientId") DO NOTHING RETURNING id, "clientId"`,
      [
        batch.map((l) => l.conversation),
        batch.map((l) => l.senderId),
        batch.map((l) => l.senderName),
        batch.map((l) => l.text),
        batch.map((l) => l.clientId),
        batch.map((l) => l.createdAt),
      ],
    );
    const ids = new Map(rows.map((r) => [r.clientId, r.id]));
    const fresh: WebChatLine[] = [];
    for (const l of batch) {
      const id = ids.get(l.clientId!);
      if (id === undefined) continue;
      ids.delete(l.clientId!); // the same clientId twice in one batch: shown once
      fresh.push({ ...l, id });
    }
    if (fresh.length === 1) await this.publish(fresh[0]!);
    else if (fresh.length > 1) {
      const p = this.redis.pipeline();
      for (const l of fresh) p.publish(this.opts.channel, JSON.stringify(l));
      const results = await p.exec();
      const failed = results?.find(([err]) => err);
      if (failed) throw failed[0];
    }
    return batch.map(() => undefined);
  }

  /** Stores and shows one bot line; the same job key is stored once (a re-run job shows nothing new). */
  async send(to: ConversationRef, msg: OutboundMessage, opts: SendOptions = {}): Promise<SendResult> {
    const conversation = to.kind === 'direct' ? `${directPrefix}${to.chatId}` : to.chatId;
    const text = msg.mention ? `@${msg.mention.displayName || msg.mention.userId} ${msg.text}` : msg.text;
    const createdAt = new Date();
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO "WebChatMessage" (conversation, "senderId", "senderName", text, buttons, "outboundKey", "createdAt")
       VALUES ($1, NULL, $2, $3, $4::jsonb, $5, $6::timestamptz AT TIME ZONE 'UTC') ON CONFLICT ("outboundKey") DO NOTHING RETURNING id`,
      [conversation, this.opts.botName, text, msg.buttons ? JSON.stringify(msg.buttons) : null, opts.key ?? null, createdAt.toISOString()],
    );
    const id = rows[0]?.id;
    if (id === undefined) {
      const existing = await this.prisma.webChatMessage.findUnique({ where: { outboundKey: opts.key ?? '' }, select: { id: true } });
      return { messageId: existing ? String(existing.id) : undefined };
    }
    const line: WebChatLine = { id, conversation, senderId: null, senderName: this.opts.botName, text, createdAt: createdAt.toISOString() };
    if (msg.buttons?.length) line.buttons = msg.buttons;
    await this.publish(line);
    return { messageId: String(id) };
  }

  /** The last lines of a conversation, oldest first. */
  async history(conversation: string, limit = 200): Promise<WebChatLine[]> {
    const rows = await this.prisma.webChatMessage.findMany({
      where: { conversation },
      orderBy: { id: 'desc' },
      take: limit,
    });
    return rows.reverse().map(toLine);
  }

  private async publish(line: WebChatLine): Promise<void> {
    await this.redis.publish(this.opts.channel, JSON.stringify(line));
  }
}

function toLine(row: {
  id: number;
  conversation: string;
  senderId: string | null;
  senderName: string;
  text: string;
  buttons: unknown;
  createdAt: Date;
}): WebChatLine {
  const line: WebChatLine = {
    id: row.id,
    conversation: row.conversation,
    senderId: row.senderId,
    senderName: row.senderName,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
  };
  if (Array.isArray(row.buttons)) line.buttons = row.buttons as WebChatLine['buttons'];
  return line;
}
