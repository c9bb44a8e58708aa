// The demo loader against the real PostgreSQL: what the database holds after loading (through the
// real use cases, so counts agree with each other), dates relative to the clock it is given (a
// TestClock here, so the test never depends on today's date), and a second load that changes nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';
import { dbFingerprint, describeChanges } from '../../helpers/db-fingerprint.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { loadDemo, demoCommunityCodes } from '../../../src/core/demo/load-demo.ts';
import { ensureDemoConsoleAccounts } from '../../../src/core/demo/demo-accounts.ts';
import { ensureFirstConsoleAdmin } from '../../../src/core/console-users/console-users.ts';
import { communitiesVisibleTo } from '../../../src/core/roles/communities-visible-to.ts';
import { needCategories } from '../../../src/core/needs/categories.ts';
import { evaluateProject } from '../../../src/core/evaluation/evaluate-project.ts';
import { personHours } from '../../../src/core/hours/hours-summary.ts';
import { reportData } from '../../../src/core/reports/report-data.ts';
import { countVotes } from '../../../src/core/ventures/tally.ts';
import { announceProject, askForFeedback } from '../../../src/notices/announce.ts';
import { ventureAnnouncer } from '../../../src/notices/venture-announce.ts';

const writers = { announceProject, askForFeedback, ventureAnnouncer };
const day = 86_400_000;

describe('the demo loader', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  const clock = new TestClock('2031-03-15T02:00:00Z');
  const loadDay = clock.now().getTime();
  let first: Awaited<ReturnType<typeof loadDemo>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    const t0 = Date.now();
    first = await loadDemo(ctx, { botName: '邻里小助手', writers });
    console.log(`demo loaded in ${Date.now() - t0} ms`);
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  const ht01 = () => ctx.prisma.community.findUniqueOrThrow({ where: { code: 'HT01' } });

  test('three months of needs in all 12 categories, with supporters', async () => {
    expect(first.created).toBe(true);
    expect(await demoCommunityCodes(ctx)).toEqual(['HT01', 'HT02']);
    const c = await ht01();
    const needs = await ctx.prisma.need.findMany({ where: { communityId: c.id }, orderBy: { number: 'asc' } });
    expect(needs).toHaveLength(32);
    expect(new Set(needs.map((n) => n.category))).toEqual(new Set(needCategories));
    expect(needs.slice(0, 3).map((n) => n.text)).toEqual(['12号楼前面的路砖翘起来了，昨天有老人绊了一跤', '希望社区能给独居老人送饭，我们楼好几位老人做饭不方便', '小区里电动车在楼道充电，太危险了']);
    // Each need counts its author and its +1s, as the rows say.
    for (const n of needs) expect(await ctx.prisma.needSupport.count({ where: { needId: n.id } })).toBe(n.supportCount);
    expect(needs.reduce((a, n) => a + n.supportCount, 0)).toBeGreaterThan(80);
    expect(needs.map((n) => n.status).filter((s) => s !== 'open').sort()).toEqual(['in_project', 'in_project', 'resolved']);
    expect(await ctx.prisma.need.count({ where: { community: { code: 'HT02' } } })).toBe(5);
  });

  test('projects: one evaluated, one with hours waiting, one open with two shifts, a waitlist and a claim waiting', async () => {
    const c = await ht01();
    const projects = await ctx.prisma.project.findMany({ where: { communityId: c.id }, orderBy: { number: 'asc' }, include: { shifts: { orderBy: { label: 'asc' } } } });
    expect(projects.map((p) => [p.number, p.status, p.shifts.length])).toEqual([
      [1, 'evaluated', 2],
      [2, 'published', 1],
      [3, 'published', 2],
    ]);
    const e = await evaluateProject(ctx, { communityId: c.id, number: 1 });
    expect(e).toMatchObject({ status: 'evaluated', shifts: 2, signUps: 7, attended: 6, noShows: 1, pendingHours: 0, peopleServed: 68, rating: { count: 5, average: 4.4 } });
    expect(e.approvedHours).toBeGreaterThan(0);
    expect(e.comments.length).toBe(4);
    expect(await ctx.prisma.checkIn.count({ where: { shift: { projectId: projects[0]!.id }, method: 'manual' } })).toBe(1);

    expect(await ctx.prisma.hoursEntry.count({ where: { projectId: projects[1]!.id, status: 'pending' } })).toBe(3);

    const [a, b] = projects[2]!.shifts;
    const by = async (shiftId: number) => (await ctx.prisma.signUp.findMany({ where: { shiftId }, orderBy: { id: 'asc' } })).map((s) => [s.status, s.waitlistPosition]);
    expect(await by(a!.id)).toEqual([['confirmed', null], ['confirmed', null], ['confirmed', null], ['waitlisted', 1]]);
    expect(await by(b!.id)).toEqual([['confirmed', null], ['confirmed', null]]);
    const claims = await ctx.prisma.claim.findMany({ where: { projectId: projects[2]!.id }, include: { organization: true }, orderBy: { id: 'asc' } });
    expect(claims.map((x) => [x.organization.name, x.status])).toEqual([
      ['回天超市', 'declined'],
      ['夕阳天使志愿服务队', 'pending'],
    ]);
  });

  test('volunteers with stars', async () => {
    const stars = async (user: string) => {
      const id = await ctx.prisma.identity.findUniqueOrThrow({ where: { platform_externalId: { platform: 'web', externalId: user } } });
      return (await personHours(ctx, id.personId)).stars;
    };
    expect([await stars('xiao-li'), await stars('chen-laoshi'), await stars('demo-yang-jie'), await stars('zhang-ayi')]).toEqual([1, 2, 3, 0]);
  });

  test('a 微创投 round in voting, with approved proposals and votes', async () => {
    const c = await ht01();
    const round = await ctx.prisma.proposalRound.findFirstOrThrow({ where: { communityId: c.id }, include: { proposals: { orderBy: { number: 'asc' } } } });
    expect(round.phase).toBe('voting');
    expect(round.proposals.map((p) => p.status)).toEqual(['approved', 'approved', 'approved', 'declined']);
    const tally = await countVotes(ctx.prisma, round);
    expect(tally.map((t) => t.votes).reduce((x, y) => x + y, 0)).toBe(10);
  });

  test('dates are relative to the clock it was given: needs over three months, shifts before and after the load day', async () => {
    const c = await ht01();
    const needs = await ctx.prisma.need.findMany({ where: { communityId: c.id }, select: { createdAt: true } });
    const ages = needs.map((n) => (loadDay - n.createdAt.getTime()) / day);
    expect(Math.max(...ages)).toBeGreaterThan(85);
    expect(Math.max(...ages)).toBeLessThan(92);
    expect(Math.min(...ages)).toBeGreaterThan(0);
    expect(Math.min(...ages)).toBeLessThan(2);
    const shifts = await ctx.prisma.shift.findMany({ include: { project: true }, orderBy: { startsAt: 'asc' } });
    const offsets = shifts.map((s) => [s.project.number, s.label, Math.round((s.startsAt.getTime() - loadDay) / day)]);
    expect(offsets).toEqual([
      [1, 'A', -24],
      [1, 'B', -17],
      [2, 'A', -2],
      [3, 'A', 2],
      [3, 'B', 9],
    ]);
    // The report's charts have data in the months before the load day.
    const to = new Date(loadDay + 31 * day);
    const r = await reportData(ctx, { communityIds: [c.id], from: new Date(loadDay - 120 * day), to, timezone: 'Asia/Shanghai' });
    expect(r.needsByCategoryMonth.reduce((a, x) => a + x.count, 0)).toBe(32);
    expect(new Set(r.needsByCategoryMonth.map((x) => x.month)).size).toBeGreaterThanOrEqual(3);
    expect(r.hoursByMonth.some((h) => h.approved > 0)).toBe(true);
    expect(r.hoursByMonth.some((h) => h.pending > 0)).toBe(true);
    expect(r.attendanceByMonth.some((m) => m.expected > 0)).toBe(true);
  });

  test('what residents should see now: the groups’ announcements and the reminders of shifts to come', () => {
    const kinds = first.effects.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'broadcastScheduled')).toHaveLength(6);
    expect(kinds).toContain('remindersPlanned');
    expect(kinds).toContain('notify');
  });

  test('the console opens on the demo: the first admin gets its communities, 王书记 an account', async () => {
    const admin = await ensureFirstConsoleAdmin(ctx);
    const accounts = await ensureDemoConsoleAccounts(ctx, { adminLogin: admin?.login ?? null });
    expect(accounts.adminCommunities).toEqual(['HT01', 'HT02']);
    expect(accounts.worker?.login).toBe('wang');
    expect(accounts.worker?.password.length).toBeGreaterThan(8);
    const adminUser = await ctx.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'admin' } });
    expect((await communitiesVisibleTo(ctx, adminUser.personId)).map((x) => x.code)).toEqual(['HT01', 'HT02']);
    const wang = await ctx.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'wang' } });
    const wangChat = await ctx.prisma.identity.findUniqueOrThrow({ where: { platform_externalId: { platform: 'web', externalId: 'wang-shuji' } } });
    expect(wang.personId).toBe(wangChat.personId);
    expect((await communitiesVisibleTo(ctx, wang.personId)).map((x) => x.code)).toEqual(['HT01']);
    // The next start makes nothing more.
    expect(await ensureDemoConsoleAccounts(ctx, { adminLogin: null })).toEqual({ worker: null, adminCommunities: [] });
  });

  test('loading twice changes nothing, even a day later', async () => {
    const before = await dbFingerprint(ctx.prisma);
    clock.advance(day);
    const again = await loadDemo(ctx, { botName: '邻里小助手', writers });
    expect(again).toEqual({ created: false, effects: [] });
    const after = await dbFingerprint(ctx.prisma);
    expect(describeChanges(before, after)).toBe('no table changed');
  });
});
