import { DateTime } from 'luxon';

export const defaultTimeZone = 'Asia/Shanghai';

/** "2026-12-05 09:00" in a zone → Date; null when it does not parse. */
export function parseLocal(text: string, zone = defaultTimeZone): Date | null {
  const dt = DateTime.fromFormat(text.trim(), 'yyyy-MM-dd HH:mm', { zone });
  return dt.isValid ? dt.toJSDate() : null;
}

/**
 * "2026-12-05 09:00-11:00" (an end on the same day, or a full "2026-12-06 01:00" end) → start and end.
 */
export function parseLocalRange(text: string, zone = defaultTimeZone): { start: Date; end: Date } | null {
  const m = /^\s*(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*-\s*(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2}:\d{2})\s*$/.exec(text);
  if (!m) return null;
  const pad = (t: string) => (t.length === 4 ? `0${t}` : t);
  const start = parseLocal(`${m[1]} ${pad(m[2] ?? '')}`, zone);
  const end = parseLocal(`${m[3] ?? m[1]} ${pad(m[4] ?? '')}`, zone);
  if (!start || !end || end <= start) return null;
  return { start, end };
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
