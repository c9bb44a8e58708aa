import { answerReminder, reminderShift } from '../core/reminders/answer-reminder.ts';
import { notify, remindersPlanned } from '../core/effects.ts';
import { promotionNotices } from '../core/signups/promotion-notices.ts';
import { formatShiftTime } from '../lib/time.ts';
import { answerButtons, reminderFlow } from '../notices/reminder-message.ts';
import type { Session } from '../core/sessions/session-store.ts';
import type { Understander } from '../core/understanding/understanding.ts';
import type { CommandDeps } from './commands/spec.ts';
import { waitForReminderAnswer } from './reminder-session.ts';
import type { Turn } from './turn.ts';
import { actOnUnderstanding, meansAnAction, understandWords } from './understand.ts';

export { reminderFlow } from '../notices/reminder-message.ts';

/** `1` / `2` and the words people use for them; null for anything else. */
export function readReminderAnswer(text: string): '1' | '2' | null {
  const t = text.trim().replace(/[。.!！~～\s]+$/u, '').toLowerCase();
  if (/^(1|确认|确定|确认参加|参加|好|好的|可以|收到|收到了|ok|yes|y|confirm)$/.test(t)) return '1';
  if (/^(2|请假|不去|去不了|来不了|不能去|leave|no|n)$/.test(t)) return '2';
  return null;
}

/**
 * The volunteer's answer to their latest reminder, in private: `1` confirms, `2` asks for leave
 * (the sign-up is cancelled and the waitlist moves up; the promoted person is told). Plain words
 * that ask for something else (a need, what is on, a check-in with its code, a cancel by day) are
 * understood as they would be with no reminder waiting, and the reminder waits on (or the next
 * one, or none if that sign-up is gone; a question they lead to gives the chat back once answered).
 * Anything else (chatter, unsure words) gets the question again. Once answered, the session moves
 * on to the person's next reminder still waiting for an answer, if there is one.
 */
export async function resumeReminderAnswer(turn: Turn, session: Session, understander: Understander, deps: CommandDeps): Promise<void> {
  const reminderId = Number(session.answers.reminderId);
  const answer = readReminderAnswer(turn.text);
  if (!answer) {
    const s = await reminderShift(turn.ctx, reminderId);
    if (!s) {
      await turn.sessions.clear(turn.sessionKey);
      turn.reply(turn.say('question', { bot: turn.botName }));
      return;
    }
    const u = await understandWords(turn, understander);
    if (meansAnAction(u, turn.text)) {
      turn.waiting = reminderFlow.name;
      await actOnUnderstanding(turn, u, deps);
      // A question asked now holds the chat and hands it back; else the reminder waits on (the
      // latest one still open: none once the words cancelled its sign-up).
      const now = await turn.sessions.get(turn.sessionKey);
      if (!now || now.flow === reminderFlow.name) await waitForReminderAnswer(turn);
      return;
    }
    turn.reply(turn.say('reminderAskAgain', { number: s.projectNumber, label: s.label, time: formatShiftTime(s.startsAt, s.endsAt, s.timezone, turn.locale) }), {
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
    turn.apply(remindersPlanned(r.reminders));
    if (r.promoted) turn.apply(notify(await promotionNotices(turn.ctx, [r.promoted], { number: r.shift.projectNumber, title: r.shift.projectTitle }, turn.event.messageId)));
  }
  await waitForReminderAnswer(turn);
}
