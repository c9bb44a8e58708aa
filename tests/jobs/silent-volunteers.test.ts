// Volunteers who go quiet (issue 12): at the community's time before a shift (2 hours by default),
// a confirmed volunteer who has not answered the last reminder is reported to the workers in
// private; with the community's second setting on, their place goes to the waitlist (the first
// waitlisted moves up and is told) and they are told. The check is a delayed job on the reminders
// queue, run here by moving the test clock (no calendar date on the real clock).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { parseSilentAfter, updateCommunitySettings } from '../../src/core/communities/update-community-settings.ts';
import { remindersPlanned } from '../../src/core/effects.ts';
import { createProject } from '../../src/core/projects/create-project.ts';
import { reportSilentVolunteers } from '../../src/core/reminders/report-silent-volunteers.ts';
import { grantRole } from '../../src/core/roles/grant-role.ts';
import { signUp } from '../../src/core/signups/sign-up.ts';
import { sweepReminders } from '../../jobs/reminders.ts';
import { TestClock } from '../helpers/clock.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

const hour = 3_600_000;
// A Monday 10:00 in Beijing, on the test's own clock.
const clock = new TestClock('2026-11-30T10:00+08:00');
const at = (iso: string) => new Date(iso);

describe('volunteers silent after the last reminder', () => {
  let h: Harness;
  let lastId = 0;
  /** What the bot said since the last call: `conversation: text`. */
  const seen = async () => {
    await h.drain();
    const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { senderId: null, id: { gt: lastId } }, orderBy: { id: 'asc' } });
    lastId = rows.at(-1)?.id ?? lastId;
    return rows.map((r) => `${r.conversation}: ${r.text.split('\n')[0]}`).sort();
  };
  const say = async (persona: string, text: string) => {
    await h.app.webChat.receive({ conversation: `dm:${persona}`, persona, text, clientId: `c-${persona}-${Math.random()}` }, persona);
  };

  /** A published project with one shift starting at `start`; the people signed up in order. */
  const projectWith = async (community: { id: number }, title: string, start: string, capacity: number, people: string[]) => {
    const startsAt = at(start);
    const { project } = await createProject(h.app.ctx, { communityId: community.id, title, shifts: [{ startsAt, endsAt: new Date(startsAt.getTime() + 2 * hour), capacity, place: '3号楼门口' }], via: 'api' });
    await h.app.ctx.prisma.project.update({ where: { id: project.id }, data: { status: 'published' } });
    for (const p of people) {
      const r = await signUp(h.app.ctx, { communityId: community.id, projectNumber: project.number, personId: await h.persona(p) });
      await h.app.effects.apply(remindersPlanned(r.reminders));
    }
    return project;
  };

  beforeAll(async () => {
    h = await createHarness({ clock });
  });
  afterAll(async () => h?.close());

  test('the setting reads 2h, 90m, 1h30m and off; anything else is refused', () => {
    expect([parseSilentAfter('2h'), parseSilentAfter('90m'), parseSilentAfter('1h30m'), parseSilentAfter('off')]).toEqual([120, 90, 90, 0]);
    expect(() => parseSilentAfter('3x')).toThrow(/3x/);
    expect(() => parseSilentAfter('200h')).toThrow();
  });

  test('by default: reported to the workers 2 hours before, not a minute earlier; one who confirmed is not; nobody twice', async () => {
    const community = await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    await grantRole(h.app.ctx, { community: 'HT01', role: 'worker', platform: 'web', user: '王书记', name: '王书记' });
    const project = await projectWith(community, '楼道灯维修', '2026-12-05T09:00+08:00', 3, ['小一', '小二']);
    await seen();

    await h.advanceTo(at('2026-12-04T09:00+08:00')); // the 24 h reminders
    expect(await seen()).toEqual(['dm:小一: 【活动提醒】项目 #1「楼道灯维修」班次 A', 'dm:小二: 【活动提醒】项目 #1「楼道灯维修」班次 A']);
    await say('小一', '1');
    expect(await seen()).toEqual([expect.stringMatching(/^dm:小一: 已确认参加/)]);

    // The 2 h reminder falls in the quiet hours (22:00-08:00): it goes out at 21:59 the evening before.
    await h.advanceTo(at('2026-12-04T21:59+08:00'));
    expect(await seen()).toEqual(['dm:小一: 【活动提醒】项目 #1「楼道灯维修」班次 A', 'dm:小二: 【活动提醒】项目 #1「楼道灯维修」班次 A']);
    await h.advanceTo(at('2026-12-05T06:59+08:00'));
    expect(await seen()).toEqual([]);
    await h.advanceTo(at('2026-12-05T07:00+08:00')); // 2 hours before: the check
    expect(await seen()).toEqual([
      'dm:王书记: 【未回复提醒】项目 #1「楼道灯维修」班次 A（12月5日 周六 09:00-11:00）：小二 没有回复活动提醒，请联系确认',
    ]);
    const rows = await h.app.ctx.prisma.signUp.findMany({ include: { person: true }, orderBy: { id: 'asc' } });
    expect(rows.map((s) => [s.person.displayName, s.status, s.silentReportedAt])).toEqual([
      ['小一', 'confirmed', null],
      ['小二', 'confirmed', at('2026-12-05T07:00+08:00')], // reported, the place kept (the setting is off)
    ]);
    // The job run again (a retry) reports nobody twice.
    const shift = await h.app.ctx.prisma.shift.findFirstOrThrow({ where: { projectId: project.id } });
    expect((await reportSilentVolunteers(h.app.ctx, { shiftId: shift.id, at: at('2026-12-05T07:00+08:00') })).effects).toEqual([]);
  });

  test('with the place released: the silent volunteer is told, the first waitlisted moves up and is told, the workers hear both', async () => {
    clock.set('2026-12-07T10:00+08:00');
    const community = await createCommunity(h.app.ctx, { code: 'HT02', name: '回天二社区' });
    await grantRole(h.app.ctx, { community: 'HT02', role: 'worker', platform: 'web', user: '李主任', name: '李主任' });
    const r = await updateCommunitySettings(h.app.ctx, { code: 'HT02', silentAfter: '3h', silentReleasesPlace: true });
    expect([r.community.silentReportMinutes, r.community.silentReleasesPlace]).toEqual([180, true]);
    await projectWith(community, '助老送餐', '2026-12-12T12:00+08:00', 1, ['小三', '小四', '小五']);
    await seen();

    await h.advanceTo(at('2026-12-11T12:00+08:00'));
    expect(await seen()).toEqual(['dm:小三: 【活动提醒】项目 #1「助老送餐」班次 A']);
    await h.advanceTo(at('2026-12-12T09:00+08:00')); // 3 hours before
    expect(await seen()).toEqual([
      'dm:小三: 你没有回复项目 #1「助老送餐」班次 A（12月12日 周六 12:00-14:00）的活动提醒，名额已让给候补的邻居。还想参加请发「报名 1」',
      'dm:小四: 好消息：有人取消了，你已从候补转为正式报名：项目 #1「助老送餐」，班次 A（12月12日 周六 12:00-14:00）',
      'dm:李主任: 【未回复提醒】项目 #1「助老送餐」班次 A（12月12日 周六 12:00-14:00）：小三 没有回复活动提醒，名额已让给候补（1 人递补）',
    ]);
    const rows = await h.app.ctx.prisma.signUp.findMany({ where: { shift: { project: { communityId: community.id } } }, include: { person: true }, orderBy: { id: 'asc' } });
    expect(rows.map((s) => [s.person.displayName, s.status, s.waitlistPosition])).toEqual([
      ['小三', 'cancelled', null],
      ['小四', 'confirmed', null],
      ['小五', 'waitlisted', 2],
    ]);
    // The one who moved up has their reminders planned (the 2 h one is still ahead).
    const reminders = await h.app.ctx.prisma.reminder.findMany({ where: { signUp: { person: { displayName: '小四' } } } });
    expect(reminders.map((x) => [x.kind, x.status])).toEqual([['2h', 'scheduled']]);
    // 小四 got no earlier reminder to answer: the one who moved up is not reported at the same check.
    await h.advanceTo(at('2026-12-12T10:00+08:00'));
    expect(await seen()).toEqual(['dm:小四: 【活动提醒】项目 #1「助老送餐」班次 A']);
  });

  test('a check lost with Redis is queued again by the minute sweep, once', async () => {
    clock.set('2026-12-14T10:00+08:00');
    const community = await createCommunity(h.app.ctx, { code: 'HT03', name: '回天三社区' });
    await grantRole(h.app.ctx, { community: 'HT03', role: 'worker', platform: 'web', user: '赵书记', name: '赵书记' });
    const project = await projectWith(community, '楼道清扫', '2026-12-19T09:00+08:00', 2, ['小六']);
    const shift = await h.app.ctx.prisma.shift.findFirstOrThrow({ where: { projectId: project.id } });
    const jobId = `silent-${shift.id}-${at('2026-12-19T07:00+08:00').getTime()}`;
    expect(await h.app.reminders.queue.getJob(jobId)).toBeDefined();
    await h.app.reminders.queue.remove(jobId); // lost
    await seen();
    await h.advanceTo(at('2026-12-18T09:00+08:00'));
    await h.advanceTo(at('2026-12-18T21:59+08:00'));
    expect(await seen()).toEqual(['dm:小六: 【活动提醒】项目 #1「楼道清扫」班次 A', 'dm:小六: 【活动提醒】项目 #1「楼道清扫」班次 A']);
    await h.advanceTo(at('2026-12-19T07:05+08:00'));
    expect(await seen()).toEqual([]); // the check's job is gone
    expect(await sweepReminders(h.app.ctx, h.app.reminders)).toBe(1);
    expect(await seen()).toEqual(['dm:赵书记: 【未回复提醒】项目 #1「楼道清扫」班次 A（12月19日 周六 09:00-11:00）：小六 没有回复活动提醒，请联系确认']);
    expect(await sweepReminders(h.app.ctx, h.app.reminders)).toBe(0);
    expect(await seen()).toEqual([]);
  });
});
