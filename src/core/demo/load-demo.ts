import { DateTime } from 'luxon';
import type { CoreContext } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { Announce } from '../projects/publish-project.ts';
import type { AskForFeedback } from '../evaluation/close-project.ts';
import type { VentureAnnouncer } from '../ventures/rounds.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { createCommunity } from '../communities/create-community.ts';
import { grantRole } from '../roles/grant-role.ts';
import { bindGroup } from '../groups/bind-group.ts';
import { ensurePerson } from '../people/resolve-person.ts';
import { recordMember } from '../people/community-members.ts';
import { reportNeed } from '../needs/report-need.ts';
import { supportNeed } from '../needs/support-need.ts';
import { changeNeedCategory } from '../needs/change-need-category.ts';
import { createOrganization } from '../orgs/create-organization.ts';
import { createProject } from '../projects/create-project.ts';
import { publishProject } from '../projects/publish-project.ts';
import { changeProjectStatus } from '../projects/change-status.ts';
import { signUp } from '../signups/sign-up.ts';
import { fileClaim } from '../claims/file-claim.ts';
import { decideClaim } from '../claims/decide-claim.ts';
import { checkIn, checkinCodeFor, checkOut, markAttendance } from '../checkins/check-in.ts';
import { approvePendingHours } from '../hours/approve-hours.ts';
import { closeProject } from '../evaluation/close-project.ts';
import { rateProject } from '../evaluation/rate-project.ts';
import { setPeopleServed } from '../evaluation/set-people-served.ts';
import { createRound } from '../ventures/create-round.ts';
import { changePhase } from '../ventures/change-phase.ts';
import { submitProposal } from '../ventures/submit-proposal.ts';
import { reviewProposal } from '../ventures/review-proposal.ts';
import { castVotes } from '../ventures/cast-votes.ts';
import { remindersPlanned } from '../effects.ts';
import { demoCarriedHours, demoCommunities, demoGroups, demoNeeds, demoNeedsHT02, demoNeighbours, demoPersonas, type DemoNeed } from './demo-data.ts';

/** The words the demo's use cases store (src/notices writes them; core only carries them). */
export interface DemoWriters {
  announceProject: Announce;
  askForFeedback: AskForFeedback;
  ventureAnnouncer: VentureAnnouncer;
}

export interface LoadDemoOptions {
  botName: string;
  writers: DemoWriters;
}

/** The AuditLog action that marks the demo as loaded (once per database). */
export const demoLoadedAction = 'demo.load';

/** Whether the demo has been loaded into this database, and into which communities. */
export async function demoCommunityCodes(ctx: CoreContext): Promise<string[]> {
  const marker = await ctx.prisma.auditLog.findFirst({ where: { action: demoLoadedAction }, select: { id: true } });
  if (!marker) return [];
  const rows = await ctx.prisma.community.findMany({ where: { code: { in: demoCommunities.map((c) => c.code) } }, select: { code: true }, orderBy: { code: 'asc' } });
  return rows.map((r) => r.code);
}

/**
 * The demo: two communities of 回天 with their web groups, the six web-chat personas and a dozen
 * neighbours, and everything the model holds, made through the real use cases with the clock set
 * to when each thing happened, relative to the day it is loaded (`ctx.clock`), so it never looks
 * stale:
 * - three months of needs in all 12 categories, with supporters (two of them the same problem, to merge);
 * - project #1, closed and evaluated: two shifts three and two weeks ago, check-ins and check-outs,
 *   a hand-marked attendance, a no-show, hours approved, ratings with comments, people served;
 * - project #2, published, its shift two days ago: check-ins done, hours waiting for approval;
 * - project #3, published: two shifts to come, sign-ups, a waitlist, and an organization's claim
 *   waiting for a worker;
 * - volunteers with stars (their hours before Linli carried into the ledger once);
 * - a 微创投 round in its voting phase: approved proposals (one declined), and some votes.
 *
 * Loads once: the first run writes an AuditLog marker (`demo.load`) before anything else, and any
 * later run (or one that finds the marker) returns `created: false` having changed nothing. The
 * returned effects are what residents should see now: the announcements to the groups, the
 * reminders of the sign-ups to come, the workers told of the claim. Older notices are history and
 * are not sent.
 */
export async function loadDemo(ctx: CoreContext, opts: LoadDemoOptions): Promise<{ created: boolean; effects: Effect[] }> {
  // Claim the load in one transaction, under a lock, so two processes starting at once load it once.
  const claimed = await ctx.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('linli.demo.load'))`;
    if (await tx.auditLog.findFirst({ where: { action: demoLoadedAction }, select: { id: true } })) return false;
    await writeAudit(tx, { via: 'cli', action: demoLoadedAction, entity: 'Demo', after: { at: ctx.clock.now().toISOString() } });
    return true;
  });
  if (!claimed) return { created: false, effects: [] };
  return { created: true, effects: await build(ctx, opts) };
}

async function build(ctx: CoreContext, opts: LoadDemoOptions): Promise<Effect[]> {
  const { writers } = opts;
  const now = ctx.clock.now();
  const zone = 'Asia/Shanghai';
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  /** A moment `days` from the load day (negative: before), at a local time. */
  const at = (days: number, time: string): Date => {
    const [h, m] = time.split(':').map(Number);
    return today.plus({ days }).set({ hour: h ?? 0, minute: m ?? 0 }).toJSDate();
  };
  /** The same database, the clock set to when something happened. */
  const when = (d: Date): CoreContext => ({ prisma: ctx.prisma, clock: { now: () => d } });
  const later: Effect[] = [];
  const keep = (effects: readonly Effect[], kinds: ReadonlyArray<Effect['kind']>) => later.push(...effects.filter((e) => kinds.includes(e.kind)));

  for (const c of demoCommunities) await createCommunity(ctx, c);
  const people = new Map<string, number>();
  for (const p of demoPersonas) people.set(p.id, await ensurePerson(ctx, 'web', p.id, p.name));
  await Promise.all(demoNeighbours.map(async (p) => people.set(p.id, await ensurePerson(ctx, 'web', p.id, p.name))));
  const id = (who: string): number => {
    const pid = people.get(who);
    if (pid === undefined) throw new Error(`demo: nobody called ${who}`);
    return pid;
  };
  const worker = (await grantRole(ctx, { community: 'HT01', role: 'worker', platform: 'web', user: 'wang-shuji' })).personId;
  for (const g of demoGroups) {
    await bindGroup(ctx, { community: g.community, platform: 'web', chat: g.id, title: g.title, building: g.building });
  }
  const ht01 = await ctx.prisma.community.findUniqueOrThrow({ where: { code: 'HT01' } });
  const ht02 = await ctx.prisma.community.findUniqueOrThrow({ where: { code: 'HT02' } });
  await ctx.prisma.person.updateMany({ where: { id: { in: [...people.values()] }, homeCommunityId: null }, data: { homeCommunityId: ht01.id } });
  // The demo's residents have written in 回天一社区's groups since the start of the three months:
  // seen there (CommunityMember), so they may vote in its round.
  for (const pid of people.values()) await recordMember(when(at(-88, '08:00')), pid, ht01.id);
  await createOrganization(ctx, {
    communityId: ht01.id,
    name: '夕阳天使志愿服务队',
    kind: 'resident_team',
    serves: ['elderly', 'health'],
    members: [{ platform: 'web', user: 'chen-laoshi', name: '陈老师' }],
  });
  await createOrganization(ctx, { communityId: ht01.id, name: '回天超市', kind: 'unit', serves: ['convenience'], members: [{ platform: 'web', user: 'zhou-jingli', name: '周经理' }] });

  // Three months of needs, each raised on its day; the worker corrects a category the classifier reads otherwise.
  const needNumber = new Map<string, number>();
  const groups = new Map((await ctx.prisma.group.findMany({ where: { platform: 'web' } })).map((g) => [g.externalId, g]));
  const raise = async (communityId: number, n: DemoNeed, i: number) => {
    const group = groups.get(n.group);
    const c = when(at(-n.daysAgo, `${9 + (i % 10)}:${String((i * 17) % 60).padStart(2, '0')}`));
    const r = await reportNeed(c, { communityId, authorId: id(n.by), groupId: group?.id ?? null, text: n.text, building: group?.building ?? null });
    if (r.need.category !== n.category) await changeNeedCategory(c, { communityId, number: r.need.number, category: n.category, actorId: worker, via: 'console' });
    await Promise.all(n.plus.map((who) => supportNeed(c, { communityId, number: r.need.number, personId: id(who) })));
    if (n.key) needNumber.set(n.key, r.need.number);
  };
  // One community's needs in order (their numbers are the order they were raised), both communities at once.
  await Promise.all(
    [
      [ht01.id, demoNeeds],
      [ht02.id, demoNeedsHT02],
    ].map(async ([communityId, needs]) => {
      for (const [i, n] of (needs as readonly DemoNeed[]).entries()) await raise(communityId as number, n, i);
    }),
  );
  const need = (key: string) => needNumber.get(key) ?? 0;

  // Volunteers' service before Linli, carried over once (no use case makes such an entry: it is history).
  for (const c of demoCarriedHours) {
    const t = at(-90, '10:00');
    await ctx.prisma.hoursEntry.create({
      data: { personId: id(c.who), hours: c.hours.toFixed(2), status: 'approved', reason: '往年志愿时长结转', createdById: worker, approvedById: worker, approvedAt: t, createdAt: t },
    });
  }

  const base = { communityId: ht01.id, actorId: worker, via: 'console' as const };

  // The projects one after another (their numbers are the order they were made); the round beside them.
  const projects = async () => {
    // Project #1: the free clinic, closed and evaluated.
    {
      const made = at(-32, '10:00');
      const a = { startsAt: at(-24, '09:00'), endsAt: at(-24, '11:30') };
      const b = { startsAt: at(-17, '09:00'), endsAt: at(-17, '11:30') };
      const { project } = await createProject(when(made), {
        ...base,
        title: '社区义诊：为老人量血压',
        description: '请社区卫生站的医生来活动室义诊：量血压、测血糖、用药咨询。志愿者负责引导、登记和维持秩序。',
        needs: [need('clinic')],
        claimType: 'volunteers',
        shifts: [
          { ...a, capacity: 4, place: '社区活动室' },
          { ...b, capacity: 4, place: '社区活动室' },
        ],
      });
      const n = project.number;
      keep((await publishProject(when(at(-31, '09:30')), { ...base, number: n }, writers.announceProject)).effects, ['broadcastScheduled']);
      const signups: Array<[string, string, number]> = [
        ['xiao-li', 'A', -30], ['demo-xiao-wang', 'A', -30], ['demo-xiao-chen', 'A', -29], ['demo-yang-jie', 'A', -28],
        ['demo-xiao-liu', 'B', -27], ['chen-laoshi', 'B', -26], ['demo-xiao-wang', 'B', -25],
      ];
      // Each shift has room for all of them: the order of their sign-ups changes nothing.
      await Promise.all(signups.map(([who, shift, d]) => signUp(when(at(d, '20:00')), { communityId: ht01.id, projectNumber: n, shiftLabel: shift, personId: id(who) })));
      const come = async (shift: { startsAt: Date; endsAt: Date }, who: string[], outAfterMin: number) => {
        const t = new Date(shift.startsAt.getTime() - 10 * 60_000);
        const { code } = await checkinCodeFor(when(t), { communityId: ht01.id, projectNumber: n, actorId: worker });
        await Promise.all(who.map((w) => checkIn(when(t), { communityId: ht01.id, projectNumber: n, personId: id(w), code })));
        await Promise.all(who.map((w) => checkOut(when(new Date(shift.startsAt.getTime() + outAfterMin * 60_000)), { communityId: ht01.id, projectNumber: n, personId: id(w) })));
      };
      await come(a, ['xiao-li', 'demo-xiao-wang', 'demo-xiao-chen'], 150); // 杨姐 does not come: a no-show
      await come(b, ['demo-xiao-liu', 'demo-xiao-wang'], 155);
      // 陈老师 came without a phone: the worker marks her present by hand.
      const chen = await ctx.prisma.signUp.findFirstOrThrow({ where: { personId: id('chen-laoshi'), shift: { projectId: project.id, label: 'B' } } });
      await markAttendance(when(at(-17, '11:40')), { ...base, signUpId: chen.id });
      keep((await closeProject(when(at(-16, '17:00')), { ...base, number: n }, writers.askForFeedback)).effects, ['broadcastScheduled']);
      await approvePendingHours(when(at(-15, '10:00')), { ...base, number: n });
      const ratings: Array<[string, number, string]> = [
        ['zhang-ayi', 5, '量血压很方便，医生很耐心，希望每个月都办'],
        ['liu-daye', 4, '排队有点久，志愿者引导得不错'],
        ['demo-li-nainai', 5, '小李帮我登记，还送我回家，谢谢'],
        ['demo-zheng-ayi', 5, ''],
        ['demo-ma-shifu', 3, '希望能多来几位医生'],
      ];
      await Promise.all(ratings.map(([who, rating, comment]) => rateProject(when(at(-15, '19:00')), { communityId: ht01.id, number: n, personId: id(who), rating, comment })));
      await setPeopleServed(when(at(-14, '10:00')), { ...base, number: n, count: 68 });
      await changeProjectStatus(when(at(-14, '10:05')), { ...base, number: n, to: 'evaluated' });
    }

    // Project #2: cleaning the green belt; its shift was two days ago, the hours wait for a worker.
    {
      const shift = { startsAt: at(-2, '15:00'), endsAt: at(-2, '17:00') };
      const { project } = await createProject(when(at(-10, '10:00')), {
        ...base,
        title: '绿化带清理：捡烟头和塑料袋',
        description: '自带手套，社区提供垃圾袋和夹子。',
        needs: [need('greenbelt')],
        shifts: [{ ...shift, capacity: 6, place: '小区南门绿化带' }],
      });
      const n = project.number;
      keep((await publishProject(when(at(-9, '09:30')), { ...base, number: n }, writers.announceProject)).effects, ['broadcastScheduled']);
      const volunteers = [['xiao-li', -8], ['demo-xiao-wang', -7], ['liu-daye', -6], ['demo-he-tongxue', -5]] as const;
      await Promise.all(volunteers.map(([who, d]) => signUp(when(at(d, '21:00')), { communityId: ht01.id, projectNumber: n, personId: id(who) })));
      const t = new Date(shift.startsAt.getTime() - 5 * 60_000);
      const { code } = await checkinCodeFor(when(t), { communityId: ht01.id, projectNumber: n, actorId: worker });
      const came = ['xiao-li', 'demo-xiao-wang', 'demo-he-tongxue'];
      await Promise.all(came.map((w) => checkIn(when(t), { communityId: ht01.id, projectNumber: n, personId: id(w), code })));
      await Promise.all(came.map((w) => checkOut(when(at(-2, '17:05')), { communityId: ht01.id, projectNumber: n, personId: id(w) })));
    }

    // Project #3: visits to neighbours living alone; two shifts to come, a waitlist, a claim to decide.
    {
      const { project } = await createProject(when(at(-3, '10:00')), {
        ...base,
        title: '独居老人上门探访',
        description: '两人一组上门看望独居老人：聊聊天，看看家里水电燃气是否安全，有需要的记下来交给社区。',
        needs: [need('visits')],
        claimType: 'both',
        shifts: [
          { startsAt: at(2, '09:00'), endsAt: at(2, '11:00'), capacity: 3, place: '社区居委会门口集合' },
          { startsAt: at(9, '09:00'), endsAt: at(9, '11:00'), capacity: 4, place: '社区居委会门口集合' },
        ],
      });
      const n = project.number;
      keep((await publishProject(when(at(-3, '10:30')), { ...base, number: n }, writers.announceProject)).effects, ['broadcastScheduled']);
      const signups: Array<[string, string, number]> = [
        ['xiao-li', 'A', -3], ['demo-xiao-chen', 'A', -2], ['demo-xiao-liu', 'A', -2], ['demo-yang-jie', 'A', -1],
        ['demo-xiao-wang', 'B', -1], ['zhang-ayi', 'B', -1],
      ];
      for (const [who, shift, d] of signups) {
        const r = await signUp(when(at(d, '20:30')), { communityId: ht01.id, projectNumber: n, shiftLabel: shift, personId: id(who) });
        later.push(...remindersPlanned(r.reminders));
      }
      // 回天超市 asked to take it and was declined (one organization at a time); 夕阳天使's claim waits.
      const zhou = await fileClaim(when(at(-2, '14:00')), { communityId: ht01.id, projectNumber: n, personId: id('zhou-jingli'), orgName: '回天超市' });
      await decideClaim(when(at(-2, '16:00')), { ...base, claimId: zhou.claim.id, approve: false, reason: '超市可以先认领便民服务类项目' });
      keep((await fileClaim(when(at(-1, '15:00')), { communityId: ht01.id, projectNumber: n, personId: id('chen-laoshi') })).effects, ['notify']);
    }
  };
  const round = async () => {
    // A 微创投 round in its voting phase.
    {
      const v = { communityId: ht01.id, actorId: worker, via: 'console' as const };
      const { round } = await createRound(when(at(-30, '09:00')), { ...v, title: '回天一社区微创投（第一期）', budgetYuan: 30_000, style: 'approval', maxVotes: 2, hiddenTallies: false });
      keep((await changePhase(when(at(-28, '09:00')), { ...v, round: round.number, to: 'collecting' }, writers.ventureAnnouncer)).effects, ['broadcastScheduled']);
      const proposals: Array<[string, string, string, number, number]> = [
        ['zhou-jingli', '楼道图书角', '在3号楼和7号楼的一层各放一个书架，居民捐书、自助借阅。', 5000, -25],
        ['zhang-ayi', '老年助餐点试点', '和回天超市合作，每周三天给独居老人配送午餐。', 12_000, -22],
        ['demo-he-tongxue', '地下室改造成自习室', '给学生和上班族一个安静的地方，晚上开放到九点。', 15_000, -18],
        ['liu-daye', '楼下摆一桌象棋', '买两张石桌和几副象棋。', 30_000, -16],
      ];
      for (const [who, title, description, yuan, d] of proposals) {
        await submitProposal(when(at(d, '19:00')), { communityId: ht01.id, personId: id(who), title, description, requestedYuan: yuan });
      }
      for (const [number, approve, reason] of [[1, true, ''], [2, true, ''], [3, true, ''], [4, false, '两张石桌用不了三万元，请按实际报价重新提交']] as const) {
        await reviewProposal(when(at(-8, '10:00')), { ...v, round: round.number, number, approve, reason });
      }
      keep((await changePhase(when(at(-5, '09:00')), { ...v, round: round.number, to: 'voting' }, writers.ventureAnnouncer)).effects, ['broadcastScheduled']);
      const votes: Array<[string, number[]]> = [
        ['zhang-ayi', [2]], ['liu-daye', [1, 2]], ['demo-li-nainai', [2]], ['demo-he-tongxue', [3, 1]],
        ['demo-wu-laoshi', [3]], ['demo-sun-ayi', [2, 1]], ['demo-zhou-dage', [3]],
      ];
      await Promise.all(votes.map(([who, numbers], i) => castVotes(when(at(-4 + Math.floor(i / 3), '20:00')), { communityId: ht01.id, personId: id(who), numbers })));
    }
  };
  await Promise.all([projects(), round()]);

  for (const g of demoGroups) {
    await ctx.prisma.webChatMessage.create({
      data: {
        conversation: g.id,
        senderId: null,
        senderName: opts.botName,
        text: `大家好，我是${opts.botName}。有什么需要社区帮忙的，发「需求 内容」告诉我；看大家的需求发「需求清单」；发「帮助」看全部用法。`,
      },
    });
  }
  return later;
}
