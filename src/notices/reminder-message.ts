import type { ConversationRef, OutboundMessage } from '../core/chat.ts';
import type { ReminderToSend } from '../core/reminders/prepare-reminder.ts';
import { formatShiftTime } from '../lib/time.ts';
import type { SendEffect } from '../core/effects.ts';
import { isLocale, t, type Locale } from '../flows/messages.ts';
import type { Session, SessionKey } from '../core/sessions/session-store.ts';

/**
 * The flow a reminder starts in the volunteer's private chat: it waits for `1` (confirm) or `2`
 * (leave). Its session is written by the reminder job when the reminder is sent, keyed by the
 * private chat (platform, the person's account, the same account), and expires when the shift
 * starts. A later reminder replaces an earlier one's session: a bare `1` answers the latest.
 */
export const reminderFlow = { name: 'reminder.answer', version: 1 } as const;

/** The two choices, as buttons where the platform has them; the text says `回复 1 确认，2 请假` too. */
export function answerButtons(locale: Locale): OutboundMessage['buttons'] {
  return [
    { label: t(locale, 'reminderButtonConfirm'), payload: '1' },
    { label: t(locale, 'reminderButtonLeave'), payload: '2' },
  ];
}

/**
 * Shift times as text, remembered: the reminders due together are mostly of the same few shifts,
 * and formatting a time in a zone is the costliest part of a reminder message.
 */
const shiftTimes = new Map<string, string>();
function shiftTime(startsAt: Date, endsAt: Date, zone: string, locale: Locale): string {
  const key = `${startsAt.getTime()}|${endsAt.getTime()}|${zone}|${locale}`;
  let text = shiftTimes.get(key);
  if (text === undefined) {
    if (shiftTimes.size >= 10_000) shiftTimes.clear();
    text = formatShiftTime(startsAt, endsAt, zone, locale);
    shiftTimes.set(key, text);
  }
  return text;
}

/** A reminder as a private message, with its deterministic key and the session it opens. Pure. */
export function reminderOutbound(r: ReminderToSend, jobId: string): { item: SendEffect; sessionKey: SessionKey; session: Session } {
  const locale: Locale = isLocale(r.locale) ? r.locale : 'zh-Hans';
  const text = t(locale, 'reminder', {
    number: r.projectNumber,
    title: r.projectTitle,
    label: r.shiftLabel,
    time: shiftTime(r.startsAt, r.endsAt, r.timezone, locale),
    place: r.place,
  });
  const to: ConversationRef = { platform: r.platform, chatId: r.externalId, kind: 'direct' };
  return {
    item: { kind: 'send', key: `reminder:${r.reminderId}:${jobId}`, to, message: { text, buttons: answerButtons(locale) } },
    sessionKey: { platform: r.platform, chatId: r.externalId, userId: r.externalId },
    session: { flow: reminderFlow.name, version: reminderFlow.version, step: 'answer', answers: { reminderId: r.reminderId }, expiresAt: r.startsAt },
  };
}
