// The reminder-time rule, as pure table tests: offsets are durations before the shift's start;
// a reminder that falls in quiet hours (start inclusive, end exclusive, local time) moves earlier,
// to one minute before that quiet period began (21:59 local with 22:00-08:00).
import { describe, expect, test } from 'vitest';
import {
  parseQuietHours,
  parseReminderOffsets,
  planReminderTimes,
  reminderDueAt,
  reminderSettingsOf,
} from '../../../src/core/reminders/reminder-times.ts';

const night = parseQuietHours('22:00-08:00');
const H = 3_600_000;

describe('reminderDueAt: quiet hours move a reminder earlier, in the community’s time zone', () => {
  const cases: Array<[string, string, number, string, string | null, string]> = [
    // [why, shift start, offset ms, zone, quiet, expected due (ISO, UTC)]
    ['24 h before 09:00 is 09:00 the day before: not quiet', '2026-12-05T09:00+08:00', 24 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-04T01:00:00.000Z'],
    ['2 h before 09:00 is 07:00: quiet → 21:59 the evening before', '2026-12-05T09:00+08:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-04T13:59:00.000Z'],
    ['2 h before 10:00 is 08:00: the end is not quiet', '2026-12-05T10:00+08:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-05T00:00:00.000Z'],
    ['2 h before 09:59 is 07:59: quiet → 21:59 the evening before', '2026-12-05T09:59+08:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-04T13:59:00.000Z'],
    ['2 h before 23:59 is 21:59: not quiet', '2026-12-05T23:59+08:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-05T13:59:00.000Z'],
    ['2 h before midnight is 22:00: the start is quiet → 21:59 that evening', '2026-12-06T00:00+08:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-05T13:59:00.000Z'],
    ['2 h before 01:30 is 23:30: quiet → 21:59 that same evening', '2026-12-06T01:30+08:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-05T13:59:00.000Z'],
    ['24 h before 00:30 is 00:30 the day before: quiet → 21:59 two evenings before the shift', '2026-12-06T00:30+08:00', 24 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-04T13:59:00.000Z'],
    ['seconds are dropped when a reminder moves', '2026-12-05T09:00:30+08:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-04T13:59:00.000Z'],
    ['seconds are kept when it does not', '2026-12-05T11:00:30+08:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-05T01:00:30.000Z'],
    ['quiet hours off: exactly the offset', '2026-12-05T09:00+08:00', 2 * H, 'Asia/Shanghai', null, '2026-12-04T23:00:00.000Z'],
    ['5 minutes before 22:03 is 21:58: not quiet', '2026-12-05T22:03+08:00', 5 * 60_000, 'Asia/Shanghai', '22:00-08:00', '2026-12-05T13:58:00.000Z'],
    ['quiet hours that do not wrap midnight (12:00-14:00): 13:00 → 11:59 the same day', '2026-12-05T15:00+08:00', 2 * H, 'Asia/Shanghai', '12:00-14:00', '2026-12-05T03:59:00.000Z'],
    ['local time is the community’s: London in summer (BST), 07:00 → 21:59 BST', '2026-07-01T09:00+01:00', 2 * H, 'Europe/London', '22:00-08:00', '2026-06-30T20:59:00.000Z'],
    ['Kolkata (+05:30): 07:30 → 21:59 IST the evening before', '2026-12-05T09:30+05:30', 2 * H, 'Asia/Kolkata', '22:00-08:00', '2026-12-04T16:29:00.000Z'],
    ['New York, the night clocks go forward: 07:00 EDT → 21:59 EST the evening before', '2026-03-08T09:00-04:00', 2 * H, 'America/New_York', '22:00-08:00', '2026-03-08T02:59:00.000Z'],
    ['New York across the change: 24 h is a duration, 08:00 EST the day before (not quiet)', '2026-03-08T09:00-04:00', 24 * H, 'America/New_York', '22:00-08:00', '2026-03-07T13:00:00.000Z'],
    ['the same instant in Shanghai is another local time: no move there', '2026-12-05T09:00+00:00', 2 * H, 'Asia/Shanghai', '22:00-08:00', '2026-12-05T07:00:00.000Z'],
    ['the same instant in London is 07:00: moved', '2026-12-05T09:00+00:00', 2 * H, 'Europe/London', '22:00-08:00', '2026-12-04T21:59:00.000Z'],
  ];
  test.each(cases)('%s', (_why, start, offset, zone, quiet, expected) => {
    expect(reminderDueAt(new Date(start), offset, zone, parseQuietHours(quiet)).toISOString()).toBe(expected);
  });
});

describe('planReminderTimes: one reminder per offset, never in the past, never two at one minute', () => {
  const settings = { offsets: parseReminderOffsets('24h,2h'), zone: 'Asia/Shanghai', quiet: night };
  test('the default: 24 h and 2 h before', () => {
    const plan = planReminderTimes(new Date('2026-12-05T15:00+08:00'), settings, new Date('2026-12-01T00:00+08:00'));
    expect(plan.map((p) => [p.kind, p.dueAt.toISOString()])).toEqual([
      ['24h', '2026-12-04T07:00:00.000Z'],
      ['2h', '2026-12-05T05:00:00.000Z'],
    ]);
  });
  test('a reminder whose time has passed is left out (signed up 3 hours before: only the 2 h one)', () => {
    const plan = planReminderTimes(new Date('2026-12-05T15:00+08:00'), settings, new Date('2026-12-05T12:00+08:00'));
    expect(plan.map((p) => p.kind)).toEqual(['2h']);
  });
  test('signed up 1 hour before: none', () => {
    expect(planReminderTimes(new Date('2026-12-05T15:00+08:00'), settings, new Date('2026-12-05T14:00+08:00'))).toEqual([]);
  });
  test('two offsets moved to the same 21:59 make one reminder, the longer offset’s', () => {
    // 08:30: 2 h before is 06:30 and 1 h before 07:30, both quiet: both move to 21:59.
    const s = { ...settings, offsets: parseReminderOffsets('2h,1h') };
    const plan = planReminderTimes(new Date('2026-12-05T08:30+08:00'), s, new Date('2026-12-01T00:00+08:00'));
    expect(plan.map((p) => [p.kind, p.dueAt.toISOString()])).toEqual([['2h', '2026-12-04T13:59:00.000Z']]);
  });
  test('a moved reminder already past is left out too', () => {
    // 2 h before 09:00 moves to 21:59 the evening before; at 23:00 that is past.
    const plan = planReminderTimes(new Date('2026-12-05T09:00+08:00'), settings, new Date('2026-12-04T23:00+08:00'));
    expect(plan).toEqual([]);
  });
});

describe('parsing the settings', () => {
  test.each([
    ['24h,2h', ['24h', '2h']],
    ['2h,24h', ['24h', '2h']],
    ['5m', ['5m']],
    ['1d, 30m', ['1d', '30m']],
    ['60m,1h', ['60m']],
    ['24H，2h', ['24h', '2h']],
  ])('offsets "%s"', (text, kinds) => {
    expect(parseReminderOffsets(text).map((o) => o.kind)).toEqual(kinds);
  });
  test.each(['', 'abc', '0m', '31d', '2x', '1h,2h,3h,4h,5h,6h,7h'])('offsets "%s" are refused', (text) => {
    expect(() => parseReminderOffsets(text)).toThrow(RangeError);
  });
  test('quiet hours', () => {
    expect(parseQuietHours('22:00-08:00')).toEqual({ startMinute: 1320, endMinute: 480 });
    expect(parseQuietHours('off')).toBeNull();
    expect(parseQuietHours(null)).toBeNull();
    for (const bad of ['25:00-08:00', '22:00-22:00', 'night', '22-08']) expect(() => parseQuietHours(bad)).toThrow(RangeError);
  });
  test('a community row with bad stored text falls back to the defaults', () => {
    const s = reminderSettingsOf({ reminderOffsets: 'x', quietHours: 'y', timezone: 'Mars/Olympus' });
    expect(s.offsets.map((o) => o.kind)).toEqual(['24h', '2h']);
    expect(s.quiet).toEqual({ startMinute: 1320, endMinute: 480 });
    expect(s.zone).toBe('Asia/Shanghai');
  });
});
