import { DateTime } from 'luxon';

export const defaultTimeZone = 'Asia/Shanghai';

/** "2026-12-05 09:00" (or "2026-12-05 9:00") in a zone → Date; null when it does not parse. */
export function parseLocal(text: string, zone = defaultTimeZone): Date | null {
  const dt = DateTime.fromFormat(text.trim().replace(/\s+/, ' ').replace(/ (\d):/, ' 0$1:'), 'yyyy-MM-dd HH:mm', { zone });
  return dt.isValid ? dt.toJSDate() : null;
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A time a worker gives: "2026-12-05 09:00" in the community's time zone, or an ISO instant with
 * its zone ("2026-12-05T01:00:00Z"). Null when it is neither. Pure.
 */
export function parseWhen(text: string, zone = defaultTimeZone): Date | null {
  const s = text.trim();
  const local = parseLocal(s, zone);
  if (local) return local;
  if (!isoInstant.test(s)) return null;
  const dt = DateTime.fromISO(s, { setZone: true });
  return dt.isValid ? dt.toJSDate() : null;
}

// ---- shifts ----------------------------------------------------------------------------------

/** The longest shift any entry point accepts (a 24-hour duty is the longest anyone writes). */
export const maxShiftHours = 24;

/**
 * How a shift's end was written: a bare clock time ("06:00", on the start's local day, or the next
 * day when it is not after the start) or a full time (a local date and time, or an ISO instant).
 */
export type ShiftEnd = { clock: { hour: number; minute: number } } | { at: Date };

/**
 * What is wrong with a shift's times: `format` (a range that does not read), `start` or `end`
 * (that part does not read), `endNotAfterStart` (it ends when it starts), `endBeforeStart` (a full
 * end date and time before the start: the person wrote the date, so it is not rolled over),
 * `tooLong` (over {@link maxShiftHours}). Worded by {@link timeProblemText}.
 */
export type ShiftTimeProblem = 'format' | 'start' | 'end' | 'endNotAfterStart' | 'endBeforeStart' | 'tooLong';

/** A shift's times, read: the instants, and whether the end was moved to the next day. */
export type ShiftTimes = { ok: true; start: Date; end: Date; nextDay: boolean } | { ok: false; problem: ShiftTimeProblem };

/** Full-width digits and punctuation (as Chinese input methods type them) → ASCII. */
function halfWidth(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/：/g, ':')
    .replace(/[－–—～~至]/g, '-')
    .replace(/\u3000/g, ' ');
}

const clockTime = /^(\d{1,2}):(\d{2})$/;

/**
 * A shift's end as written: "06:00" (a clock time; "24:00" is midnight at the end of the day),
 * "2026-12-06 06:00" (local) or an ISO instant. Null when it is none of these. Pure.
 */
export function parseShiftEnd(text: string, zone = defaultTimeZone): ShiftEnd | null {
  const s = halfWidth(text).trim();
  const m = clockTime.exec(s);
  if (m) {
    const hour = Number(m[1]);
    const minute = Number(m[2]);
    if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return null;
    return { clock: { hour, minute } };
  }
  const at = parseWhen(s, zone);
  return at ? { at } : null;
}

/**
 * The one rule for a shift's times, shared by the CLI (--shift), the API (start / end) and the
 * console's shift form, and meant for any chat command that adds shifts (call
 * {@link parseShiftRange} with the community's zone and word the problem with {@link timeProblemText}):
 * a clock-time end falls on the start's local day in `zone`, or on the next day when it would not
 * be after the start ("23:56" to "00:56" ends at 00:56 the next day; "08:00" to "08:00" is refused,
 * not read as 24 hours); a full end is taken as written, so one before the start is refused
 * (`endBeforeStart`); no shift lasts more than {@link maxShiftHours}. Pure; never throws.
 */
export function resolveShiftTimes(start: Date, end: ShiftEnd, zone = defaultTimeZone): ShiftTimes {
  let endAt: Date;
  let nextDay = false;
  if ('at' in end) {
    endAt = end.at;
    if (endAt.getTime() < start.getTime()) return { ok: false, problem: 'endBeforeStart' };
  } else {
    const day = DateTime.fromJSDate(start, { zone }).startOf('day');
    const onDay = (d: DateTime) => (end.clock.hour === 24 ? d.plus({ days: 1 }) : d.set({ hour: end.clock.hour, minute: end.clock.minute }));
    const sameDay = onDay(day);
    if (sameDay.toMillis() === start.getTime()) return { ok: false, problem: 'endNotAfterStart' };
    nextDay = sameDay.toMillis() < start.getTime();
    endAt = (nextDay ? onDay(day.plus({ days: 1 })) : sameDay).toJSDate();
  }
  if (endAt.getTime() <= start.getTime()) return { ok: false, problem: 'endNotAfterStart' };
  if (endAt.getTime() - start.getTime() > maxShiftHours * 3_600_000) return { ok: false, problem: 'tooLong' };
  return { ok: true, start, end: endAt, nextDay };
}

/**
 * A shift's start and end given apart (the API's `start` / `end`, the console's date and times):
 * the start "2026-12-05 22:00" (local) or an ISO instant, the end as {@link parseShiftEnd} reads
 * it, then {@link resolveShiftTimes}. Pure; never throws.
 */
export function parseShiftTimes(start: string, end: string, zone = defaultTimeZone): ShiftTimes {
  const s = parseWhen(halfWidth(start), zone);
  if (!s) return { ok: false, problem: 'start' };
  const e = parseShiftEnd(end, zone);
  if (!e) return { ok: false, problem: 'end' };
  return resolveShiftTimes(s, e, zone);
}

const range = /^(\d{4}-\d{2}-\d{2}\s+\d{1,2}:\d{2})\s*-\s*((?:\d{4}-\d{2}-\d{2}\s+)?\d{1,2}:\d{2})$/;

/**
 * A shift written on one line, in local time: "2026-12-05 09:00-11:00", overnight
 * "2026-12-03 23:56-00:56" (ends at 00:56 on the 4th), or with a full end
 * "2026-12-05 22:00-2026-12-06 06:00"; then {@link resolveShiftTimes}. Full-width digits, "：" and
 * dashes such as "～" or "至" are read too (input methods type them). Pure; never throws:
 * `format` when the line does not read as a range.
 */
export function parseShiftRange(text: string, zone = defaultTimeZone): ShiftTimes {
  const m = range.exec(halfWidth(text).trim());
  if (!m) return { ok: false, problem: 'format' };
  const r = parseShiftTimes(m[1] ?? '', m[2] ?? '', zone);
  return r.ok || (r.problem !== 'start' && r.problem !== 'end') ? r : { ok: false, problem: 'format' };
}

/** {@link parseShiftRange}'s instants, or null when the range is refused for any reason. */
export function parseLocalRange(text: string, zone = defaultTimeZone): { start: Date; end: Date } | null {
  const r = parseShiftRange(text, zone);
  return r.ok ? { start: r.start, end: r.end } : null;
}

// ---- times to come -----------------------------------------------------------------------------

/** How far in the past a time to act at may be: "09:00" typed at 09:00:30 means now. */
export const pastGraceMs = 60_000;

/** True when `at` is more than {@link pastGraceMs} before `now`: too late to schedule anything for. Pure. */
export function isPast(at: Date, now: Date): boolean {
  return at.getTime() < now.getTime() - pastGraceMs;
}

// ---- words -------------------------------------------------------------------------------------

/**
 * What the time parsers refuse, in Simplified Chinese and English, for every entry point that has
 * no catalogue of its own (the CLI) and those that do (the API's issues). Traditional Chinese is
 * converted from the Simplified by the caller's catalogue.
 */
export const timeProblemTexts = {
  format: {
    'zh-Hans': '班次时间应写成「2026-12-05 09:00-11:00」；跨夜的班次写「2026-12-05 22:00-06:00」，结束在第二天',
    en: 'write a shift as "2026-12-05 09:00-11:00"; an overnight one as "2026-12-05 22:00-06:00", ending the next day',
  },
  start: { 'zh-Hans': '时间格式应为「2026-12-05 09:00」（社区当地时间）或带时区的 ISO 时间', en: 'use "2026-12-05 09:00" (community local time) or an ISO instant with a zone' },
  end: {
    'zh-Hans': '结束时间写「11:00」（早于开始时间即为第二天）、「2026-12-05 11:00」（社区当地时间）或带时区的 ISO 时间',
    en: 'give the end as "11:00" (the next day when earlier than the start), "2026-12-05 11:00" (community local time) or an ISO instant with a zone',
  },
  endNotAfterStart: { 'zh-Hans': '结束时间要晚于开始时间', en: 'must be after the start' },
  endBeforeStart: {
    'zh-Hans': '结束时间早于开始时间。跨夜的班次只写结束时刻即可，如「22:00」到「06:00」',
    en: 'the end is before the start; for an overnight shift give only the end time, e.g. "22:00" to "06:00"',
  },
  tooLong: { 'zh-Hans': `一个班次最长 ${maxShiftHours} 小时，更长的请分成几个班次`, en: `a shift lasts at most ${maxShiftHours} hours; split a longer one into several shifts` },
  past: { 'zh-Hans': '这个时间已经过去了', en: 'that time has passed' },
} as const satisfies Record<ShiftTimeProblem | 'past', { 'zh-Hans': string; en: string }>;

/** One of {@link timeProblemTexts} in a language (anything but English reads the Simplified). */
export function timeProblemText(problem: keyof typeof timeProblemTexts, locale: string = 'zh-Hans'): string {
  const m = timeProblemTexts[problem];
  return locale === 'en' ? m.en : m['zh-Hans'];
}

/** A shift's time as residents read it: "12月5日 周六 09:00-11:00". */
export function formatShiftTime(start: Date, end: Date, zone = defaultTimeZone, locale = 'zh-Hans'): string {
  const s = DateTime.fromJSDate(start, { zone });
  const e = DateTime.fromJSDate(end, { zone });
  if (locale === 'en') {
    return `${s.setLocale('en').toFormat('ccc d LLL HH:mm')}-${e.hasSame(s, 'day') ? e.toFormat('HH:mm') : e.setLocale('en').toFormat('ccc d LLL HH:mm')}`;
  }
  const weekday = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'][s.weekday] ?? '';
  const day = `${s.month}月${s.day}日 ${weekday}`;
  return `${day} ${s.toFormat('HH:mm')}-${e.hasSame(s, 'day') ? e.toFormat('HH:mm') : `${e.month}月${e.day}日 ${e.toFormat('HH:mm')}`}`;
}
