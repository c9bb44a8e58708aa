import { DateTime, IANAZone } from 'luxon';

/** One reminder offset: its kind as stored ("24h", "2h", "5m") and its length. */
export interface ReminderOffset {
  kind: string;
  ms: number;
}

/** Quiet hours as minutes of the local day: [start, end), wrapping midnight when start > end. */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

const offsetPattern = /^(\d{1,4})\s*(d|h|m)$/i;
const unitMs = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
/** Reminders are between one minute and thirty days before a shift. */
const minOffsetMs = 60_000;
const maxOffsetMs = 30 * 86_400_000;

/**
 * "24h,2h" / "5m" / "1d,30m" → offsets, longest first, duplicates (by length) dropped. Throws a
 * RangeError naming the bad part; an empty list is refused (to stop reminders, opt out instead).
 */
export function parseReminderOffsets(text: string): ReminderOffset[] {
  const parts = text.split(/[,，、\s]+/).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new RangeError('reminder offsets: at least one, e.g. "24h,2h"');
  if (parts.length > 6) throw new RangeError('reminder offsets: at most 6');
  const byMs = new Map<number, ReminderOffset>();
  for (const p of parts) {
    const m = offsetPattern.exec(p);
    if (!m) throw new RangeError(`reminder offset "${p}": expected a number and h, m or d, e.g. 24h, 2h, 5m`);
    const unit = m[2]!.toLowerCase() as keyof typeof unitMs;
    const ms = Number(m[1]) * unitMs[unit];
    if (ms < minOffsetMs || ms > maxOffsetMs) throw new RangeError(`reminder offset "${p}": between 1m and 30d`);
    if (!byMs.has(ms)) byMs.set(ms, { kind: `${Number(m[1])}${unit}`, ms });
  }
  return [...byMs.values()].sort((a, b) => b.ms - a.ms);
}

/** "22:00-08:00" → quiet hours; null, "", "off" → none. Throws a RangeError when it does not parse. */
export function parseQuietHours(text: string | null | undefined): QuietHours | null {
  if (text == null) return null;
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'off' || t === 'none') return null;
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(t);
  if (!m) throw new RangeError(`quiet hours "${text}": expected HH:MM-HH:MM, e.g. 22:00-08:00, or off`);
  const [sh, sm, eh, em] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (sh > 23 || eh > 23 || sm > 59 || em > 59) throw new RangeError(`quiet hours "${text}": not a time of day`);
  const startMinute = sh * 60 + sm;
  const endMinute = eh * 60 + em;
  if (startMinute === endMinute) throw new RangeError(`quiet hours "${text}": start and end are the same`);
  return { startMinute, endMinute };
}

/** The canonical text of quiet hours ("22:00-08:00"), or null. */
export function formatQuietHours(q: QuietHours | null): string | null {
  if (!q) return null;
  const hm = (n: number) => `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
  return `${hm(q.startMinute)}-${hm(q.endMinute)}`;
}

/** Zones already checked: luxon's check builds an Intl.DateTimeFormat each time (slow on a hot path). */
const zoneValidity = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size > 1000) zoneValidity.clear();
    zoneValidity.set(zone, valid);
  }
  return valid;
}

/**
 * When a reminder `offsetMs` before `shiftStart` is due, in `zone` with `quiet` hours.
 *
 * The rule (chat contract: "never between 22:00 and 08:00; such a reminder moves earlier"):
 * quiet hours are the local minutes from the start (inclusive) to the end (exclusive), so with
 * 22:00-08:00 a reminder at 22:00 or 07:59 is quiet and one at 08:00 or 21:59 is not. A quiet
 * reminder moves to one minute before the quiet period it falls in began, i.e. 21:59:00 local on
 * the evening that period started (a 07:00 reminder moves to 21:59 the evening before). Seconds
 * are dropped when a reminder moves. Pure.
 */
export function reminderDueAt(shiftStart: Date, offsetMs: number, zone: string, quiet: QuietHours | null): Date {
  if (!quiet) return new Date(shiftStart.getTime() - offsetMs);
  // Pure, and the same few shifts are asked about again and again in a rush of sign-ups.
  const key = `${shiftStart.getTime()}|${offsetMs}|${zone}|${quiet.startMinute}-${quiet.endMinute}`;
  const known = dueAtMemo.get(key);
  if (known !== undefined) return new Date(known);
  const dueAt = computeDueAt(shiftStart, offsetMs, zone, quiet);
  if (dueAtMemo.size >= 10_000) dueAtMemo.clear();
  dueAtMemo.set(key, dueAt.getTime());
  return dueAt;
}

const dueAtMemo = new Map<string, number>();

function computeDueAt(shiftStart: Date, offsetMs: number, zone: string, quiet: QuietHours | null): Date {
  const nominal = new Date(shiftStart.getTime() - offsetMs);
  if (!quiet) return nominal;
  const local = DateTime.fromJSDate(nominal, { zone });
  const minute = local.hour * 60 + local.minute;
  const { startMinute, endMinute } = quiet;
  const wraps = startMinute > endMinute;
  const inQuiet = wraps ? minute >= startMinute || minute < endMinute : minute >= startMinute && minute < endMinute;
  if (!inQuiet) return nominal;
  // The local day on which this quiet period began: yesterday for the morning part of a wrapping one.
  const day = wraps && minute < endMinute ? local.minus({ days: 1 }) : local;
  const begin = day.set({ hour: Math.floor(startMinute / 60), minute: startMinute % 60, second: 0, millisecond: 0 });
  return begin.minus({ minutes: 1 }).toJSDate();
}

export interface PlannedTime {
  kind: string;
  dueAt: Date;
}

/**
 * The reminders of one shift: one per offset, quiet hours applied. Two offsets that land on the
 * same minute (both moved out of the night) make one reminder, the longer offset's; a reminder
 * whose time is not after `now` is left out (the person just signed up: they know). Pure.
 */
export function planReminderTimes(
  shiftStart: Date,
  settings: { offsets: ReminderOffset[]; zone: string; quiet: QuietHours | null },
  now: Date,
): PlannedTime[] {
  const seen = new Set<number>();
  const out: PlannedTime[] = [];
  for (const o of settings.offsets) {
    const dueAt = reminderDueAt(shiftStart, o.ms, settings.zone, settings.quiet);
    if (dueAt.getTime() <= now.getTime() || dueAt.getTime() >= shiftStart.getTime()) continue;
    const minute = Math.floor(dueAt.getTime() / 60_000);
    if (seen.has(minute)) continue;
    seen.add(minute);
    out.push({ kind: o.kind, dueAt });
  }
  return out;
}

/** A community's reminder settings, read from its row; bad stored text falls back to the defaults. */
export function reminderSettingsOf(c: { reminderOffsets: string; quietHours: string | null; timezone: string }): {
  offsets: ReminderOffset[];
  zone: string;
  quiet: QuietHours | null;
} {
  let offsets: ReminderOffset[];
  let quiet: QuietHours | null;
  try {
    offsets = parseReminderOffsets(c.reminderOffsets);
  } catch {
    offsets = parseReminderOffsets('24h,2h');
  }
  try {
    quiet = parseQuietHours(c.quietHours);
  } catch {
    quiet = parseQuietHours('22:00-08:00');
  }
  return { offsets, zone: isValidTimeZone(c.timezone) ? c.timezone : 'Asia/Shanghai', quiet };
}
