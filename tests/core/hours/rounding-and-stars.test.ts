import { describe, expect, test } from 'vitest';
import { roundHours } from '../../../src/core/hours/round-hours.ts';
import { nextStar, starsFor } from '../../../src/core/hours/stars.ts';

describe('hours are rounded to the nearest half hour; under 15 minutes counts 0', () => {
  test.each([
    [0, 0],
    [14, 0],
    [14.99, 0],
    [15, 0.5],
    [44, 0.5],
    [45, 1],
    [60, 1],
    [104, 1.5],
    [105, 2],
    [120, 2],
    [-5, 0],
  ])('%d min → %d h', (minutes, hours) => expect(roundHours(minutes)).toBe(hours));
  test('another community’s rule: quarter hours, under 10 minutes counts 0', () => {
    const rule = { roundMinutes: 15, minMinutes: 10 };
    expect([9, 10, 22, 23, 52].map((m) => roundHours(m, rule))).toEqual([0, 0.25, 0.25, 0.5, 0.75]);
  });
});

describe('star levels at 100 / 300 / 600 / 1,000 / 1,500 approved hours', () => {
  test.each([
    [0, 0],
    [99.5, 0],
    [100, 1],
    [299, 1],
    [300, 2],
    [600, 3],
    [999.99, 3],
    [1000, 4],
    [1500, 5],
    [9999, 5],
  ])('%d h → %d stars', (hours, stars) => expect(starsFor(hours)).toBe(stars));
  test('the next star', () => {
    expect(nextStar(2)).toEqual({ hours: 98, stars: 1 });
    expect(nextStar(300)).toEqual({ hours: 300, stars: 3 });
    expect(nextStar(1500)).toBeNull();
  });
});
