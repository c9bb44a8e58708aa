import type { ConversationRef, OutboundMessage } from '../bots/types.ts';

/**
 * What a flow decides. Flows never send: they return events, and jobs/outbound delivers the
 * messages. `key` is deterministic (the inbound message id and the reply's position), so the same
 * inbound processed twice can never queue the same reply twice.
 */
export type FlowEvent =
  | { type: 'send'; key: string; to: ConversationRef; message: OutboundMessage }
  | { type: 'schedule'; queue: string; name: string; jobId: string; data: Record<string, unknown>; delayMs?: number }
  /** Removes a delayed job that is no longer wanted (a cancelled sign-up's reminders); a missing job is fine. */
  | { type: 'unschedule'; queue: string; jobId: string };

export type SendEvent = Extract<FlowEvent, { type: 'send' }>;
