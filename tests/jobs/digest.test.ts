// The weekly digest to each community's workers: its contents, its job scheduler (Monday 09:00 in
// the community's time zone), and its delivery in private through the real digest worker.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { makeWorld, type World } from '../helpers/volunteering-world.ts';
import { reportNeed } from '../../src/core/needs/report-need.ts';
import { ensurePerson } from '../../src/core/people/resolve-person.ts';
import { createProject } from '../../src/core/projects/create-project.ts';
import { changeProjectStatus } from '../../src/core/projects/change-status.ts';
import { createOrganization } from '../../src/core/orgs/create-organization.ts';
import { fileClaim } from '../../src/core/claims/file-claim.ts';
import { creditShiftHours } from '../../src/core/hours/credit-hours.ts';
import { updateCommunitySettings } from '../../src/core/communities/update-community-settings.ts';
import { digestJobs, digestMessages, digestPattern } from '../../jobs/digest.ts';

const at = (iso: string) => new Date(iso);

describe('weekly digest', () => {
  let h: Harness;
  let w: World;
  const clock = new TestClock('2026-11-25T10:00+08:00');

  beforeAll(async () => {
    h = await createHarness({ clock });
    w = await makeWorld(h, { reminders: '24h' });
    const ctx = h.app.ctx;
    const zhang = await ensurePerson(ctx, 'web', '张阿姨', '张阿姨');
    await reportNeed(ctx, { communityId: w.communityId, authorId: zhang, text: '5号楼电梯坏了' }); // the week before: not counted
    clock.set('2026-12-01T10:00+08:00');
    await reportNeed(ctx, { communityId: w.communityId, authorId: zhang, text: '3号楼楼道灯坏了' });
    await reportNeed(ctx, { communityId: w.communityId, authorId: zhang, text: '7号楼门禁刷卡没反应' });
    await reportNeed(ctx, { communityId: w.communityId, authorId: zhang, text: '希望社区给独居老人送饭' });
    await createProject(ctx, { communityId: w.communityId, title: '草稿项目' });
    await createProject(ctx, { communityId: w.communityId, title: '待审项目' });
    await changeProjectStatus(ctx, { communityId: w.communityId, number: 2, to: 'review', actorId: null, via: 'cli' });
    const p = await w.project('助老送餐', [{ startsAt: at('2026-12-07T20:00+08:00'), endsAt: at('2026-12-07T21:00+08:00'), capacity: 5 }]);
    await ctx.prisma.project.update({ where: { communityId_number: { communityId: w.communityId, number: p.number } }, data: { claimType: 'both' } });
    await createOrganization(ctx, { communityId: w.communityId, name: '夕阳天使志愿服务队', members: [{ platform: 'web', user: '陈老师', name: '陈老师' }] });
    const chen = await ensurePerson(ctx, 'web', '陈老师');
    await fileClaim(ctx, { communityId: w.communityId, projectNumber: p.number, personId: chen });
    for (const who of ['小一', '小二']) await w.say(who, 'g1', `报名 ${p.number}`);
    await h.advanceTo(at('2026-12-06T20:00+08:00')); // the only reminder (24 h)
    await w.sent();
    await w.say('小二', 'dm', '1');
    const project = await ctx.prisma.project.findFirstOrThrow({ where: { number: p.number } });
    await ctx.prisma.$transaction((tx) =>
      creditShiftHours(tx, { personId: chen, projectId: project.id, shiftId: p.shiftIds[0]!, minutes: 90, rule: { roundMinutes: 30, minMinutes: 15 }, reason: 'manual', createdById: null, now: clock.now() }),
    );
    await w.sent();
    clock.set('2026-12-07T09:00+08:00');
  });
  afterAll(async () => h?.close());

  test('contents: new needs by category, projects waiting, pending claims, silent volunteers, hours to approve', async () => {
    const items = await digestMessages(h.app.ctx, w.communityId);
    expect(items.map((i) => [i.key, i.to])).toEqual([[`digest:${w.communityId}:2026-12-07:${w.workerId}`, { platform: 'web', chatId: '王书记', kind: 'direct' }]]);
    expect(items[0]!.message.text).toBe(
      [
        '【每周简报】回天一社区（11月30日-12月7日）',
        '新需求 3 条：物业维修 2、为老服务 1',
        '待处理项目：草稿 #1，待审 #2',
        '待审核认领 1 个：#3 夕阳天使志愿服务队',
        '没回复提醒的志愿者 1 人：小一（#3A 12/7 20:00）',
        '待审核志愿时长 1 条，共 1.5 小时（发送「通过时长 项目编号」审核）',
      ].join('\n'),
    );
  });

  test('the job scheduler: Monday 09:00 in the community’s time zone, moved when the time zone changes', async () => {
    // The community was made after the worker started: the hourly sync gives it its scheduler
    // (the sync the worker runs at start may already have, when it ran after the community was made).
    await h.app.digests.queue.add(digestJobs.sync.name, { v: 1 });
    await h.drain();
    const scheduler = await h.app.digests.queue.getJobScheduler(`digest-${w.communityId}`);
    expect(scheduler).toMatchObject({ pattern: digestPattern, tz: 'Asia/Shanghai', name: digestJobs.weekly.name });
    const next = DateTime.fromMillis(scheduler!.next!, { zone: 'Asia/Shanghai' });
    expect([next.weekday, next.hour, next.minute]).toEqual([1, 9, 0]);
    await updateCommunitySettings(h.app.ctx, { code: 'HT01', timezone: 'Europe/London', actorId: null, via: 'cli' });
    await h.app.digests.syncAll(h.app.ctx);
    const moved = await h.app.digests.queue.getJobScheduler(`digest-${w.communityId}`);
    expect(moved!.tz).toBe('Europe/London');
    const london = DateTime.fromMillis(moved!.next!, { zone: 'Europe/London' });
    expect([london.weekday, london.hour, london.minute]).toEqual([1, 9, 0]);
    await updateCommunitySettings(h.app.ctx, { code: 'HT01', timezone: 'Asia/Shanghai', actorId: null, via: 'cli' });
  });

  test('the weekly job sends it to each worker in private; a worker who sent 退订 gets none', async () => {
    await h.app.digests.queue.add(digestJobs.weekly.name, { v: 1, communityId: w.communityId });
    const sent = (await w.sent()).filter(([c]) => c.startsWith('dm:'));
    expect(sent).toHaveLength(1);
    expect(sent[0]![0]).toBe('dm:王书记');
    expect(sent[0]![1].split('\n')[0]).toBe('【每周简报】回天一社区（11月30日-12月7日）');
    await h.app.ctx.prisma.person.update({ where: { id: w.workerId }, data: { optedOutAt: clock.now() } });
    expect(await digestMessages(h.app.ctx, w.communityId)).toEqual([]);
  });
});
