import type { Redis } from 'ioredis';
import { z } from 'zod';
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
    const createdAt = new Date();
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO "WebChatMessage" (conversation, "senderId", "senderName", text, "clientId", "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz AT TIME ZONE 'UTC') ON CONFLICT ("clientId") DO NOTHING RETURNING id`,
      [post.conversation, post.persona, personaName, text, post.clientId, createdAt.toISOString()],
    );
    const id = rows[0]?.id;
    if (id !== undefined) {
      await this.publish({ id, conversation: post.conversation, senderId: post.persona, senderName: personaName, text, createdAt: createdAt.toISOString(), clientId: post.clientId });
    }
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
