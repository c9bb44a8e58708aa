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

// ---- shifts as a chat command writes them --------------------------------------------------------

/** What {@link parseShiftWhen} read: the shift's times, and the text after them (a place, say). */
export type ShiftWhen = (Extract<ShiftTimes, { ok: true }> & { rest: string }) | Extract<ShiftTimes, { ok: false }>;

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };

/** 0-59 in digits or Chinese (`九`, `十一`, `二十`, `三十五`); null otherwise. */
function smallNumber(s: string): number | null {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十]{1,3}$/.test(s)) return null;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? (CN_DIGITS[s] ?? null) : null;
  const tens = ten === 0 ? 1 : (CN_DIGITS[s.charAt(0)] ?? null);
  const units = ten === s.length - 1 ? 0 : (CN_DIGITS[s.charAt(ten + 1)] ?? null);
  return tens === null || units === null || ten > 1 ? null : tens * 10 + units;
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})/;
const MONTH_DAY = /^(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]?/;
const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})(?![\d:])/;
const RELATIVE_DAY = /^(今天|今日|明天|明日|后天|大后天)/;
const WEEKDAY = /^(本|这|下|下个)?(?:周|星期|礼拜)([一二三四五六日天1-7])/;
const PERIOD = /^(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜间)/;
const CLOCK = /^(\d{1,2}|[一二两三四五六七八九十]{1,3})(?::(\d{2})|\s?[点时](?:(半)|(一刻)|(三刻)|(\d{1,2}|[零〇一二三四五六七八九十]{1,3})分?)?)/;
const RANGE_SEP = /^\s?(?:-|到|~)\s?/;
/** A period alone ("周六上午"): the hours it usually means. */
const PERIOD_HOURS: Record<string, [number, number]> = { 早上: [8, 10], 早晨: [8, 10], 上午: [9, 12], 中午: [12, 14], 下午: [14, 17], 傍晚: [17, 19], 晚上: [19, 21] };

function readDate(s: string, zone: string, now: Date): { day: DateTime; length: number } | null {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  let m = ISO_DATE.exec(s);
  if (m) {
    const d = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone });
    return d.isValid ? { day: d, length: m[0].length } : null;
  }
  m = MONTH_DAY.exec(s) ?? SLASH_DATE.exec(s);
  if (m) {
    const hasYear = m.length === 4 && m[1] !== undefined;
    const month = smallNumber(m.length === 4 ? m[2]! : m[1]!);
    const dayOf = smallNumber(m.length === 4 ? m[3]! : m[2]!);
    if (month === null || dayOf === null) return null;
    let d = DateTime.fromObject({ year: hasYear ? Number(m[1]) : today.year, month, day: dayOf }, { zone });
    // Without a year: the next such date (12月20日 written in December of one year, or in January).
    if (d.isValid && !hasYear && d < today) d = d.plus({ years: 1 });
    return d.isValid ? { day: d, length: m[0].length } : null;
  }
  m = RELATIVE_DAY.exec(s);
  if (m) {
    const plus = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 }[m[1] as '今天'] ?? 0;
    return { day: today.plus({ days: plus }), length: m[0].length };
  }
  m = WEEKDAY.exec(s);
  if (m) {
    const weekday = WEEKDAYS[m[2]!]!;
    let d: DateTime;
    if (m[1] === '下' || m[1] === '下个') d = today.startOf('week').plus({ weeks: 1, days: weekday - 1 });
    else if (m[1] === '本' || m[1] === '这') d = today.startOf('week').plus({ days: weekday - 1 });
    else d = today.plus({ days: (weekday - today.weekday + 7) % 7 }); // the next one, today included
    return { day: d, length: m[0].length };
  }
  return null;
}

function readClock(s: string): { hour: number; minute: number; length: number } | null {
  const m = CLOCK.exec(s);
  if (!m) return null;
  const hour = smallNumber(m[1]!);
  let minute = 0;
  if (m[2] !== undefined) minute = Number(m[2]);
  else if (m[3]) minute = 30;
  else if (m[4]) minute = 15;
  else if (m[5]) minute = 45;
  else if (m[6] !== undefined) minute = smallNumber(m[6]) ?? -1;
  if (hour === null || hour > 24 || minute < 0 || minute > 59 || (hour === 24 && minute > 0)) return null;
  return { hour, minute, length: m[0].length };
}

/** A clock hour in a period of the day: 下午 2 → 14, 晚上 10 → 22, 中午 1 → 13. */
function inPeriod(hour: number, period: string | undefined): number {
  if (period === undefined || hour >= 12) return hour;
  if (period === '下午' || period === '傍晚' || period === '晚上' || period === '夜里' || period === '夜间') return hour + 12;
  if (period === '中午' && hour < 6) return hour + 12;
  return hour;
}

/**
 * A shift as a chat command writes it, in the community's zone, with `now` for the words that
 * depend on today: a date (`2026-12-20`, `12月20日`, `12/20`, `今天`/`明天`/`后天`, `周六`,
 * `下周三`), then a range (`9:00-11:00`, `9点到11点半`, `下午两点到四点`, `晚上10点到早上6点`) or a
 * period alone (`周六上午` 09:00-12:00, `下午` 14:00-17:00, `晚上` 19:00-21:00). A date without a
 * year is the next such date; `周六` is the next Saturday, today included. The end follows the
 * start's period when that keeps it after the start, so `晚上10点到6点` ends at 06:00 the next day;
 * then {@link resolveShiftTimes}. `rest` is the text after the time. Pure; never throws.
 */
export function parseShiftWhen(text: string, zone: string, now: Date): ShiftWhen {
  let s = halfWidth(text).trim();
  const date = readDate(s, zone, now);
  if (!date) return { ok: false, problem: 'format' };
  s = s.slice(date.length).trimStart();
  const p1 = PERIOD.exec(s);
  if (p1) s = s.slice(p1[0].length).trimStart();
  const c1 = readClock(s);
  let start: DateTime;
  let end: ShiftEnd;
  if (!c1) {
    const hours = p1 ? PERIOD_HOURS[p1[1]!] : undefined;
    if (!hours) return { ok: false, problem: 'format' };
    start = date.day.set({ hour: hours[0] });
    end = { clock: { hour: hours[1], minute: 0 } };
  } else {
    s = s.slice(c1.length);
    const sep = RANGE_SEP.exec(s);
    if (!sep) return { ok: false, problem: 'end' };
    s = s.slice(sep[0].length).trimStart();
    const p2 = PERIOD.exec(s);
    if (p2) s = s.slice(p2[0].length).trimStart();
    const c2 = readClock(s);
    if (!c2) return { ok: false, problem: 'end' };
    s = s.slice(c2.length);
    const startHour = inPeriod(c1.hour, p1?.[1]);
    start = date.day.set({ hour: startHour % 24, minute: c1.minute });
    if (startHour === 24) start = date.day.plus({ days: 1 });
    let endHour = p2 ? inPeriod(c2.hour, p2[1]) : inPeriod(c2.hour, p1?.[1]);
    // "晚上10点到6点": the evening's 18:00 would be before the start; the 6 is the morning's.
    if (!p2 && endHour * 60 + c2.minute <= startHour * 60 + c1.minute && c2.hour * 60 + c2.minute < startHour * 60 + c1.minute) endHour = c2.hour;
    end = { clock: { hour: endHour, minute: c2.minute } };
  }
  if (!start.isValid) return { ok: false, problem: 'start' };
  const r = resolveShiftTimes(start.toJSDate(), end, zone);
  return r.ok ? { ...r, rest: s.replace(/^[\s,，:：]+/, '').trim() } : r;
}

/** "2027-03-01 09:00" in a zone: a time as a worker types it (parseLocal's form). Pure. */
export function formatLocal(at: Date, zone = defaultTimeZone): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm');
}
