import type { InboundEvent } from './bots/types.ts';
import type { EffectExecutor } from '../jobs/effects.ts';
import type { CoreContext } from './core/context.ts';
import { clearParkedReplies, parkReplies, takeParkedReplies } from './core/inbound/claim-inbound.ts';
import type { Router, RouteOutcome } from './flows/router.ts';
import type { Effect, SendEffect } from './core/effects.ts';
import type { Logger } from './lib/logger.ts';
import { apologyFor } from './flows/messages.ts';
import { inboundMessages, replyLatency } from './lib/metrics.ts';
import { platforms, type Platform } from './core/chat.ts';

/**
 * The one path every adapter's messages take: router → effects → the executor (jobs/effects.ts). Returns what the
 * router decided, for tests and benchmarks.
 *
 * Failure handling: when processing fails unexpectedly, the person gets one "please try again"
 * line and a redelivery is processed afresh (the router released the message). When the replies
 * were decided (and their changes committed) but could not be queued, they are parked on the
 * message's row, and the platform's redelivery queues them: the person is answered exactly once.
 * When the process dies while a message is in hand, its claim is never completed, and the
 * message's redelivery takes it over after the claim's lease (`claimInbound`) and processes it
 * again. A change the first attempt committed is not made twice (the same need reported again by
 * its author links to itself, a second +1 or sign-up changes nothing), and replies keep their
 * keys, so what was already queued is not queued again.
 */
export function createInboundHandler(router: Router, effects: EffectExecutor, ctx: CoreContext, log: Logger) {
  const deliver = (list: Effect[]) => effects.apply(list);

  return async (e: InboundEvent): Promise<RouteOutcome> => {
    const started = performance.now();
    // The event is not validated yet (the router does that): a label is one of the known platforms.
    const platform = metricPlatform(e);
    try {
      const [outcome, failed] = await handle(e);
      inboundMessages.inc({ platform, outcome: failed ? 'error' : outcome.handled ? 'handled' : outcome.reason });
      if (outcome.handled) replyLatency.observe({ platform }, (performance.now() - started) / 1000);
      return outcome;
    } catch (err) {
      inboundMessages.inc({ platform, outcome: 'error' });
      throw err;
    }
  };

  /** What the router decided, and whether processing failed (the person then got the apology). */
  async function handle(e: InboundEvent): Promise<[RouteOutcome, boolean]> {
    let outcome: RouteOutcome;
    try {
      outcome = await router.route(e);
    } catch {
      const sorry: SendEffect = {
        kind: 'send',
        key: `err:${e.platform}:${e.messageId}`,
        to: e.chat,
        message: { text: apologyFor(e.text) },
      };
      await effects.apply([sorry]).catch((err: unknown) => log.error({ err }, 'could not queue the apology'));
      return [{ handled: false, reason: 'invalid' }, true];
    }
    if (outcome.handled) {
      try {
        await deliver(outcome.events);
      } catch (err) {
        await parkReplies(ctx, e, outcome.events).catch(() => undefined);
        throw err;
      }
      // Answered. Should this fail, a later redelivery takes the claim over once its lease is out
      // and decides the same replies under the same keys: they are not queued twice.
      await router.claims.complete(e).catch((err: unknown) => log.error({ err, platform: e.platform }, 'could not complete an inbound message'));
    } else if (outcome.reason === 'duplicate') {
      const parked = await takeParkedReplies(ctx, e);
      if (parked) {
        await deliver(parked as Effect[]);
        await clearParkedReplies(ctx, e);
      }
    }
    return [outcome, false];
  }
}

/** A metric label from an event that may be malformed: a known platform, or `other`. */
function metricPlatform(e: unknown): Platform | 'other' {
  const p = typeof e === 'object' && e !== null ? (e as { platform?: unknown }).platform : undefined;
  return typeof p === 'string' && (platforms as readonly string[]).includes(p) ? (p as Platform) : 'other';
}
