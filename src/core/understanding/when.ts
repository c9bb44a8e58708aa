import { DateTime } from 'luxon';
import { smallNumber } from './slots.ts';

/**
 * What a `when` slot as written ("周六上午", "明天下午两点", "下周三", "12月5号") means as times:
 * the local days it names and the part of the day or the hour. Pure: `now` and the zone are given.
 */
export interface WhenWindow {
  /** Local dates (yyyy-MM-dd) the words name; empty when they name no day ("下午"). */
  days: string[];
  /** Local hours [from, to) of the part of the day named, if any. */
  hours?: [number, number];
  /** The local hour and minute named ("两点" after 下午 is 14:00), if any. */
  at?: { hour: number; minute: number };
}

const WEEKDAY: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };
const PARTS: ReadonlyArray<[RegExp, [number, number]]> = [
  [/上午|早上|早晨/, [5, 12]],
  [/中午/, [11, 14]],
  [/下午/, [12, 18]],
  [/傍晚/, [17, 19]],
  [/晚上|夜里|今晚|明晚/, [18, 24]],
  [/凌晨/, [0, 5]],
];

/** Reads a `when` slot; null when the words name no time this reader knows. */
export function readWhenWindow(when: string, now: Date, zone: string): WhenWindow | null {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const day = (d: DateTime) => d.toFormat('yyyy-MM-dd');
  const days: string[] = [];
  let m: RegExpExecArray | null;
  if ((m = /大后天|后天|明天|明晚|今天|今晚/.exec(when))) {
    const offset = { 今天: 0, 今晚: 0, 明天: 1, 明晚: 1, 后天: 2, 大后天: 3 }[m[0] as '今天'];
    days.push(day(today.plus({ days: offset })));
  } else if ((m = /(下下|下|这|本)?个?(?:周|星期|礼拜)([一二三四五六日天1-7])/.exec(when))) {
    const wd = WEEKDAY[m[2]!]!;
    const weeks = m[1] === '下下' ? 2 : m[1] === '下' ? 1 : 0;
    if (weeks === 0) {
      // "周六" said on a Sunday is the coming Saturday; said on a Saturday, today or the next one.
      const ahead = (wd - today.weekday + 7) % 7;
      days.push(day(today.plus({ days: ahead })));
      if (ahead === 0) days.push(day(today.plus({ days: 7 })));
    } else {
      days.push(day(today.startOf('week').plus({ weeks, days: wd - 1 })));
    }
  } else if ((m = /(下)?周末/.exec(when))) {
    const base = m[1] ? today.startOf('week').plus({ weeks: 1 }) : today.startOf('week');
    for (const d of [5, 6]) if (base.plus({ days: d }) >= today || m[1]) days.push(day(base.plus({ days: d })));
    if (days.length === 0) for (const d of [5, 6]) days.push(day(base.plus({ weeks: 1, days: d })));
  } else if ((m = /(\d{1,2})月(\d{1,2})[日号]/.exec(when))) {
    let d = DateTime.fromObject({ year: today.year, month: Number(m[1]), day: Number(m[2]) }, { zone });
    if (!d.isValid) return null;
    if (d < today) d = d.plus({ years: 1 });
    days.push(day(d));
  }
  let hours: [number, number] | undefined;
  for (const [re, range] of PARTS) if (re.test(when)) hours ??= range;
  let at: WhenWindow['at'];
  if ((m = /(\d{1,2}|[一二两三四五六七八九十]{1,3})点(半|(\d{1,2})分?)?/.exec(when))) {
    let hour = smallNumber(m[1]!);
    if (hour !== null && hour <= 24) {
      if (hours && hours[0] >= 12 && hour < 12) hour += 12;
      at = { hour, minute: m[2] === '半' ? 30 : m[3] ? Number(m[3]) : 0 };
    }
  }
  if (days.length === 0 && !hours && !at) return null;
  return { days, ...(hours ? { hours } : {}), ...(at ? { at } : {}) };
}

/** Whether a shift falls in the window: on one of its days, overlapping its part of the day, covering its hour. */
export function shiftInWindow(shift: { startsAt: Date; endsAt: Date }, w: WhenWindow, zone: string): boolean {
  const start = DateTime.fromJSDate(shift.startsAt, { zone });
  const end = DateTime.fromJSDate(shift.endsAt, { zone });
  if (w.days.length && !w.days.includes(start.toFormat('yyyy-MM-dd'))) return false;
  const startH = start.hour + start.minute / 60;
  const endH = end.hasSame(start, 'day') ? end.hour + end.minute / 60 : 24;
  if (w.hours && !(startH < w.hours[1] && endH > w.hours[0])) return false;
  if (w.at) {
    const h = w.at.hour + w.at.minute / 60;
    if (!(startH <= h && h < endH)) return false;
  }
  return true;
}
