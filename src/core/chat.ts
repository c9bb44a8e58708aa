import { z } from 'zod';

/**
 * The chat vocabulary core shares with adapters: platforms, conversations and what the bot says.
 * Adapters (src/bots) re-export it; core never imports from src/bots.
 */

/** The chat platforms Linli speaks on. Same values as the Prisma `Platform` enum. */
export const platforms = ['web', 'telegram', 'wechat', 'wecom'] as const;
export type Platform = (typeof platforms)[number];

/**
 * A platform id: what Postgres can store and what compares equal only when it is equal (no NUL,
 * no lone surrogates, which would be silently replaced and make two ids one).
 */
export const platformId = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !/[\u0000\p{Cs}]/u.test(s), 'id holds NUL or a lone surrogate');

/** Where a message goes or came from: one chat on one platform. */
export const conversationRefSchema = z.object({
  platform: z.enum(platforms),
  /** The platform's chat id: a group's id, or the user's id for a private chat. */
  chatId: platformId,
  kind: z.enum(['group', 'direct']),
});
export type ConversationRef = z.infer<typeof conversationRefSchema>;

/** A button on an outbound message: a label and the text it sends back when pressed. */
export const buttonSchema = z.object({ label: z.string().min(1).max(40), payload: z.string().min(1).max(64) });
export type Button = z.infer<typeof buttonSchema>;

/** What the bot says: JSON-safe, so it travels through BullMQ as job data. */
export const outboundMessageSchema = z.object({
  text: z.string().min(1).max(4000),
  /** Choices; adapters without the `buttons` capability drop them (the text already says `回复 1 / 2`). */
  buttons: z.array(buttonSchema).max(8).optional(),
  /** The user to @mention at the start of a group reply, where the platform can. */
  mention: z.object({ userId: z.string(), displayName: z.string() }).optional(),
  /** The inbound message this answers, where the platform threads replies. */
  replyTo: z.string().optional(),
});
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;
