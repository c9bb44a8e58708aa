/**
 * How an adapter says a send failed, so the outbound queue knows what to do:
 * `rate-limited` waits `retryAfterMs` (the platform's own figure) and tries again without
 * counting an attempt; `blocked` (the person blocked the bot, the chat is gone) never retries;
 * `transient` retries with backoff.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly kind: 'rate-limited' | 'blocked' | 'transient',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
