import { AppError } from '../lib/errors.ts';
import type { ConversationRef, OutboundMessage, ParsedInboundEvent } from '../bots/types.ts';
import type { CoreContext } from '../core/context.ts';
import type { GroupInfo } from '../core/groups/group-directory.ts';
import type { FlowEvent } from './events.ts';
import { t, type Locale, type MessageKey } from './messages.ts';
import type { SessionKey, SessionStore } from './session-store.ts';

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
 * One inbound message being answered: who said what where, in which language, and the events
 * decided so far. Handlers add replies through it and never send anything themselves.
 */
export class Turn {
  readonly events: FlowEvent[] = [];
  private replies = 0;

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

  /** Queues ready-made messages (private notices to other people, built by notify.ts). */
  push(items: ReadonlyArray<{ key: string; to: ConversationRef; message: OutboundMessage }>): void {
    for (const i of items) this.events.push({ type: 'send', key: i.key, to: i.to, message: i.message });
  }

  /** Schedules a job (a broadcast's fan-out) to be added once this turn's changes are committed. */
  schedule(job: Omit<Extract<FlowEvent, { type: 'schedule' }>, 'type'>): void {
    this.events.push({ type: 'schedule', ...job });
  }

  private send(to: ConversationRef, raw: OutboundMessage): void {
    // A reply fits any platform's message: at most 4,000 characters.
    const message = raw.text.length > maxReplyChars ? { ...raw, text: `${raw.text.slice(0, maxReplyChars - 1)}…` } : raw;
    const key = `in:${this.event.platform}:${this.event.messageId}:${this.replies++}`;
    this.events.push({ type: 'send', key, to, message });
  }
}
