// Check-in with the rotating code, its refusals (each its own message), manual attendance, and
// what closing a project settles: attended / no-show, hours, the needs, the evaluation.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { makeWorld, type World } from '../helpers/volunteering-world.ts';
import { codeAt, codeStep } from '../../src/core/checkins/checkin-code.ts';
import { evaluateProject } from '../../src/core/evaluation/evaluate-project.ts';

const at = (iso: string) => new Date(iso);

describe('check-in, attendance and closing', () => {
  let h: Harness;
  let w: World;
  const clock = new TestClock('2026-11-30T10:00+08:00');
  let number: number;
  let shiftId: number;
  const secret = 'checkin-test-secret';
  const codeAtTime = (iso: string) => codeAt(secret, codeStep(at(iso), 300));

  beforeAll(async () => {
    h = await createHarness({ clock });
    w = await makeWorld(h);
    const p = await w.project('社区大扫除', [
      { startsAt: at('2026-12-05T09:00+08:00'), endsAt: at('2026-12-05T11:00+08:00'), capacity: 5 },
      { startsAt: at('2026-12-12T09:00+08:00'), endsAt: at('2026-12-12T11:00+08:00'), capacity: 5 },
    ]);
    number = p.number;
    shiftId = p.shiftIds[0]!;
    await h.app.ctx.prisma.shift.update({ where: { id: shiftId }, data: { checkinSecret: secret } });
    for (const who of ['小一', '小二', '小三', '小四']) await w.say(who, 'g1', `报名 ${number} A`);
    await w.say('小五', 'g1', `报名 ${number} B`);
    await w.say('路人', 'g1', '项目');
    await w.sent();
  });
  afterAll(async () => h?.close());

  test('each refusal has its own message: outside the window, wrong code, expired code, not signed up', async () => {
    const replies: string[] = [];
    const ask = async (who: string, text: string) => {
      await w.say(who, 'dm', text);
      const s = await w.sent();
      replies.push(s.at(-1)![1]);
      return s.at(-1)![1];
    };
    clock.set('2026-12-05T07:59+08:00');
    expect(await ask('小一', `签到 ${number} ${codeAtTime('2026-12-05T07:59+08:00')}`)).toBe('现在不是签到时间：项目 #1 班次 A 请在 12月5日 08:00 到 11:00 之间签到');
    clock.set('2026-12-05T08:30+08:00');
    const now = codeAtTime('2026-12-05T08:30+08:00');
    const wrong = now === '111111' ? '222222' : '111111';
    expect(await ask('小一', `签到 ${number} ${wrong}`)).toBe('签到码不对。请核对现场的 6 位签到码，再发送「签到 1 签到码」');
    expect(await ask('小一', `签到 ${number} ${codeAtTime('2026-12-05T08:15+08:00')}`)).toBe('这个签到码已过期（每 5 分钟更换），请用现场最新的签到码再发一次');
    expect(await ask('路人', `签到 ${number} ${now}`)).toBe('你没有报名项目 #1，不能签到。请先发送「报名 1」');
    // 小五 signed up for next week's shift only: outside its window, not "not signed up".
    expect(await ask('小五', `签到 ${number} ${now}`)).toBe('现在不是签到时间：项目 #1 班次 B 请在 12月12日 08:00 到 11:00 之间签到');
    expect(new Set(replies.slice(0, 4)).size).toBe(4);
    // The previous step's code is still good (a code read just before it rotated).
    expect(await ask('小一', `签到 ${number} ${codeAtTime('2026-12-05T08:27+08:00')}`)).toBe('签到成功：项目 #1 班次 A，08:30。结束时可发送「签退 1」');
    expect(await ask('小一', `簽到 ${number} ${now}`)).toBe('你已經簽到過了（項目 #1，08:30）'); // written in Traditional, answered so
    expect(await ask('小二', `/checkin ${number} ${now.slice(0, 3)} ${now.slice(3)}`)).toBe('签到成功：项目 #1 班次 A，08:30。结束时可发送「签退 1」');
    expect(await h.app.ctx.prisma.checkIn.count({ where: { shiftId } })).toBe(2);
  });

  test('the code is for workers, and only in private', async () => {
    await w.say('小三', 'g1', `签到码 ${number}`);
    expect(await w.sent()).toEqual([['g1', '@小三 只有本社区的工作人员可以这样做。如需帮助，请联系居委会']]);
    await w.say('王书记', 'g1', `签到码 ${number}`);
    const sent = await w.sent();
    expect(sent.find(([c]) => c === 'g1')![1]).toBe('@王书记 签到码已私聊发给你（签到码不在群里公布）');
    expect(sent.find(([c]) => c === 'g1')![1]).not.toMatch(/\d{6}/);
    expect(sent.find(([c]) => c === 'dm:王书记')![1]).toContain(`签到码：${codeAtTime('2026-12-05T08:30+08:00')}\n08:40 前有效`);
  });

  test('a worker marks attendance by hand (补签); the volunteer is told; refusals for unknown names', async () => {
    clock.set('2026-12-05T09:30+08:00');
    await w.say('王书记', 'dm', `补签 ${number} 小三`);
    expect((await w.sent()).sort()).toEqual([
      ['dm:小三', '社区工作人员已为你登记到场：项目 #1「社区大扫除」班次 A，谢谢参与！'],
      ['dm:王书记', '已为「小三」登记到场：项目 #1 班次 A'],
    ]);
    await w.say('王书记', 'dm', `补签 ${number} 小三`);
    expect((await w.sent())[0]![1]).toBe('你已经签到过了（项目 #1，09:30）');
    await w.say('王书记', 'dm', `补签 ${number} 不认识`);
    expect((await w.sent())[0]![1]).toBe('项目 #1 的报名名单里没有「不认识」');
    const manual = await h.app.ctx.prisma.checkIn.findFirstOrThrow({ where: { method: 'manual' } });
    expect(manual.markedById).toBe(w.workerId);
    expect(await h.app.ctx.prisma.auditLog.count({ where: { action: 'checkin.manual' } })).toBe(1);
  });

  test('check-out credits the stay; closing settles the rest: attended, no-show, the shift to come cancelled', async () => {
    clock.set('2026-12-05T10:40+08:00');
    await w.say('小二', 'dm', `签退 ${number}`); // 08:30-10:40: 130 min → 2 h
    expect((await w.sent())[0]![1]).toBe('已签退：项目 #1 班次 A，本次服务 2 小时，社区审核后计入志愿时长');
    await w.say('小四', 'dm', `签退 ${number}`);
    expect((await w.sent())[0]![1]).toBe('你还没有签到项目 #1，不能签退');
    clock.set('2026-12-05T11:30+08:00');
    await w.say('王书记', 'dm', `结项 ${number}`);
    const sent = await w.sent();
    // 小五's shift next week is cancelled with the project; the group is asked for feedback.
    expect(sent.find(([c]) => c === 'dm:小五')![1]).toBe('项目 #1「社区大扫除」班次 B（12月12日 周六 09:00-11:00）取消了，你的报名也一并取消。谢谢关心！');
    expect(sent.find(([c]) => c === 'g1')![1]).toContain('【项目结项】#1「社区大扫除」已完成');
    expect(sent.find(([c]) => c === 'dm:王书记')![1]).toBe(
      [
        '项目 #1「社区大扫除」已结项，已请 1 个群的居民评价',
        '项目 #1「社区大扫除」评估：',
        '班次 1 个，报名 4 人，到场 3 人，出勤率 75%，缺席 1 人',
        '志愿时长：已认定 0 小时，待审核 6 小时',
        '受益人次：未填写（发送「受益 1 人次」填写）',
        '居民评价：还没有',
      ].join('\n'),
    );
    const statuses = await h.app.ctx.prisma.signUp.findMany({ where: { shift: { projectId: (await h.app.ctx.prisma.project.findFirstOrThrow()).id } }, select: { status: true, person: { select: { displayName: true } } }, orderBy: { id: 'asc' } });
    expect(statuses.map((s) => [s.person.displayName, s.status])).toEqual([
      ['小一', 'attended'],
      ['小二', 'attended'],
      ['小三', 'attended'],
      ['小四', 'no_show'],
      ['小五', 'cancelled'],
    ]);
    const hours = await h.app.ctx.prisma.hoursEntry.findMany({ orderBy: { personId: 'asc' }, select: { hours: true, reason: true, status: true } });
    expect(hours.map((x) => [Number(x.hours), x.reason, x.status])).toEqual([
      [2, 'attended', 'pending'], // 小一: no check-out, the shift's 2 h
      [2, 'checkout', 'pending'], // 小二: 08:30-10:40
      [2, 'attended', 'pending'], // 小三: marked by hand
    ]);
    // Closing again changes nothing and tells no one again; it shows the evaluation.
    await w.say('王书记', 'dm', `结项 ${number}`);
    const again = await w.sent();
    expect(again).toHaveLength(1);
    expect(again[0]![1].startsWith('项目 #1「社区大扫除」评估：')).toBe(true);
    expect(await h.app.ctx.prisma.hoursEntry.count()).toBe(3);
    const e = await evaluateProject(h.app.ctx, { communityId: w.communityId, number });
    expect(e).toMatchObject({ shifts: 1, signUps: 4, attended: 3, noShows: 1, attendanceRate: 0.75, pendingHours: 6, approvedHours: 0 });
  });

  test('ratings: once per person, the latest counts; personal data masked; 1-5 only', async () => {
    await w.say('小四', 'g1', `评价 ${number} 2 电话13812345678`);
    await w.sent();
    expect((await h.app.ctx.prisma.feedback.findFirstOrThrow()).comment).toBe('电话138****5678');
    await w.say('小四', 'g1', `评价 ${number} 4 下次一定来`);
    await w.say('路人', 'g1', `评价 ${number} 三星`);
    await w.sent();
    const fb = await h.app.ctx.prisma.feedback.findMany({ orderBy: { personId: 'asc' } });
    expect(fb.map((f) => [f.rating, f.comment])).toEqual([
      [4, '下次一定来'],
      [3, ''],
    ]);
    await w.say('小四', 'dm', `评价 ${number} 9`);
    expect((await w.sent())[0]![1]).toBe('请写上项目编号和 1-5 分，例如：评价 3 5 很好');
  });
});
