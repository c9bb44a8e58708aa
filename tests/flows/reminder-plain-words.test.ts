// Regression (issue 11): a reminder waiting for its 1 / 2 in a private chat swallowed plain words —
// "3号楼电梯坏了" got "回复 1 确认参加，2 请假" back and no need was recorded. Now words that ask for
// something else are understood as usual and the reminder waits on; a question they lead to hands
// the chat back to the reminder once answered; a cancel by day clears the reminder with its sign-up;
// chatter still gets the reminder's question again.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { makeWorld, type World } from '../helpers/volunteering-world.ts';
import { reminderFlow } from '../../src/notices/reminder-message.ts';
import { understandFlow } from '../../src/flows/understand.ts';

const at = (iso: string) => new Date(iso);

describe('plain words while a reminder waits for 1 / 2 (private chat)', () => {
  let h: Harness;
  let w: World;
  const clock = new TestClock('2026-11-30T10:00+08:00');
  const session = (person: string) => h.app.ctx.prisma.flowSession.findUnique({ where: { platform_chatId_userId: { platform: 'web', chatId: person, userId: person } } });
  const reminderOf = async (person: string) => (await h.app.ctx.prisma.reminder.findFirstOrThrow({ where: { status: 'sent', signUp: { person: { displayName: person } } } })).id;

  beforeAll(async () => {
    h = await createHarness({ clock });
    w = await makeWorld(h);
    // Saturday 2026-12-05 09:00-11:00 in Beijing; its 24 h reminder is due on Friday at 09:00.
    await w.project('楼道灯维修', [{ startsAt: at('2026-12-05T09:00+08:00'), endsAt: at('2026-12-05T11:00+08:00'), capacity: 3, place: '3号楼门口' }]);
    await w.say('小一', 'g1', '报名 1');
    await w.say('小二', 'g1', '报名 1');
    await w.sent();
    await h.advanceTo(at('2026-12-04T09:00+08:00'));
    expect((await w.sent()).map(([c]) => c).sort()).toEqual(['dm:小一', 'dm:小二']);
  });
  afterAll(async () => h?.close());

  test('a need in plain words is recorded, and the reminder still waits for its answer', async () => {
    const reminderId = await reminderOf('小一');
    expect(await session('小一')).toMatchObject({ flow: reminderFlow.name, answers: { reminderId } });
    await w.say('小一', 'dm', '5号楼电梯坏了好几天了，老人上下楼很难');
    const [reply] = await w.sent();
    expect(reply?.[0]).toBe('dm:小一');
    expect(reply?.[1]).toMatch(/^已登记需求 #1（物业维修）/);
    expect(await h.app.ctx.prisma.need.findMany({ select: { number: true, category: true } })).toEqual([{ number: 1, category: 'repair' }]);
    expect(await session('小一')).toMatchObject({ flow: reminderFlow.name, answers: { reminderId } });

    // What is on: the list; chatter: the reminder's question again.
    await w.say('小一', 'dm', '这周有什么活动');
    expect((await w.sent())[0]?.[1]).toContain('#1 楼道灯维修');
    await w.say('小一', 'dm', '在吗');
    expect(await w.sent()).toEqual([['dm:小一', '项目 #1 班次 A（12月5日 周六 09:00-11:00）：回复 1 确认参加，2 请假']]);

    // The reminder's own answer still reaches it.
    await w.say('小一', 'dm', '1');
    expect(await w.sent()).toEqual([['dm:小一', '已确认参加：项目 #1「楼道灯维修」班次 A（12月5日 周六 09:00-11:00）。到场后发送「签到 1 签到码」签到，谢谢！']]);
    expect(await session('小一')).toBeNull();
  });

  test('a question the words lead to holds the chat, then hands it back to the reminder', async () => {
    const reminderId = await reminderOf('小二');
    await w.say('小二', 'dm', '楼道灯又不亮了，我也遇到了');
    const asked = await w.sent();
    expect(asked).toHaveLength(1);
    expect(asked[0]?.[1]).toMatch(/回复 1 是，2 不是|回复编号/);
    expect(await session('小二')).toMatchObject({ flow: understandFlow.name, answers: { then: reminderFlow.name } });
    await w.say('小二', 'dm', '0');
    expect(await w.sent()).toEqual([['dm:小二', '好的，没有办理。可以换个说法再说一次，或发送「帮助」查看用法']]);
    expect(await session('小二')).toMatchObject({ flow: reminderFlow.name, answers: { reminderId } });
  });

  test('a cancel by day cancels the sign-up, and the reminder no longer waits', async () => {
    await w.say('小二', 'dm', '周六我去不了了');
    expect(await w.sent()).toEqual([['dm:小二', '已取消项目 #1 的报名（班次 A）']]);
    expect(await h.app.ctx.prisma.signUp.findFirstOrThrow({ where: { person: { displayName: '小二' } } })).toMatchObject({ status: 'cancelled' });
    expect(await session('小二')).toBeNull();
    await w.say('小二', 'dm', '2');
    expect((await w.sent())[0]?.[1]).toContain('你好，我是邻里助手');
  });
});
