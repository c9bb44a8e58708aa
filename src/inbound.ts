import type { InboundEvent } from './bots/types.ts';
import type { Outbox } from '../jobs/outbound.ts';
import type { Router, RouteOutcome } from './flows/router.ts';
import type { SendEvent } from './flows/events.ts';
import type { Logger } from './lib/logger.ts';
import { t } from './flows/messages.ts';

/**
 * The one path every adapter's messages take: router → events → outbound queue. Returns what the
 * router decided, for tests and benchmarks. When processing fails unexpectedly, the person gets
 * one "please try again" line and a redelivery of the message is processed afresh.
 */
export function createInboundHandler(router: Router, outbox: Outbox, log: Logger) {
  return async (e: InboundEvent): Promise<RouteOutcome> => {
    let outcome: RouteOutcome;
    try {
      outcome = await router.route(e);
    } catch {
      const sorry: SendEvent = {
        type: 'send',
        key: `err:${e.platform}:${e.messageId}`,
        to: e.chat,
        message: { text: t('zh-Hans', 'internalError') },
      };
      await outbox.send([sorry]).catch((err: unknown) => log.error({ err }, 'could not queue the apology'));
      return { handled: false, reason: 'invalid' };
    }
    if (outcome.handled) {
      const sends = outcome.events.filter((ev): ev is SendEvent => ev.type === 'send');
      if (sends.length) await outbox.send(sends);
      const jobs = outcome.events.filter((ev) => ev.type === 'schedule');
      if (jobs.length) await outbox.schedule(jobs);
    }
    return outcome;
  };
}
