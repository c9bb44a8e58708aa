import { latestOpenReminder } from '../core/reminders/answer-reminder.ts';
import { reminderFlow } from '../notices/reminder-message.ts';
import type { Turn } from './turn.ts';

export { reminderFlow } from '../notices/reminder-message.ts';

/**
 * The private chat waits for the person's latest reminder still unanswered, if any: its session is
 * written (until the shift starts), or the chat's session cleared when none is left. Safe to repeat.
 */
export async function waitForReminderAnswer(turn: Turn): Promise<void> {
  const next = await latestOpenReminder(turn.ctx, turn.personId);
  if (!next) {
    await turn.sessions.clear(turn.sessionKey);
    return;
  }
  await turn.sessions.set(turn.sessionKey, {
    flow: reminderFlow.name,
    version: reminderFlow.version,
    step: 'answer',
    answers: { reminderId: next.reminderId },
    expiresAt: next.startsAt,
  });
}
