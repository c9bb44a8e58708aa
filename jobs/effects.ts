import type { CoreContext } from '../src/core/context.ts';
import type { Effect, Notice, SendEffect } from '../src/core/effects.ts';
import { isLocale } from '../src/flows/messages.ts';
import type { Logger } from '../src/lib/logger.ts';
import { privateMessages } from '../src/notices/render-notices.ts';
import type { BroadcastScheduler } from './broadcast.ts';
import type { Outbox } from './outbound.ts';
import type { ReminderScheduler } from './reminders.ts';
import type { TicketScheduler } from './tickets.ts';

export interface EffectQueues {
  outbox: Outbox;
  broadcasts: BroadcastScheduler;
  reminders: ReminderScheduler;
  tickets: TicketScheduler;
}

/**
 * Carries out what use cases and flows decided, after their changes are committed: the one place
 * where effects become BullMQ jobs, for the chat, the console, the API, the CLI and the jobs.
 * Safe to run twice for the same effects: messages have deterministic keys (one job per key),
 * broadcasts and reminders deterministic job ids.
 */
export class EffectExecutor {
  constructor(
    private readonly ctx: CoreContext,
    private readonly queues: EffectQueues,
    private readonly log?: Logger,
  ) {}

  get outbox(): Outbox {
    return this.queues.outbox;
  }

  /**
   * Carries out the effects in order of kind: messages and notices, then broadcasts, reminders (and silence checks), ticket escalations and substitute offers to groups.
   * Returns how many messages it queued (notices to people who opted out or have no account are none).
   */
  async apply(effects: readonly Effect[]): Promise<{ messages: number }> {
    if (effects.length === 0) return { messages: 0 };
    const sends: SendEffect[] = [];
    const byLocale = new Map<string, Notice[]>();
    for (const e of effects) {
      if (e.kind === 'send') sends.push(e);
      else if (e.kind === 'notify') {
        const locale = e.locale ?? 'zh-Hans';
        byLocale.set(locale, [...(byLocale.get(locale) ?? []), ...e.notices]);
      }
    }
    for (const [locale, notices] of byLocale) sends.push(...(await privateMessages(this.ctx, notices, isLocale(locale) ? locale : 'zh-Hans')));
    if (sends.length) await this.queues.outbox.send(sends);

    for (const e of effects) {
      if (e.kind === 'broadcastScheduled') {
        const b = e.broadcast;
        await this.queues.broadcasts.schedule({ ...b, sendAt: b.sendAt ? new Date(b.sendAt) : null }, this.ctx.clock.now());
      } else if (e.kind === 'broadcastCancelled') {
        await this.queues.broadcasts.unschedule(e.broadcastId);
      } else if (e.kind === 'remindersPlanned') {
        // Parked effects come back from JSON: due times as text.
        const add = e.changes.add.map((j) => ({ ...j, dueAt: new Date(j.dueAt) }));
        const checks = (e.changes.checks ?? []).map((c) => ({ ...c, at: new Date(c.at) }));
        await this.queues.reminders.apply({ add, remove: e.changes.remove, checks }, this.ctx.clock);
      } else if (e.kind === 'ticketEscalation') {
        await this.queues.tickets.escalateAt(e.ticketId, new Date(e.at), this.ctx.clock);
      } else if (e.kind === 'substituteToGroups') {
        await this.queues.reminders.offerToGroupsAt(e.requestId, new Date(e.at), this.ctx.clock);
      }
    }
    this.log?.debug({ effects: effects.length, sends: sends.length }, 'effects carried out');
    return { messages: sends.length };
  }

  async close(): Promise<void> {
    await Promise.all([this.queues.outbox.close(), this.queues.broadcasts.close(), this.queues.reminders.close(), this.queues.tickets.close()]);
  }
}
