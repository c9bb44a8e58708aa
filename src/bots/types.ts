import { z } from 'zod';
import { conversationRefSchema, platformId, platforms } from '../core/chat.ts';
import { cleanLine } from '../lib/clean-text.ts';

export { buttonSchema, conversationRefSchema, outboundMessageSchema, platforms } from '../core/chat.ts';
export type { Button, ConversationRef, OutboundMessage, Platform } from '../core/chat.ts';
import type { ConversationRef, OutboundMessage, Platform } from '../core/chat.ts';

/** What a platform can do; a flow that wants buttons falls back to `回复 1 / 2` text without them. */
export type Capability = 'mention' | 'buttons' | 'edit' | 'direct';

/**
 * One inbound message, normalised by an adapter (satori's decodeMessage). Validated with zod at
 * the router's door: adapters are trusted to map fields, not to have checked them.
 */
export const inboundEventSchema = z.object({
  platform: z.enum(platforms),
  /** The platform's message id; with `platform`, what makes a redelivery recognisable. */
  messageId: platformId,
  chat: conversationRefSchema,
  sender: z.object({
    userId: platformId,
    /** Cleaned (src/lib/clean-text.ts: controls, bidi overrides, lone surrogates): a name is shown in replies, stored and exported. */
    displayName: z
      .string()
      .max(200)
      .default('')
      .transform((s) => cleanLine(s).trim()),
  }),
  /** The text as typed, mentions included. Longer texts are refused by the router, not here. */
  text: z.string().max(200_000),
  /** The bot was @mentioned (platforms that mark mentions out of band set this). */
  mentionsBot: z.boolean().default(false),
  /** The message replies to one of the bot's own messages. */
  replyToBot: z.boolean().default(false),
  /** A button the person pressed, carrying the text it stands for (e.g. "报名 3"). */
  buttonPayload: z.string().max(200).optional(),
  receivedAt: z.coerce.date().optional(),
}).refine((e) => e.chat.platform === e.platform, { message: 'chat is on another platform', path: ['chat', 'platform'] });
export type InboundEvent = z.input<typeof inboundEventSchema>;
export type ParsedInboundEvent = z.output<typeof inboundEventSchema>;

export interface SendOptions {
  key?: string;
}

export interface SendResult {
  /** The platform's id for the message sent, when it gives one. */
  messageId?: string;
}

/**
 * One platform. Modelled on wechaty's puppet: the only code that imports a platform SDK.
 * `start` hands every inbound message to `onEvent`; `send` delivers one message and throws
 * a `DeliveryError` (jobs/outbound) describing whether a retry makes sense.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  readonly capabilities: ReadonlySet<Capability>;
  /**
   * Where its outbound queue may be worked: `anywhere` when sending needs only credentials (an
   * HTTP API: any `workers` process can send), `session` when it needs this adapter's live login or
   * connection (a WeChat puppet, the WeCom bot's WebSocket): then the `bots` process that holds
   * the session works the queue itself.
   */
  readonly sendsFrom: 'anywhere' | 'session';
  start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void>;
  /**
   * Delivers one message. `opts.key` is the outbound job's deterministic key: an adapter whose
   * platform (or store) can refuse a repeat uses it to make a re-run of the same job a no-op.
   */
  send(to: ConversationRef, msg: OutboundMessage, opts?: SendOptions): Promise<SendResult>;
  stop(): Promise<void>;
}

/**
 * A platform's command menu (Telegram's `/` list) in one language, or the default one when
 * `language` (a two-letter ISO 639-1 code) is absent. Data the app hands to an adapter: adapters
 * never read the command registry themselves. JSON-safe.
 */
export interface CommandMenu {
  readonly language?: string;
  readonly commands: ReadonlyArray<{ readonly command: string; readonly description: string }>;
}
