import type { CoreContext } from '../core/context.ts';
import type { ReminderChanges } from '../core/reminders/plan-reminders.ts';
import { answerReminder, latestOpenReminder } from '../core/reminders/answer-reminder.ts';
import { formatShiftTime } from '../lib/time.ts';
import { reminderScheduleEvents } from '../../jobs/reminders.ts';
import type { OutboundItem } from '../../jobs/outbound.ts';
import { privateMessages } from './notify.ts';
import { answerButtons, reminderFlow } from './reminder-message.ts';
import type { Session } from './session-store.ts';
import type { Turn } from './turn.ts';

export { reminderFlow } from './reminder-message.ts';

/** `1` / `2` and the words people use for them; null for anything else. */
export function readReminderAnswer(text: string): '1' | '2' | null {
  const t = text.trim().replace(/[。.!！~～\s]+$/u, '').toLowerCase();
  if (/^(1|确认|确定|确认参加|参加|好|好的|可以|收到|ok|yes|y|confirm)$/.test(t)) return '1';
  if (/^(2|请假|不去|去不了|来不了|不能去|leave|no|n)$/.test(t)) return '2';
  return null;
}

/** Adds a use case's reminder changes to the turn: jobs to add once committed, and to remove. */
export function scheduleReminderChanges(turn: Turn, changes: ReminderChanges): void {
  turn.events.push(...reminderScheduleEvents(changes, turn.ctx.clock.now()));
}

/** Private notices to people promoted from a waitlist ("好消息：有人取消了…"). */
export async function promotionNotices(
  ctx: CoreContext,
  promoted: ReadonlyArray<{ personId: number; shiftId: number }>,
  project: { number: number; title: string },
  keySuffix: string,
): Promise<OutboundItem[]> {
  if (promoted.length === 0) return [];
  const shifts = await ctx.prisma.shift.findMany({
    where: { id: { in: promoted.map((p) => p.shiftId) } },
    select: { id: true, label: true, startsAt: true, endsAt: true, project: { select: { community: { select: { timezone: true } } } } },
  });
  return privateMessages(
    ctx,
    promoted.map((p) => {
      const s = shifts.find((x) => x.id === p.shiftId);
      return {
        personId: p.personId,
        key: `promoted:${p.shiftId}:${p.personId}:${keySuffix}`,
        message: 'promoted' as const,
        params: { number: project.number, title: project.title, label: s?.label ?? '', time: s ? formatShiftTime(s.startsAt, s.endsAt, s.project.community.timezone) : '' },
      };
    }),
  );
}

/**
 * The volunteer's answer to their latest reminder, in private: `1` confirms, `2` asks for leave
 * (the sign-up is cancelled and the waitlist moves up; the promoted person is told), anything else
 * gets the question again (the session stays). Once answered, the session moves on to the person's
 * next reminder still waiting for an answer, if there is one.
 */
export async function resumeReminderAnswer(turn: Turn, session: Session): Promise<void> {
  const reminderId = Number(session.answers.reminderId);
  const answer = readReminderAnswer(turn.text);
  if (!answer) {
    const r = await turn.ctx.prisma.reminder.findUnique({
      where: { id: reminderId },
      select: { signUp: { select: { shift: { select: { label: true, startsAt: true, endsAt: true, project: { select: { number: true, community: { select: { timezone: true } } } } } } } } },
    });
    if (!r) {
      await turn.sessions.clear(turn.sessionKey);
      turn.reply(turn.say('question', { bot: turn.botName }));
      return;
    }
    const s = r.signUp.shift;
    turn.reply(turn.say('reminderAskAgain', { number: s.project.number, label: s.label, time: formatShiftTime(s.startsAt, s.endsAt, s.project.community.timezone, turn.locale) }), {
      buttons: answerButtons(turn.locale),
    });
    return;
  }
  await turn.sessions.clear(turn.sessionKey);
  const r = await answerReminder(turn.ctx, { reminderId, personId: turn.personId, answer });
  const time = formatShiftTime(r.shift.startsAt, r.shift.endsAt, r.shift.timezone, turn.locale);
  const params = { number: r.shift.projectNumber, title: r.shift.projectTitle, label: r.shift.shiftLabel, time };
  if (r.outcome === 'confirmed') turn.reply(turn.say('reminderConfirmed', params));
  else if (r.outcome === 'gone') turn.reply(turn.say('reminderGone', params));
  else {
    turn.reply(turn.say('reminderLeft', params));
    scheduleReminderChanges(turn, r.reminders);
    if (r.promoted) turn.push(await promotionNotices(turn.ctx, [r.promoted], { number: r.shift.projectNumber, title: r.shift.projectTitle }, turn.event.messageId));
  }
  const next = await latestOpenReminder(turn.ctx, turn.personId);
  if (next) {
    await turn.sessions.set(turn.sessionKey, {
      flow: reminderFlow.name,
      version: reminderFlow.version,
      step: 'answer',
      answers: { reminderId: next.reminderId },
      expiresAt: next.startsAt,
    });
  }
}
