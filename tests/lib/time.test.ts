// The one rule for shift times that the CLI, the API and the console share (src/lib/time.ts),
// table-tested. Pure functions of the text and a zone: no clock is read.
import { describe, expect, test } from 'vitest';
import { isPast, parseShiftRange, parseShiftTimes, parseShiftWhen, pastGraceMs, timeProblemText, type ShiftTimes } from '../../src/lib/time.ts';

const utc = (r: ShiftTimes) => (r.ok ? [r.start.toISOString(), r.end.toISOString(), r.nextDay] : r.problem);

describe('parseShiftRange (the CLI --shift, "2026-12-05 09:00-11:00")', () => {
  test.each([
    // Regression: an overnight shift, "23:56-00:56", was refused as malformed.
    ['2026-12-03 23:56-00:56', ['2026-12-03T15:56:00.000Z', '2026-12-03T16:56:00.000Z', true]],
    ['2026-12-05 22:00-06:00', ['2026-12-05T14:00:00.000Z', '2026-12-05T22:00:00.000Z', true]],
    ['2026-12-31 22:00-06:00', ['2026-12-31T14:00:00.000Z', '2026-12-31T22:00:00.000Z', true]], // into the new year
    ['2026-12-05 09:00-11:00', ['2026-12-05T01:00:00.000Z', '2026-12-05T03:00:00.000Z', false]],
    ['2026-12-05 9:00 - 11:00', ['2026-12-05T01:00:00.000Z', '2026-12-05T03:00:00.000Z', false]],
    ['2026-12-05 18:00-24:00', ['2026-12-05T10:00:00.000Z', '2026-12-05T16:00:00.000Z', false]],
    // What input methods type: full-width digits and colon, a wave dash, 至.
    ['２０２６-１２-０５ ２２：００～０６：００', ['2026-12-05T14:00:00.000Z', '2026-12-05T22:00:00.000Z', true]],
    ['2026-12-05 22:00至06:00', ['2026-12-05T14:00:00.000Z', '2026-12-05T22:00:00.000Z', true]],
    // A full end is taken as written.
    ['2026-12-05 22:00-2026-12-06 06:00', ['2026-12-05T14:00:00.000Z', '2026-12-05T22:00:00.000Z', false]],
    ['2026-12-05 08:00-2026-12-06 08:00', ['2026-12-05T00:00:00.000Z', '2026-12-06T00:00:00.000Z', false]], // 24 h: the longest
    ['2026-12-05 09:00-2026-12-04 10:00', 'endBeforeStart'],
    ['2026-12-05 09:00-2026-12-05 08:00', 'endBeforeStart'],
    ['2026-12-05 08:00-2026-12-06 08:01', 'tooLong'],
    ['2026-12-05 08:00-08:00', 'endNotAfterStart'], // not 24 hours: equal is refused
    ['2026-12-05 08:00-2026-12-05 08:00', 'endNotAfterStart'],
    ['2026-12-05 09:00-25:00', 'format'],
    ['2026-12-05 09:00-11:60', 'format'],
    ['2026-13-05 09:00-11:00', 'format'],
    ['12月5日 9点-11点', 'format'],
    ['', 'format'],
  ] as const)('%s', (text, expected) => {
    expect(utc(parseShiftRange(text, 'Asia/Shanghai'))).toEqual(expected);
  });

  test('in the community’s zone; across a DST change the next day is the next local day', () => {
    expect(utc(parseShiftRange('2026-12-05 22:00-06:00', 'Asia/Urumqi'))).toEqual(['2026-12-05T16:00:00.000Z', '2026-12-06T00:00:00.000Z', true]);
    // New York, 8 March 2026: 02:00 does not exist; 23:00 EST to 06:00 EDT is 6 hours.
    expect(utc(parseShiftRange('2026-03-07 23:00-06:00', 'America/New_York'))).toEqual(['2026-03-08T04:00:00.000Z', '2026-03-08T10:00:00.000Z', true]);
  });
});

describe('parseShiftTimes (the API’s start and end)', () => {
  test.each([
    [['2026-12-03 23:56', '00:56'], ['2026-12-03T15:56:00.000Z', '2026-12-03T16:56:00.000Z', true]],
    // An ISO start: a bare end is on its local day (Shanghai), not its UTC day.
    [['2026-12-03T15:56:00Z', '00:56'], ['2026-12-03T15:56:00.000Z', '2026-12-03T16:56:00.000Z', true]],
    [['2026-12-05T01:00:00Z', '11:30'], ['2026-12-05T01:00:00.000Z', '2026-12-05T03:30:00.000Z', false]],
    [['2026-12-05 09:00', '2026-12-05T03:30:00Z'], ['2026-12-05T01:00:00.000Z', '2026-12-05T03:30:00.000Z', false]],
    // A full end datetime before the start stays an error: its writer gave the date.
    [['2026-12-03 23:56', '2026-12-03 00:56'], 'endBeforeStart'],
    [['2026-12-05 09:00', '09:00'], 'endNotAfterStart'],
    [['2026-12-05 08:00', '2026-12-06 09:00'], 'tooLong'],
    [['12月5日', '11:00'], 'start'],
    [['2026-12-05 09:00', '11点'], 'end'],
  ] as const)('%j', ([start, end], expected) => {
    expect(utc(parseShiftTimes(start, end, 'Asia/Shanghai'))).toEqual(expected);
  });
});

describe('isPast (publish --at and POST …/publish at)', () => {
  test('a minute of grace, then too late', () => {
    const now = new Date('2026-06-01T01:00:30Z');
    expect(isPast(new Date(now.getTime() - pastGraceMs), now)).toBe(false);
    expect(isPast(new Date(now.getTime() - pastGraceMs - 1), now)).toBe(true);
    expect(isPast(new Date(now.getTime() + 3_600_000), now)).toBe(false);
  });
  test('its words, in Chinese and English', () => {
    expect(timeProblemText('past')).toBe('这个时间已经过去了');
    expect(timeProblemText('past', 'en')).toBe('that time has passed');
    expect(timeProblemText('format', 'en')).toContain('"2026-12-05 22:00-06:00"');
  });
});

describe('parseShiftWhen: shifts as a chat command writes them', () => {
  // Thursday 2026-12-03 10:00 in Beijing, fixed: the words that depend on today are read from it.
  const now = new Date('2026-12-03T10:00:00+08:00');
  const zone = 'Asia/Shanghai';
  const read = (s: string) => {
    const r = parseShiftWhen(s, zone, now);
    return r.ok ? [r.start.toISOString(), r.end.toISOString(), r.nextDay, r.rest] : r.problem;
  };
  test.each<[string, unknown]>([
    ['12月20日 9:00-11:00', ['2026-12-20T01:00:00.000Z', '2026-12-20T03:00:00.000Z', false, '']],
    ['12月20日 9:00-11:00 3号楼门口', ['2026-12-20T01:00:00.000Z', '2026-12-20T03:00:00.000Z', false, '3号楼门口']],
    ['2026-12-05 09:00-11:00', ['2026-12-05T01:00:00.000Z', '2026-12-05T03:00:00.000Z', false, '']],
    ['１２月２０号 ９：００～１１：００', ['2026-12-20T01:00:00.000Z', '2026-12-20T03:00:00.000Z', false, '']],
    // a date already past this year is next year's
    ['1月5日 9:00-11:00', ['2027-01-05T01:00:00.000Z', '2027-01-05T03:00:00.000Z', false, '']],
    ['12/20 14:00-16:30', ['2026-12-20T06:00:00.000Z', '2026-12-20T08:30:00.000Z', false, '']],
    ['周六上午', ['2026-12-05T01:00:00.000Z', '2026-12-05T04:00:00.000Z', false, '']],
    ['星期四下午', ['2026-12-03T06:00:00.000Z', '2026-12-03T09:00:00.000Z', false, '']], // today is Thursday
    ['下周三 9点到11点半', ['2026-12-09T01:00:00.000Z', '2026-12-09T03:30:00.000Z', false, '']],
    ['明天下午两点到四点', ['2026-12-04T06:00:00.000Z', '2026-12-04T08:00:00.000Z', false, '']],
    ['后天上午九点到十一点', ['2026-12-05T01:00:00.000Z', '2026-12-05T03:00:00.000Z', false, '']],
    ['明天下午2点-5点', ['2026-12-04T06:00:00.000Z', '2026-12-04T09:00:00.000Z', false, '']],
    // overnight
    ['12月20日 22:00-06:00', ['2026-12-20T14:00:00.000Z', '2026-12-20T22:00:00.000Z', true, '']],
    ['明天晚上10点到6点', ['2026-12-04T14:00:00.000Z', '2026-12-04T22:00:00.000Z', true, '']],
    ['明天晚上十点到早上六点', ['2026-12-04T14:00:00.000Z', '2026-12-04T22:00:00.000Z', true, '']],
    ['今天23:56-00:56', ['2026-12-03T15:56:00.000Z', '2026-12-03T16:56:00.000Z', true, '']],
    // refusals
    ['3号楼门口', 'format'],
    ['下午两点', 'format'],
    ['明天 9点', 'end'],
    ['明天 9:00-9:00', 'endNotAfterStart'],
    ['13月5日 9:00-11:00', 'format'],
    ['12月20日 9:00-25:00', 'end'],
  ])('%s', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });
});
