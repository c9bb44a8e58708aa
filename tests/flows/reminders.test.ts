// Reminders through the real pipeline (web chat → router → core → Postgres → BullMQ → reminder
// worker → outbound → web chat), with a test clock: a shift moved or cancelled moves or cancels its
// reminders, answers reach the right sign-up, opt-out is respected and recorded, stale jobs are
// harmless, and a lost job is found again by the sweep.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { makeWorld, type World } from '../helpers/volunteering-world.ts';
import { moveShift } from '../../src/core/shifts/move-shift.ts';
import { cancelShift } from '../../src/core/shifts/cancel-shift.ts';
import { prepareReminder } from '../../src/core/reminders/prepare-reminder.ts';
import { listSilentVolunteers } from '../../src/core/reminders/silent-volunteers.ts';
import { sweepReminders } from '../../jobs/reminders.ts';
import { reminderFlow } from '../../src/notices/reminder-message.ts';

const at = (iso: string) => new Date(iso);
/** Saturday 2026-12-05 09:00-11:00 in Beijing. */
const sat = { startsAt: at('2026-12-05T09:00+08:00'), endsAt: at('2026-12-05T11:00+08:00'), capacity: 2 };

describe('reminders', () => {
  let h: Harness;
  let clock: TestClock;
  let w: World;
  beforeEach(async () => {
    clock = new TestClock('2026-11-30T10:00+08:00');
    h = await createHarness({ clock });
    w = await makeWorld(h);
  });
  afterEach(async () => h?.close());

  const rows = (signUpPerson: string) =>
    h.app.ctx.prisma.reminder.findMany({ where: { signUp: { person: { displayName: signUpPerson } } }, orderBy: [{ signUpId: 'asc' }, { kind: 'asc' }] });
  /** Delayed reminder jobs (the sweep's own scheduled run aside). */
  const delayedJobIds = async () => (await h.app.reminders.queue.getDelayed()).filter((j) => j.name === 'send').map((j) => j.id).sort();

  test('a confirmed sign-up gets one delayed job per offset (24 h and 2 h, the latter moved out of the night)', async () => {
    const p = await w.project('楼道灯维修', [sat]);
    await w.say('小一', 'g1', `报名 ${p.number}`);
    await w.sent();
    const r = await rows('小一');
    expect(r.map((x) => [x.kind, x.dueAt.toISOString(), x.status, x.jobId])).toEqual([
      ['24h', '2026-12-04T01:00:00.000Z', 'scheduled', `rem-${r[0]!.signUpId}-24h-v1`],
      ['2h', '2026-12-04T13:59:00.000Z', 'scheduled', `rem-${r[0]!.signUpId}-2h-v1`],
    ]);
    expect(await delayedJobIds()).toEqual(r.map((x) => x.jobId).sort());
    // The delay is the time until due, by the community's clock.
    const job = await h.app.reminders.queue.getJob(r[0]!.jobId!);
    expect(job!.opts.delay).toBe(r[0]!.dueAt.getTime() - clock.now().getTime());
    // Waitlisted: no reminders.
    await w.say('小二', 'g1', `报名 ${p.number}`);
    await w.say('小三', 'g1', `报名 ${p.number}`);
    await w.sent();
    expect(await rows('小三')).toEqual([]);
  });

  test('moving a shift reschedules its reminders (new jobs, old ones removed or stale) and tells its volunteers', async () => {
    const p = await w.project('楼道灯维修', [sat]);
    await w.say('小一', 'g1', `报名 ${p.number}`);
    await w.sent();
    const before = await rows('小一');
    const moved = await moveShift(h.app.ctx, {
      communityId: w.communityId,
      number: p.number,
      shift: 'A',
      startsAt: at('2026-12-06T14:00+08:00'),
      endsAt: at('2026-12-06T16:00+08:00'),
      actorId: w.workerId,
      via: 'console',
    });
    await h.app.effects.apply(moved.effects);
    expect(await w.sent()).toEqual([['dm:小一', '项目 #1「楼道灯维修」班次 A 改时间了：12月6日 周日 14:00-16:00，门口。活动前会再私聊提醒你，来不了请发「取消报名 1」']]);
    const after = await rows('小一');
    expect(after.map((x) => [x.kind, x.dueAt.toISOString(), x.version, x.status])).toEqual([
      ['24h', '2026-12-05T06:00:00.000Z', 2, 'scheduled'],
      ['2h', '2026-12-06T04:00:00.000Z', 2, 'scheduled'],
    ]);
    expect(await delayedJobIds()).toEqual(after.map((x) => x.jobId).sort());
    // A stale job (say its removal failed) sends nothing: it is no longer its row's job.
    expect(await prepareReminder(h.app.ctx, { reminderId: before[0]!.id, jobId: before[0]!.jobId! })).toEqual({ action: 'skip', reason: 'stale' });
    // The old time passes: nothing. The new one: the reminder, with the new time.
    await h.advanceTo(at('2026-12-04T22:00+08:00'));
    expect(await w.sent()).toEqual([]);
    await h.advanceTo(at('2026-12-05T14:00+08:00'));
    const sent = await w.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]![1]).toContain('时间：12月6日 周日 14:00-16:00');
    const audit = await h.app.ctx.prisma.auditLog.findFirst({ where: { action: 'shift.move' } });
    expect(audit).toMatchObject({ actorId: w.workerId, via: 'console', before: { startsAt: sat.startsAt.toISOString() } });
  });

  test('cancelling a shift cancels its reminders and tells its volunteers; nothing is sent later', async () => {
    const p = await w.project('楼道灯维修', [sat]);
    await w.say('小一', 'g1', `报名 ${p.number}`);
    await w.sent();
    const r = await cancelShift(h.app.ctx, { communityId: w.communityId, number: p.number, shift: 'A', actorId: w.workerId, via: 'console' });
    await h.app.effects.apply(r.effects);
    expect(await w.sent()).toEqual([['dm:小一', '项目 #1「楼道灯维修」班次 A（12月5日 周六 09:00-11:00）取消了，你的报名也一并取消。谢谢关心！']]);
    expect((await rows('小一')).map((x) => [x.status, x.skippedReason])).toEqual([
      ['cancelled', 'shift_cancelled'],
      ['cancelled', 'shift_cancelled'],
    ]);
    expect(await delayedJobIds()).toEqual([]);
    await h.advanceTo(at('2026-12-05T08:00+08:00'));
    expect(await w.sent()).toEqual([]);
  });

  test('取消报名 removes the jobs; the promoted volunteer gets reminders of their own', async () => {
    const p = await w.project('楼道灯维修', [{ ...sat, capacity: 1 }]);
    await w.say('小一', 'g1', `报名 ${p.number}`);
    await w.say('小二', 'g1', `报名 ${p.number}`);
    await w.sent();
    const first = await rows('小一');
    await w.say('小一', 'g1', `取消报名 ${p.number}`);
    await w.sent();
    expect((await rows('小一')).map((x) => [x.status, x.skippedReason])).toEqual([
      ['cancelled', 'signup_cancelled'],
      ['cancelled', 'signup_cancelled'],
    ]);
    const promoted = await rows('小二');
    expect(promoted.map((x) => x.status)).toEqual(['scheduled', 'scheduled']);
    const ids = await delayedJobIds();
    expect(ids).toEqual(promoted.map((x) => x.jobId).sort());
    expect(ids).not.toContain(first[0]!.jobId);
  });

  test('answers: 1 confirms, 2 asks for leave (waitlist promoted), anything else asks again; buttons work the same', async () => {
    const p = await w.project('楼道灯维修', [{ ...sat, capacity: 2 }]);
    for (const who of ['小一', '小二', '小三']) await w.say(who, 'g1', `报名 ${p.number}`);
    await w.sent();
    await h.advanceTo(at('2026-12-04T09:00+08:00'));
    const reminders = await w.sent();
    expect(reminders.map(([c]) => c).sort()).toEqual(['dm:小一', 'dm:小二']);
    const line = await h.app.ctx.prisma.webChatMessage.findFirst({ where: { conversation: 'dm:小一', senderId: null }, orderBy: { id: 'desc' } });
    expect(line!.buttons).toEqual([
      { label: '1 确认', payload: '1' },
      { label: '2 请假', payload: '2' },
    ]);
    // The session was written when the reminder was sent, in the private chat, keyed by the person.
    const session = await h.app.ctx.prisma.flowSession.findUnique({ where: { platform_chatId_userId: { platform: 'web', chatId: '小一', userId: '小一' } } });
    expect(session).toMatchObject({ flow: reminderFlow.name, version: reminderFlow.version, expiresAt: sat.startsAt });

    // A button press is addressed text: its payload "1".
    await h.app.handleInbound({ platform: 'web', messageId: 'btn-1', chat: { platform: 'web', chatId: '小一', kind: 'direct' }, sender: { userId: '小一', displayName: '小一' }, text: '1 确认', buttonPayload: '1' });
    expect(await w.sent()).toEqual([['dm:小一', '已确认参加：项目 #1「楼道灯维修」班次 A（12月5日 周六 09:00-11:00）。到场后发送「签到 1 签到码」签到，谢谢！']]);
    const su1 = await h.app.ctx.prisma.signUp.findFirstOrThrow({ where: { person: { displayName: '小一' } } });
    expect(su1.confirmedAt).toEqual(clock.now());
    expect((await rows('小一')).map((x) => [x.kind, x.status, x.answer])).toEqual([
      ['24h', 'answered', '1'],
      ['2h', 'scheduled', null],
    ]);

    await w.say('小二', 'dm', '在吗');
    expect(await w.sent()).toEqual([['dm:小二', '项目 #1 班次 A（12月5日 周六 09:00-11:00）：回复 1 确认参加，2 请假']]);
    await w.say('小二', 'dm', '２'); // full-width
    expect((await w.sent()).sort()).toEqual([
      ['dm:小三', '好消息：有人取消了，你已从候补转为正式报名：项目 #1「楼道灯维修」，班次 A（12月5日 周六 09:00-11:00）'],
      ['dm:小二', '已为你请假，取消了项目 #1 班次 A 的报名。谢谢告知！'],
    ]);
    expect(await h.app.ctx.prisma.signUp.findFirstOrThrow({ where: { person: { displayName: '小二' } } })).toMatchObject({ status: 'cancelled' });
    expect(await h.app.ctx.prisma.signUp.findFirstOrThrow({ where: { person: { displayName: '小三' } } })).toMatchObject({ status: 'confirmed' });
    expect((await rows('小三')).map((x) => x.kind)).toEqual(['2h']); // the 24 h one was due already
    expect(await h.app.ctx.prisma.auditLog.count({ where: { action: 'signup.leave' } })).toBe(1);
    // A command still works while a reminder waits for an answer; the session is untouched.
    await w.say('小三', 'dm', '我的');
    expect((await w.sent())[0]![1]).toContain('报名：#1A');
  });

  test('with several reminders waiting, a bare 1 answers the latest; the next 1 the one before', async () => {
    const a = await w.project('楼道灯维修', [sat]);
    const b = await w.project('助老送餐', [{ startsAt: at('2026-12-05T12:00+08:00'), endsAt: at('2026-12-05T13:00+08:00'), capacity: 5 }]);
    await w.say('小一', 'g1', `报名 ${a.number}`);
    await w.say('小一', 'g1', `报名 ${b.number}`);
    await w.sent();
    await h.advanceTo(at('2026-12-04T09:00+08:00')); // #1's 24 h reminder
    await w.sent();
    await h.advanceTo(at('2026-12-04T12:00+08:00')); // #2's 24 h reminder, the latest
    await w.sent();
    await w.say('小一', 'dm', '1');
    expect((await w.sent())[0]![1]).toContain('项目 #2「助老送餐」');
    await w.say('小一', 'dm', '1');
    expect((await w.sent())[0]![1]).toContain('项目 #1「楼道灯维修」');
    await w.say('小一', 'dm', '1');
    expect((await w.sent())[0]![1]).toContain('你好，我是邻里助手'); // nothing left to answer
  });

  test('退订: reminders are skipped and the row says why; 订阅: they come again; both recorded', async () => {
    const p = await w.project('楼道灯维修', [sat]);
    await w.say('小一', 'g1', `报名 ${p.number}`);
    await w.say('小一', 'dm', '退订');
    expect((await w.sent()).at(-1)).toEqual(['dm:小一', '已退订：以后不再私聊给你发活动提醒和通知。想恢复请发送「订阅」']);
    await h.advanceTo(at('2026-12-04T09:00+08:00'));
    expect(await w.sent()).toEqual([]);
    expect((await rows('小一'))[0]).toMatchObject({ kind: '24h', status: 'cancelled', skippedReason: 'opted_out', sentAt: null });
    await w.say('小一', 'dm', '订阅');
    expect(await w.sent()).toEqual([['dm:小一', '已恢复订阅：活动提醒和通知会照常私聊发给你。不想收请发送「退订」']]);
    await h.advanceTo(at('2026-12-04T22:00+08:00'));
    const sent = await w.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]![1]).toContain('【活动提醒】');
    const audit = await h.app.ctx.prisma.auditLog.findMany({ where: { entity: 'Person' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.via, (a.after as { optedOutAt: string | null }).optedOutAt === null])).toEqual([
      ['person.unsubscribe', 'chat', false],
      ['person.subscribe', 'chat', true],
    ]);
  });

  test('a volunteer silent after the last reminder is listed, and 提醒 N re-sends to the unconfirmed only', async () => {
    const p = await w.project('楼道灯维修', [sat]);
    for (const who of ['小一', '小二']) await w.say(who, 'g1', `报名 ${p.number}`);
    await h.advanceTo(at('2026-12-04T09:00+08:00'));
    await w.sent();
    await w.say('小一', 'dm', '1');
    await w.sent();
    expect(await listSilentVolunteers(h.app.ctx, { communityId: w.communityId })).toEqual([]); // a reminder is still to come
    await h.advanceTo(at('2026-12-04T22:00+08:00'));
    await w.sent();
    const silent = await listSilentVolunteers(h.app.ctx, { communityId: w.communityId });
    expect(silent.map((s) => [s.name, s.projectNumber, s.shiftLabel])).toEqual([['小二', 1, 'A']]);
    await w.say('小三', 'g1', `提醒 ${p.number}`);
    expect(await w.sent()).toEqual([['g1', '@小三 只有本社区的工作人员可以这样做。如需帮助，请联系居委会']]);
    await w.say('王书记', 'dm', `提醒 ${p.number}`);
    const sent = (await w.sent()).sort();
    expect(sent.map(([c]) => c)).toEqual(['dm:小二', 'dm:王书记']);
    expect(sent[1]![1]).toBe('已向 1 位还没确认的志愿者重新发送项目 #1 班次 A（12月5日 周六 09:00-11:00）的提醒：小二');
  });

  test('the sweep re-queues a reminder whose job was lost; the reminder is then sent once', async () => {
    const p = await w.project('楼道灯维修', [sat]);
    await w.say('小一', 'g1', `报名 ${p.number}`);
    await w.sent();
    const [r24] = await rows('小一');
    await h.app.reminders.queue.remove(r24!.jobId!); // as if Redis lost it
    clock.set(at('2026-12-04T09:05+08:00'));
    expect(await sweepReminders(h.app.ctx, h.app.reminders)).toBe(1);
    expect(await sweepReminders(h.app.ctx, h.app.reminders)).toBe(0); // its job is there now
    const sent = await w.sent();
    expect(sent.filter(([c]) => c === 'dm:小一')).toHaveLength(1);
    expect((await rows('小一'))[0]).toMatchObject({ status: 'sent' });
  });
});
