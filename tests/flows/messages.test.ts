// The chat's message catalogue (src/flows/messages.ts): English plural forms, a refusal for every
// AppError code in every language, and the apology in the language the text was written in.
import { describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '../../src/lib/errors.ts';
import { apologyFor, errorText, locales, messageKeys, t, type MessageKey } from '../../src/flows/messages.ts';

/**
 * The parameters a message reads, each set to `n`: found by rendering it once in Simplified Chinese
 * with a Proxy that records what is read (so there is no list of names to keep up to date).
 */
function paramsOf(render: (p: Record<string, number>) => string, n: number): Record<string, number> {
  const read = new Set<string>();
  render(new Proxy({}, { get: (_t, key) => (typeof key === 'string' ? (read.add(key), n) : undefined) }) as Record<string, number>);
  return Object.fromEntries([...read].map((k) => [k, n]));
}
const keyParams = (key: MessageKey, n: number) => paramsOf((p) => t('zh-Hans', key, p), n);
const codeParams = (code: ErrorCode, n: number) => paramsOf((p) => errorText('zh-Hans', code, p), n);

const nounsPlural = /\b1 (?:people|shifts|groups|minutes|volunteers|characters|no-shows|entries|hours entries|volunteer hours|hours(?! entry))\b/;
const nounsSingular = /\b2 (?:person|shift|group|minute|volunteer(?! hours?\b)|character|no-show|entry|hours entry|volunteer hour|hour)\b/;

describe('English plurals (Intl.PluralRules)', () => {
  it('regression: "1 shifts", "1 people now" — a count of one takes the singular', () => {
    expect(t('en', 'evalAttendance', { shifts: 1, signUps: 1, attended: 1, rate: '100%', noShows: 1 })).toBe('1 shift, 1 signed up, 1 came, attendance 100%, 1 no-show');
    expect(t('en', 'evalAttendance', { shifts: 2, signUps: 3, attended: 2, rate: '67%', noShows: 0 })).toBe('2 shifts, 3 signed up, 2 came, attendance 67%, 0 no-shows');
    expect(t('en', 'upvoted', { number: 12, count: 1 })).toBe('+1 on need #12: 1 person now');
    expect(t('en', 'upvoted', { number: 12, count: 3 })).toBe('+1 on need #12: 3 people now');
    expect(t('en', 'needsLine', { number: 1, label: 'Repairs', text: 'lift', count: 1 })).toBe('#1 [Repairs] lift · 1 person');
    expect(t('en', 'published', { number: 3, groups: 1, at: '' })).toBe('Publishing project #3 to 1 group');
    expect(t('en', 'checkedOut', { number: 3, label: 'A', hours: '1.5' })).toContain('1.5 hours');
    expect(t('en', 'checkedOut', { number: 3, label: 'A', hours: '1' })).toContain(', 1 hour,');
    expect(errorText('en', 'ALREADY_SUPPORTED', { number: 4, count: 1 })).toBe('You already support need #4 (1 person)');
  });

  it('no English message says "1 <plural>" or "2 <singular>", whatever its parameters', () => {
    expect(messageKeys.length).toBeGreaterThan(100);
    const bad: string[] = [];
    for (const key of messageKeys) {
      const one = t('en', key, { ...keyParams(key, 1), ...paramsOf((p) => t('en', key, p), 1) });
      const two = t('en', key, { ...keyParams(key, 2), ...paramsOf((p) => t('en', key, p), 2) });
      if (nounsPlural.test(one)) bad.push(`${key}: ${one}`);
      if (nounsSingular.test(two)) bad.push(`${key}: ${two}`);
    }
    for (const code of errorCodes) {
      const one = errorText('en', code, paramsOf((p) => errorText('en', code, p), 1));
      const two = errorText('en', code, paramsOf((p) => errorText('en', code, p), 2));
      if (nounsPlural.test(one)) bad.push(`${code}: ${one}`);
      if (nounsSingular.test(two)) bad.push(`${code}: ${two}`);
    }
    expect(bad).toEqual([]);
  });

  it('Chinese has no plural forms: the count is written as is', () => {
    expect(t('zh-Hans', 'upvoted', { number: 12, count: 1 })).toBe('已为需求 #12 +1，现在 1 人同求');
    expect(t('zh-Hant', 'upvoted', { number: 12, count: 1 })).toBe('已為需求 #12 +1，現在 1 人同求');
  });
});

describe('AppError codes', () => {
  it.each(errorCodes)('%s has a refusal in every language (the compiler checks the table; this checks it renders)', (code) => {
    const texts = locales.map((l) => errorText(l, code, codeParams(code, 3)));
    for (const s of texts) {
      expect(s.trim()).not.toBe('');
      expect(s).not.toContain(code);
      expect(s).not.toContain('undefined');
    }
    expect(new Set(texts).size, 'English differs from Chinese').toBeGreaterThan(1);
  });

  it('Traditional is converted wording with the values kept as written', () => {
    expect(errorText('zh-Hant', 'ORG_NOT_FOUND', { name: '阳光志愿队' })).toBe('沒有找到組織「阳光志愿队」，請核對名稱');
  });
});

describe('apologyFor: the "please try again" line before the person is known', () => {
  it('regression: always Simplified Chinese — now in the language of the text', () => {
    expect(apologyFor('需求 樓道燈壞了')).toBe(t('zh-Hant', 'internalError'));
    expect(apologyFor('/need the stairwell light is broken')).toBe(t('en', 'internalError'));
    expect(apologyFor('@linli_bot the lift is broken')).toBe(t('en', 'internalError'));
    expect(apologyFor('需求 楼道灯坏了')).toBe(t('zh-Hans', 'internalError'));
  });

  it('reads anything as Simplified Chinese when it cannot tell', () => {
    expect(apologyFor('+1 3')).toBe(t('zh-Hans', 'internalError'));
    expect(apologyFor('/help')).toBe(t('zh-Hans', 'internalError'));
    expect(apologyFor(undefined)).toBe(t('zh-Hans', 'internalError'));
    expect(apologyFor({ text: 'x' })).toBe(t('zh-Hans', 'internalError'));
    expect(apologyFor('\ud800'.repeat(100_000))).toBe(t('zh-Hans', 'internalError'));
    expect(apologyFor(`${'門'.repeat(300)} the lift`)).toBe(t('zh-Hant', 'internalError'));
  });
});

describe('Traditional takes the branch Simplified takes', () => {
  // Regression: substituteAsked compared `Number(p.waitlisted) > 0`; Traditional renders the wording
  // with placeholders for the values, so it always said "posted in the groups" even with a waitlist.
  it('substituteAsked and silentToWorkers, with and without a count', () => {
    const base = { number: 1, title: '楼道灯维修', label: 'A', time: '周六 09:00-11:00', minutes: 30, names: '小三', count: 1, released: 1 };
    expect(t('zh-Hant', 'substituteAsked', { ...base, waitlisted: 2 })).toContain('先私聊問了候補的 2 位鄰居');
    expect(t('zh-Hant', 'substituteAsked', { ...base, waitlisted: '' })).toContain('已發到社區各群');
    expect(t('zh-Hant', 'silentToWorkers', { ...base, promoted: 1 })).toContain('（1 人遞補）');
    expect(t('zh-Hant', 'silentToWorkers', { ...base, promoted: '' })).toContain('（沒有候補）');
  });
});
