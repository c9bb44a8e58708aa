import { AppError } from '../lib/errors.ts';
import type { ConversationRef, OutboundMessage, ParsedInboundEvent } from '../bots/types.ts';
import type { CoreContext } from '../core/context.ts';
import type { GroupInfo } from '../core/groups/group-directory.ts';
import type { Effect, SendEffect } from '../core/effects.ts';
import { t, type Locale, type MessageKey } from './messages.ts';
import type { SessionKey, SessionStore } from '../core/sessions/session-store.ts';

const maxReplyChars = 4000;

/** A private message about "my community" from someone never seen in a bound group. */
export class PrivateWithoutCommunity extends Error {
  override name = 'PrivateWithoutCommunity';
}

export interface TurnCommunity {
  id: number;
  code: string;
  name: string;
  timezone: string;
  locale: string;
}

/**
 * One inbound message being answered: who said what where, in which language, and the effects
 * decided so far (replies, notices, broadcasts, reminders). Handlers add them through it and never
 * send anything themselves: the executor (jobs/effects.ts) carries them out after the turn.
 */
export class Turn {
  readonly events: Effect[] = [];
  private replies = 0;
  /**
   * The flow that was waiting in this chat when these words came aside of it (a reminder's 1 / 2):
   * a question asked now remembers it, so that flow waits again once the question is answered.
   */
  waiting?: string;

  constructor(
    readonly ctx: CoreContext,
    readonly sessions: SessionStore,
    readonly event: ParsedInboundEvent,
    /** The normalised text (Simplified, half-width, mentions stripped). */
    readonly text: string,
    readonly locale: Locale,
    readonly personId: number,
    /** The group the message came from, when it came from a group. */
    readonly group: GroupInfo | null,
    /** The community the message is about: the group's, or in private the person's home community. */
    readonly community: TurnCommunity | null,
    readonly botName: string,
  ) {}

  /**
   * The community this turn is about; GROUP_NOT_BOUND in an unbound group, and in private from
   * someone never seen in a bound group, PrivateWithoutCommunity (the router says what to do).
   */
  requireCommunity(): TurnCommunity {
    if (this.community) return this.community;
    if (this.inGroup) throw new AppError('GROUP_NOT_BOUND');
    throw new PrivateWithoutCommunity();
  }

  get inGroup(): boolean {
    return this.event.chat.kind === 'group';
  }

  get sessionKey(): SessionKey {
    return { platform: this.event.platform, chatId: this.event.chat.chatId, userId: this.event.sender.userId };
  }

  /** The sender's private chat with the bot on this platform. */
  get direct(): ConversationRef {
    return { platform: this.event.platform, chatId: this.event.sender.userId, kind: 'direct' };
  }

  /** A message in the sender's language. */
  say(key: MessageKey, params: Record<string, string | number> = {}): string {
    return t(this.locale, key, params);
  }

  /** Replies where the message came from; in a group the reply @-mentions the sender. */
  reply(text: string, extra: Omit<OutboundMessage, 'text'> = {}): void {
    const message: OutboundMessage = { text, replyTo: this.event.messageId, ...extra };
    if (this.inGroup) message.mention = { userId: this.event.sender.userId, displayName: this.event.sender.displayName };
    this.send(this.event.chat, message);
  }

  /** Sends to the sender in private (personal matters never go to the group). */
  replyPrivately(text: string, extra: Omit<OutboundMessage, 'text'> = {}): void {
    this.send(this.direct, { text, ...extra });
  }

  /** Adds what a use case decided (notices, a broadcast to fan out, reminders to plan). */
  apply(effects: readonly Effect[]): void {
    this.events.push(...effects);
  }

  /** Queues ready-made messages (a welcome, a list of messages already in words). */
  push(items: readonly SendEffect[]): void {
    this.events.push(...items);
  }

  private send(to: ConversationRef, raw: OutboundMessage): void {
    // A reply fits any platform's message: at most 4,000 characters.
    const message = raw.text.length > maxReplyChars ? { ...raw, text: `${raw.text.slice(0, maxReplyChars - 1)}…` } : raw;
    const key = `in:${this.event.platform}:${this.event.messageId}:${this.replies++}`;
    this.events.push({ kind: 'send', key, to, message });
  }
}
