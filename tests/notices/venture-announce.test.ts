import { describe, expect, test } from 'vitest';
import { resultsMaxLines, resultsScreenChars, resultsText } from '../../src/notices/venture-announce.ts';
import type { RankedProposal } from '../../src/core/ventures/rounds.ts';

/** A ranking as closeVoting makes it: highest votes first, winners marked. */
function ranking(n: number, winners: number[], title = (i: number) => `第${i}号楼的社区微更新项目：楼道加装扶手和休息座椅`): RankedProposal[] {
  return Array.from({ length: n }, (_, k) => {
    const number = k + 1;
    const won = winners.includes(number);
    return { number, title: title(number), requestedFen: 100_000, votes: 200 - k, winner: won, ...(won ? { projectNumber: 10 + number } : {}) };
  });
}

describe('results announced in a group fit one phone screen', () => {
  test('few proposals: every one is shown, no pointer (as in venture.txt)', () => {
    const text = resultsText({ title: '楼栋微创投' }, ranking(2, [1], (i) => (i === 1 ? '楼道图书角' : '老年人智能手机课')), 'zh-Hans');
    expect(text).toBe(['【微创投】楼栋微创投 投票结果：', '#1 楼道图书角 · 200 票 · 1000 元 · 入选（项目 #11）', '#2 老年人智能手机课 · 199 票 · 1000 元'].join('\n'));
  });

  test('many proposals: the winners, three runners-up, and a pointer to 提案清单', () => {
    const text = resultsText({ title: '楼栋微创投' }, ranking(25, [1, 2, 4, 7]), 'zh-Hans');
    const lines = text.split('\n');
    expect(text.length).toBeLessThanOrEqual(resultsScreenChars);
    expect(lines.filter((l) => l.startsWith('#')).map((l) => l.split(' ')[0])).toEqual(['#1', '#2', '#3', '#4', '#5', '#6', '#7']);
    expect(lines.filter((l) => l.includes('入选（项目')).length).toBe(4);
    expect(lines.at(-1)).toBe('共 25 个提案，入选 4 个。完整排名请发送「提案清单」');
    // Long titles are cut on the line, never the line itself.
    expect(lines[1]).toMatch(/^#1 第1号楼的社区微更新项目：楼道加装扶手…/);
  });

  test('very many winners are cut too, to the screen, with the pointer', () => {
    for (const locale of ['zh-Hans', 'zh-Hant', 'en'] as const) {
      const text = resultsText({ title: '楼栋微创投' }, ranking(40, Array.from({ length: 30 }, (_, i) => i + 1)), locale);
      const lines = text.split('\n');
      expect(text.length, locale).toBeLessThanOrEqual(resultsScreenChars);
      expect(lines.filter((l) => l.startsWith('#')).length, locale).toBeLessThanOrEqual(resultsMaxLines);
      expect(lines.at(-1), locale).toMatch(locale === 'en' ? /40 proposals in all, 30 won\. Send \/proposals/ : locale === 'zh-Hant' ? /共 40 個提案，入選 30 個。完整排名請發送「提案清單」/ : /共 40 个提案，入选 30 个/);
    }
  });

  test('no winner says so', () => {
    const text = resultsText({ title: '楼栋微创投' }, ranking(12, []), 'zh-Hans');
    expect(text.split('\n').slice(-2)).toEqual(['这一轮没有提案入选', '共 12 个提案，入选 0 个。完整排名请发送「提案清单」']);
  });
});
