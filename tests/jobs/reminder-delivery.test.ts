// Reminders delivered by real BullMQ delays, no promotion: the clock runs with real time (shifted to
// the moment the test needs), so a reminder due two seconds from "now" is sent by the reminder
// worker two seconds later, into the web chat. Timings are not asserted, only order: never early.
import { afterEach, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { ShiftedClock } from '../helpers/clock.ts';
import { eventually, makeWorld } from '../helpers/volunteering-world.ts';

describe('reminders on real time', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test('quiet hours end to end: 2 h before 09:00 moves to 21:59 the evening before, and is sent then (not before)', { timeout: 30_000 }, async () => {
    const clock = new ShiftedClock(new Date('2026-12-01T10:00+08:00').getTime() - Date.now());
    h = await createHarness({ clock });
    const w = await makeWorld(h);
    const p = await w.project('楼道灯维修', [{ startsAt: new Date('2026-12-05T09:00+08:00'), endsAt: new Date('2026-12-05T11:00+08:00'), capacity: 3 }]);
    // "Now" becomes 21:58:57 in Beijing on Friday; the shift is Saturday 09:00.
    clock.offsetMs = new Date('2026-12-04T21:58:57+08:00').getTime() - Date.now();
    await w.say('小一', 'g1', `报名 ${p.number}`);
    expect((await w.sent())[0]![1]).toContain('报名成功');
    const reminders = await h.app.ctx.prisma.reminder.findMany();
    // The 24 h reminder was due in the morning (past: none); the 2 h one moved out of the night.
    expect(reminders.map((r) => [r.kind, r.dueAt.toISOString()])).toEqual([['2h', '2026-12-04T13:59:00.000Z']]);
    const line = await eventually(
      () => h!.app.ctx.prisma.webChatMessage.findFirst({ where: { conversation: 'dm:小一', senderId: null } }),
      15_000,
      'the reminder in 小一’s private chat',
    );
    expect(line.text).toBe('【活动提醒】项目 #1「楼道灯维修」班次 A\n时间：12月5日 周六 09:00-11:00\n地点：门口\n回复 1 确认，2 请假');
    const sent = await h.app.ctx.prisma.reminder.findFirstOrThrow();
    expect(sent.status).toBe('sent');
    expect(sent.sentAt!.getTime()).toBeGreaterThanOrEqual(sent.dueAt.getTime());
    // And the answer reaches it.
    await w.say('小一', 'dm', '1');
    expect((await w.sent()).at(-1)![1]).toContain('已确认参加');
  });

  test('a community with 5-minute reminders (`--reminders 5m`, quiet hours off): sent 5 minutes before the start', { timeout: 30_000 }, async () => {
    const clock = new ShiftedClock(0);
    h = await createHarness({ clock });
    const w = await makeWorld(h, { reminders: '5m', quiet: null });
    const start = new Date(Date.now() + 5 * 60_000 + 2_000);
    const p = await w.project('助老送餐', [{ startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), capacity: 3 }]);
    await w.say('小二', 'g1', `报名 ${p.number}`);
    await w.sent();
    const [r] = await h.app.ctx.prisma.reminder.findMany();
    expect(r).toMatchObject({ kind: '5m', dueAt: new Date(start.getTime() - 5 * 60_000), status: 'scheduled' });
    await eventually(async () => (await h!.app.ctx.prisma.reminder.findFirstOrThrow()).status === 'sent', 15_000, 'the 5m reminder');
    const lines = await eventually(async () => {
      const rows = await h!.app.ctx.prisma.webChatMessage.findMany({ where: { conversation: 'dm:小二', senderId: null } });
      return rows.length ? rows : null;
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toContain('【活动提醒】项目 #1「助老送餐」班次 A');
  });
});
