import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateModel, readLabelled } from '../../../src/core/understanding/evaluate-model.ts';
import { loadOfflineModel } from '../../../src/core/understanding/offline-model.ts';
import { OfflineUnderstander } from '../../../src/core/understanding/offline-understander.ts';
import { understandingSchema } from '../../../src/core/understanding/understanding.ts';
import { readSlots } from '../../../src/core/understanding/slots.ts';
import { readWhenWindow, shiftInWindow } from '../../../src/core/understanding/when.ts';

const heldoutPath = fileURLToPath(new URL('../../../data/understanding/heldout.jsonl', import.meta.url));
const ctx = { inGroup: true, locale: 'zh-Hans' as const, communityId: 1 };

describe('the committed offline model (data/understanding/model.json)', () => {
  const model = loadOfflineModel();

  it('loads, is small, and reproduces the held-out accuracy recorded in it (within 0.001)', () => {
    const recorded = model.file.accuracy.heldout;
    const now = evaluateModel(model, readLabelled(heldoutPath));
    expect(now.n).toBe(recorded.n);
    expect(Math.abs(now.intent! - recorded.intent!)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(now.category! - recorded.category!)).toBeLessThanOrEqual(0.001);
    // The brief's bar for categories on the held-out set.
    expect(now.category!).toBeGreaterThanOrEqual(0.9);
    expect(JSON.stringify(model.file).length).toBeLessThan(2 * 1024 * 1024);
  });

  it('understands plain words into intents and slots, validated', () => {
    const u = new OfflineUnderstander(model);
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['@邻里助手 楼下路灯坏了好几天了', 'report_need', { category: 'repair' }],
      ['我周六上午可以去帮忙', 'sign_up', { when: '周六上午' }],
      ['我也遇到了楼道灯不亮', 'support_need', {}],
      ['这周有什么活动', 'ask_projects', {}],
      ['我到了 签到码 123456', 'check_in', {}],
      ['给3号项目打5分', 'rate', { number: 3, rating: 5 }],
      ['電梯壞了三天了', 'report_need', { category: 'repair' }],
      ['2', 'chatter', {}],
      ['', 'chatter', {}],
    ];
    for (const [text, intent, slots] of cases) {
      const got = u.read(text, ctx);
      expect(understandingSchema.parse(got)).toEqual(got);
      expect(got.intent, text).toBe(intent);
      expect(got.slots, text).toMatchObject(slots);
      expect(got.source).toBe('offline');
    }
    expect(u.read('有人摔倒了，快来人', ctx).slots.urgent).toBe(true);
  });
});

describe('slot readers', () => {
  it('numbers are items, not buildings, dates, times or codes', () => {
    expect(readSlots('3号项目我去').number).toBe(3);
    expect(readSlots('支持#12').number).toBe(12);
    expect(readSlots('投给第二个').number).toBe(2);
    expect(readSlots('3号楼电梯坏了')).toEqual({ place: '3号楼' });
    expect(readSlots('12月5号有活动吗').number).toBeUndefined();
    expect(readSlots('下午3点').number).toBeUndefined();
    expect(readSlots('签到码 123456').number).toBeUndefined();
  });
  it('places, days, shifts and ratings as written', () => {
    expect(readSlots('5栋2单元楼道灯不亮').place).toBe('5栋2单元');
    expect(readSlots('明天下午两点我能去').when).toBe('明天下午两点');
    expect(readSlots('我报3号的b班')).toMatchObject({ number: 3, shift: 'B' });
    expect(readSlots('五星好评').rating).toBe(5);
    expect(readSlots('★★★★').rating).toBe(4);
  });
  it('a day and time name the shifts they overlap (Beijing; relative to a given now)', () => {
    const zone = 'Asia/Shanghai';
    const sunday = new Date('2026-11-22T02:00:00Z'); // a Sunday, 10:00 in Beijing
    const sat = { startsAt: new Date('2026-11-28T01:00:00Z'), endsAt: new Date('2026-11-28T03:00:00Z') }; // Sat 09:00-11:00
    const satMorning = readWhenWindow('周六上午', sunday, zone)!;
    expect(satMorning.days).toEqual(['2026-11-28']);
    expect(shiftInWindow(sat, satMorning, zone)).toBe(true);
    expect(shiftInWindow(sat, readWhenWindow('周六下午', sunday, zone)!, zone)).toBe(false);
    expect(shiftInWindow(sat, readWhenWindow('周六上午十点', sunday, zone)!, zone)).toBe(true);
    expect(readWhenWindow('下周三', sunday, zone)!.days).toEqual(['2026-11-25']);
    expect(readWhenWindow('明天下午两点', sunday, zone)).toEqual({ days: ['2026-11-23'], hours: [12, 18], at: { hour: 14, minute: 0 } });
    // The same weekday as today: today, or a week on.
    expect(readWhenWindow('周日', sunday, zone)!.days).toEqual(['2026-11-22', '2026-11-29']);
    expect(readWhenWindow('随便', sunday, zone)).toBeNull();
  });
});
