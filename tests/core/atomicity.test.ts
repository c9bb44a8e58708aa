// Refused halfway means nothing changed. A use case (src/core) validates everything first, then
// writes in one transaction, so a refusal, wherever it comes, leaves the database exactly as it was.
// One world (two communities, their groups, workers, residents, needs, organizations, projects with
// shifts, sign-ups, a waitlist, check-ins, hours, claims, broadcasts, console accounts) is built
// with the use cases themselves; then every use case that writes more than one row, or more than
// once, is asked for something it must refuse, each refusal chosen to come as late as possible
// (after the checks that pass), with the whole schema fingerprinted before and after: the code is
// the one expected and no table changed. Each use case also has a row that succeeds and must change
// the tables it names, so a fingerprint that never changes could not make the refusals pass.
//
// Bugs covered (each row fails without its fix):
// - createConsoleUser made the account (person, identity, login, audit, the first grants) and only
//   then refused a grant on an unknown community (COMMUNITY_NOT_FOUND after the commit).
// - createOrganization made its members' people and chat identities, then failed on a community
//   that does not exist (a database error, not COMMUNITY_NOT_FOUND); and it never checked that
//   its actor was a worker of the community.
// - checkIn gave a shift made before check-in codes existed its secret, then refused the code.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';
import { TestClock } from '../helpers/clock.ts';
import { changedTables, dbFingerprint, describeChanges } from '../helpers/db-fingerprint.ts';
import type { ErrorCode } from '../../src/lib/errors.ts';
import type { CoreContext } from '../../src/core/context.ts';
import { announceProject, askForFeedback } from '../../src/notices/announce.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { updateCommunitySettings } from '../../src/core/communities/update-community-settings.ts';
import { grantRole } from '../../src/core/roles/grant-role.ts';
import { grantScopedRole } from '../../src/core/roles/grant-scoped-role.ts';
import { ensurePerson } from '../../src/core/people/resolve-person.ts';
import { setOptOut } from '../../src/core/people/set-opt-out.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { createOrganization } from '../../src/core/orgs/create-organization.ts';
import { createConsoleUser, setConsolePassword, setConsoleUserDisabled } from '../../src/core/console-users/console-users.ts';
import { reportNeed } from '../../src/core/needs/report-need.ts';
import { supportNeed } from '../../src/core/needs/support-need.ts';
import { mergeNeeds } from '../../src/core/needs/merge-needs.ts';
import { changeNeedCategory } from '../../src/core/needs/change-need-category.ts';
import { needCategories } from '../../src/core/needs/categories.ts';
import { createProject, type CreateProjectInput } from '../../src/core/projects/create-project.ts';
import { publishProject } from '../../src/core/projects/publish-project.ts';
import { editProject } from '../../src/core/projects/edit-project.ts';
import { addShift } from '../../src/core/projects/add-shift.ts';
import { changeProjectStatus } from '../../src/core/projects/change-status.ts';
import { moveShift } from '../../src/core/shifts/move-shift.ts';
import { cancelShift } from '../../src/core/shifts/cancel-shift.ts';
import { signUp } from '../../src/core/signups/sign-up.ts';
import { cancelSignUp } from '../../src/core/signups/cancel-sign-up.ts';
import { answerReminder } from '../../src/core/reminders/answer-reminder.ts';
import { remindUnconfirmed } from '../../src/core/reminders/remind-unconfirmed.ts';
import { fileClaim } from '../../src/core/claims/file-claim.ts';
import { decideClaim } from '../../src/core/claims/decide-claim.ts';
import { checkIn, checkOut, markAttendance, markAttendanceByName } from '../../src/core/checkins/check-in.ts';
import { checkCode, codeAt, codeStep, currentCode } from '../../src/core/checkins/checkin-code.ts';
import { approvePendingHours, correctHoursEntry, decideHoursEntry } from '../../src/core/hours/approve-hours.ts';
import { createBroadcast, cancelBroadcast } from '../../src/core/broadcasts/create-broadcast.ts';
import { closeProject } from '../../src/core/evaluation/close-project.ts';
import { evaluateProject } from '../../src/core/evaluation/evaluate-project.ts';
import { rateProject } from '../../src/core/evaluation/rate-project.ts';
import { setPeopleServed } from '../../src/core/evaluation/set-people-served.ts';
import { setFeedbackSummary } from '../../src/core/evaluation/set-feedback-summary.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** The test's own clock: check-ins happen at T, everything after at NOW (an hour later). */
const T = new Date('2030-06-03T09:00:00+08:00');
const NOW = new Date(T.getTime() + hour);
const at = (ms: number) => new Date(T.getTime() + ms);
const shift = (from: number, length: number, capacity: number, place = '活动室') => ({ startsAt: at(from), endsAt: at(from + length), capacity, place });

/** Everything the rows refer to, by the names the world gives them. */
interface World {
  ht01: number;
  ht02: number;
  people: Record<string, number>;
  /** Project numbers (HT01 unless named q…). */
  p: { open: number; closed: number; draft: number; volunteersOnly: number; orgsOnly: number; q1: number };
  groups: { g1: number; g2: number; ht02: number };
  signUps: { zhangA: number; zhaoC: number; zhouB: number; maQ1: number };
  reminderOfLiu: number;
  claims: { chenOpen: number; zhaoOpen: number; chenOrgsOnly: number; ht02: number };
  hours: { zhangPending: number; qianApproved: number; ht02Pending: number };
  broadcasts: { open: number; ht02: number };
  needs: { elevator: number; meals: number; lights: number; smell: number; summer: number };
  consoleAdmin: number;
  period: number;
  secretA: string;
}

type Expected = ErrorCode | 'ZodError' | 'P2025';

interface Row {
  useCase: string;
  why: string;
  run: (w: World) => Promise<unknown>;
}
interface Refusal extends Row {
  code: Expected;
}
interface Success extends Row {
  /** Tables the call must change (at least these). */
  touches: string[];
}

describe('refused halfway, nothing changed: every use case that writes more than once', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let w: World;
  const clock = new TestClock(T);
  const via = 'console' as const;
  const cli = { actorId: null, via: 'cli' } as const;

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    const c1 = await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' });
    const c2 = await createCommunity(ctx, { code: 'HT02', name: '回天二社区', street: '回龙观街道', district: '昌平区' });
    const g1 = await bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'ht01-g1', title: '一社区居民群' });
    const g2 = await bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'ht01-g2', title: '一社区3号楼群', building: '3号楼' });
    const g3 = await bindGroup(ctx, { community: 'HT02', platform: 'web', chat: 'ht02-g1', title: '二社区居民群' });
    const wang = (await grantRole(ctx, { community: 'HT01', role: 'worker', platform: 'web', user: 'wang', name: '王书记' })).personId;
    const li = (await grantRole(ctx, { community: 'HT02', role: 'worker', platform: 'web', user: 'li', name: '李主任' })).personId;
    const names: Record<string, string> = {
      zhang: '张阿姨', liu: '刘大爷', zhao: '赵小妹', chen: '陈老师', sun: '孙叔叔', qian: '钱阿姨', wu: '吴师傅', zhou: '周奶奶', he: '何大哥', feng: '冯阿姨', xu: '许同学', ma: '马大姐', ma2: '马老师',
    };
    const people: Record<string, number> = { wang, li };
    for (const [user, name] of Object.entries(names)) people[user] = await ensurePerson(ctx, 'web', user, name);
    const pid = (who: string) => people[who]!;

    // Needs: HT01 #1-#5, HT02 #1. Texts far apart, so none is taken for another's duplicate.
    const need = async (communityId: number, who: string, text: string) => {
      const r = await reportNeed(ctx, { communityId, authorId: pid(who), text });
      if (r.kind !== 'created') throw new Error(`need "${text}" was linked to #${r.need.number}`);
      return r.need.number;
    };
    const needs = {
      elevator: await need(c1.id, 'zhang', '5号楼电梯坏了，老人下不了楼'),
      meals: await need(c1.id, 'liu', '希望组织给独居老人送饭'),
      lights: await need(c1.id, 'chen', '小区东门的路灯坏了好几盏，晚上很黑'),
      smell: await need(c1.id, 'sun', '垃圾站旁边太臭了，夏天苍蝇很多'),
      summer: await need(c1.id, 'qian', '希望社区开个儿童暑期托管班'),
    };
    await need(c2.id, 'ma', '二社区篮球场的篮筐坏了');

    await createOrganization(ctx, { communityId: c1.id, name: '夕阳天使志愿服务队', members: [{ platform: 'web', user: 'chen' }] });
    await createOrganization(ctx, { communityId: c1.id, name: '青年突击队', members: [{ platform: 'web', user: 'zhao' }] });
    await createOrganization(ctx, { communityId: c1.id, name: '红枫志愿队', members: [{ platform: 'web', user: 'he' }] });
    await createOrganization(ctx, { communityId: c2.id, name: '二社区志愿队', members: [{ platform: 'web', user: 'ma2' }] });

    // Projects. "open": A and B run now (B as made before check-in codes existed), C is full with a
    // waitlist, D is where a sign-up was cancelled, E was added and cancelled.
    const project = async (communityId: number, title: string, extra: Partial<CreateProjectInput>, shifts: Array<ReturnType<typeof shift>>) =>
      (await createProject(ctx, { communityId, title, shifts, ...extra, ...cli })).project.number;
    const p = {
      open: await project(c1.id, '助老送餐', { claimType: 'both', needs: [needs.elevator] }, [
        shift(-30 * minute, 4 * hour, 10),
        shift(-20 * minute, 4 * hour, 5),
        shift(3 * day, 2 * hour, 1),
        shift(4 * day, 2 * hour, 3),
      ]),
      closed: await project(c1.id, '楼道清扫', { needs: [needs.meals] }, [shift(-3 * hour, hour, 3)]),
      draft: await project(c1.id, '旧衣回收', {}, [shift(5 * day, 2 * hour, 5)]),
      volunteersOnly: await project(c1.id, '义诊', { claimType: 'volunteers' }, [shift(6 * day, 2 * hour, 5)]),
      orgsOnly: await project(c1.id, '社区花园', { claimType: 'organization', allowMultipleClaims: true }, [shift(7 * day, 2 * hour, 5)]),
      q1: await project(c2.id, '二社区助老', { claimType: 'both' }, [shift(-30 * minute, 4 * hour, 5)]),
    };
    const published: Record<string, number> = {};
    for (const [k, n] of Object.entries(p)) {
      if (k === 'draft') continue;
      const communityId = k === 'q1' ? c2.id : c1.id;
      published[k] = (await publishProject(ctx, { communityId, number: n, ...cli }, announceProject)).broadcast.id;
    }
    await addShift(ctx, { communityId: c1.id, number: p.open, shift: shift(8 * day, 2 * hour, 5), ...cli });
    await cancelShift(ctx, { communityId: c1.id, number: p.open, shift: 'E', ...cli });

    // Sign-ups, at T.
    const up = (who: string, label: string, number = p.open, communityId = c1.id) => signUp(ctx, { communityId, projectNumber: number, shiftLabel: label, personId: pid(who) });
    for (const who of ['zhang', 'qian', 'wu', 'sun', 'feng']) await up(who, 'A');
    await up('zhou', 'B');
    expect((await up('liu', 'C')).status).toBe('confirmed');
    expect((await up('zhao', 'C')).status).toBe('waitlisted');
    await up('he', 'D');
    await cancelSignUp(ctx, { communityId: c1.id, projectNumber: p.open, personId: pid('he') });
    await up('ma', 'A', p.q1, c2.id);
    const signUpOf = async (who: string, number: number, communityId: number, label: string) =>
      (await ctx.prisma.signUp.findFirstOrThrow({ where: { personId: pid(who), shift: { label, project: { communityId, number } } } })).id;
    const zhouB = await signUpOf('zhou', p.open, c1.id, 'B');
    const reminderOfLiu = (await ctx.prisma.reminder.findFirstOrThrow({ where: { signUp: { personId: pid('liu') } }, orderBy: { id: 'asc' } })).id;

    // Check-ins at T, check-outs at NOW: one hour each, pending; qian's approved.
    const period = (await ctx.prisma.community.findUniqueOrThrow({ where: { id: c1.id } })).checkinCodeSeconds;
    const secretOf = async (number: number, communityId: number, label: string) =>
      (await ctx.prisma.shift.findFirstOrThrow({ where: { label, project: { communityId, number } } })).checkinSecret;
    const secretA = await secretOf(p.open, c1.id, 'A');
    const secretQ1 = await secretOf(p.q1, c2.id, 'A');
    for (const who of ['zhang', 'qian', 'wu']) await checkIn(ctx, { communityId: c1.id, projectNumber: p.open, personId: pid(who), code: currentCode(secretA, T, period).code });
    await checkIn(ctx, { communityId: c2.id, projectNumber: p.q1, personId: pid('ma'), code: currentCode(secretQ1, T, period).code });
    clock.set(NOW);
    for (const who of ['zhang', 'qian']) await checkOut(ctx, { communityId: c1.id, projectNumber: p.open, personId: pid(who) });
    await checkOut(ctx, { communityId: c2.id, projectNumber: p.q1, personId: pid('ma') });
    const entryOf = async (who: string) => (await ctx.prisma.hoursEntry.findFirstOrThrow({ where: { personId: pid(who) } })).id;
    const hours = { zhangPending: await entryOf('zhang'), qianApproved: await entryOf('qian'), ht02Pending: await entryOf('ma') };
    await decideHoursEntry(ctx, { communityId: c1.id, entryId: hours.qianApproved, approve: true, actorId: wang, via });

    // Shift B was made before check-in codes existed: no secret yet (the column's default).
    await ctx.prisma.shift.update({ where: { id: (await ctx.prisma.signUp.findUniqueOrThrow({ where: { id: zhouB } })).shiftId }, data: { checkinSecret: '' } });

    // Claims: the open project is taken by 夕阳天使 (青年突击队 still pending); 夕阳天使 also asked for the garden.
    const claim = async (who: string, number: number, communityId = c1.id) => (await fileClaim(ctx, { communityId, projectNumber: number, personId: pid(who) })).claim.id;
    const claims = { zhaoOpen: await claim('zhao', p.open), chenOpen: await claim('chen', p.open), chenOrgsOnly: await claim('chen', p.orgsOnly), ht02: await claim('ma2', p.q1, c2.id) };
    await decideClaim(ctx, { communityId: c1.id, claimId: claims.chenOpen, approve: true, actorId: wang, via });

    // The closed project: its shift is over, its need resolved.
    await closeProject(ctx, { communityId: c1.id, number: p.closed, actorId: wang, via }, askForFeedback);

    const admin = await createConsoleUser(ctx, { login: 'admin1', name: '管理员', password: 'a-long-enough-pass', isAdmin: true, ...cli });

    w = {
      ht01: c1.id,
      ht02: c2.id,
      people,
      p,
      groups: { g1: g1.group.id, g2: g2.group.id, ht02: g3.group.id },
      signUps: { zhangA: await signUpOf('zhang', p.open, c1.id, 'A'), zhaoC: await signUpOf('zhao', p.open, c1.id, 'C'), zhouB, maQ1: await signUpOf('ma', p.q1, c2.id, 'A') },
      reminderOfLiu,
      claims,
      hours,
      broadcasts: { open: published.open!, ht02: published.q1! },
      needs,
      consoleAdmin: admin.user.id,
      period,
      secretA,
    };
  });
  afterAll(async () => db?.drop());

  const pid = (who: string) => {
    const id = w.people[who];
    if (id === undefined) throw new Error(`no person ${who}`);
    return id;
  };
  /** A code for shift A that is neither current nor expired. */
  const wrongCode = () => {
    for (let i = 0; ; i++) {
      const code = String(i).padStart(6, '0');
      if (checkCode(w.secretA, code, NOW, w.period) === 'wrong') return code;
    }
  };

  const refusals: Refusal[] = [
    // publishProject
    { useCase: 'publishProject', why: 'one good group and one of the other community', code: 'NO_GROUPS', run: (w) => publishProject(ctx, { communityId: w.ht01, number: w.p.draft, groups: ['一社区居民群', '二社区居民群'], actorId: pid('wang'), via }, announceProject) },
    { useCase: 'publishProject', why: 'a closed project', code: 'BAD_TRANSITION', run: (w) => publishProject(ctx, { communityId: w.ht01, number: w.p.closed, actorId: pid('wang'), via }, announceProject) },
    { useCase: 'publishProject', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => publishProject(ctx, { communityId: w.ht01, number: w.p.draft, groups: ['一社区居民群'], actorId: pid('li'), via }, announceProject) },
    // closeProject
    { useCase: 'closeProject', why: 'a resident asks to close it', code: 'NOT_A_WORKER', run: (w) => closeProject(ctx, { communityId: w.ht01, number: w.p.open, actorId: pid('sun'), via: 'chat' }, askForFeedback) },
    { useCase: 'closeProject', why: "the other community's worker asks", code: 'NOT_A_WORKER', run: (w) => closeProject(ctx, { communityId: w.ht01, number: w.p.open, actorId: pid('li'), via }, askForFeedback) },
    { useCase: 'closeProject', why: 'a draft cannot close', code: 'BAD_TRANSITION', run: (w) => closeProject(ctx, { communityId: w.ht01, number: w.p.draft, actorId: pid('wang'), via }, askForFeedback) },
    // createProject
    { useCase: 'createProject', why: 'one need of the community and one that does not exist', code: 'NEED_NOT_FOUND', run: (w) => createProject(ctx, { communityId: w.ht01, title: '路灯巡查', needs: [w.needs.lights, 99], shifts: [shift(9 * day, hour, 3)], actorId: pid('wang'), via }) },
    { useCase: 'createProject', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => createProject(ctx, { communityId: w.ht01, title: '路灯巡查', needs: [w.needs.lights], shifts: [shift(9 * day, hour, 3)], actorId: pid('li'), via }) },
    // moveShift
    { useCase: 'moveShift', why: 'a shift of a closed project', code: 'PROJECT_CLOSED', run: (w) => moveShift(ctx, { communityId: w.ht01, number: w.p.closed, shift: 'A', startsAt: at(2 * day), endsAt: at(2 * day + hour), actorId: pid('wang'), via }) },
    { useCase: 'moveShift', why: 'a cancelled shift', code: 'SHIFT_NOT_FOUND', run: (w) => moveShift(ctx, { communityId: w.ht01, number: w.p.open, shift: 'E', startsAt: at(2 * day), endsAt: at(2 * day + hour), actorId: pid('wang'), via }) },
    { useCase: 'moveShift', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => moveShift(ctx, { communityId: w.ht01, number: w.p.open, shift: 'C', startsAt: at(2 * day), endsAt: at(2 * day + hour), actorId: pid('li'), via }) },
    // cancelShift
    { useCase: 'cancelShift', why: 'a shift already cancelled', code: 'SHIFT_NOT_FOUND', run: (w) => cancelShift(ctx, { communityId: w.ht01, number: w.p.open, shift: 'E', actorId: pid('wang'), via }) },
    { useCase: 'cancelShift', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => cancelShift(ctx, { communityId: w.ht01, number: w.p.open, shift: 'C', actorId: pid('li'), via }) },
    // signUp
    { useCase: 'signUp', why: 'a full shift the person is already on', code: 'ALREADY_SIGNED_UP', run: (w) => signUp(ctx, { communityId: w.ht01, projectNumber: w.p.open, shiftLabel: 'C', personId: pid('liu') }) },
    { useCase: 'signUp', why: 'a full shift the person is waitlisted on', code: 'ALREADY_SIGNED_UP', run: (w) => signUp(ctx, { communityId: w.ht01, projectNumber: w.p.open, shiftLabel: 'C', personId: pid('zhao') }) },
    { useCase: 'signUp', why: 'a closed project', code: 'PROJECT_CLOSED', run: (w) => signUp(ctx, { communityId: w.ht01, projectNumber: w.p.closed, personId: pid('xu') }) },
    { useCase: 'signUp', why: 'a draft', code: 'PROJECT_NOT_OPEN', run: (w) => signUp(ctx, { communityId: w.ht01, projectNumber: w.p.draft, personId: pid('xu') }) },
    { useCase: 'signUp', why: 'a project for organizations only', code: 'NOT_CLAIMABLE', run: (w) => signUp(ctx, { communityId: w.ht01, projectNumber: w.p.orgsOnly, personId: pid('xu') }) },
    { useCase: 'signUp', why: 'a cancelled shift', code: 'SHIFT_NOT_FOUND', run: (w) => signUp(ctx, { communityId: w.ht01, projectNumber: w.p.open, shiftLabel: 'E', personId: pid('xu') }) },
    // cancelSignUp
    { useCase: 'cancelSignUp', why: 'a sign-up already cancelled', code: 'NOT_SIGNED_UP', run: (w) => cancelSignUp(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('he') }) },
    // answerReminder
    { useCase: 'answerReminder', why: "someone else answers a volunteer's reminder", code: 'NOT_SIGNED_UP', run: (w) => answerReminder(ctx, { reminderId: w.reminderOfLiu, personId: pid('zhao'), answer: '2' }) },
    // fileClaim
    { useCase: 'fileClaim', why: 'a project already taken', code: 'CLAIM_TAKEN', run: (w) => fileClaim(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('he') }) },
    { useCase: 'fileClaim', why: 'the same organization claims twice (refused at the insert)', code: 'ALREADY_CLAIMED', run: (w) => fileClaim(ctx, { communityId: w.ht01, projectNumber: w.p.orgsOnly, personId: pid('chen') }) },
    { useCase: 'fileClaim', why: 'a project for volunteers only', code: 'NOT_CLAIMABLE', run: (w) => fileClaim(ctx, { communityId: w.ht01, projectNumber: w.p.volunteersOnly, personId: pid('he') }) },
    { useCase: 'fileClaim', why: 'a closed project', code: 'PROJECT_CLOSED', run: (w) => fileClaim(ctx, { communityId: w.ht01, projectNumber: w.p.closed, personId: pid('he') }) },
    { useCase: 'fileClaim', why: 'an organization the person is not in', code: 'NOT_AN_ORG_MEMBER', run: (w) => fileClaim(ctx, { communityId: w.ht01, projectNumber: w.p.orgsOnly, orgName: '夕阳天使志愿服务队', personId: pid('liu') }) },
    { useCase: 'fileClaim', why: "the other community's organization", code: 'ORG_NOT_FOUND', run: (w) => fileClaim(ctx, { communityId: w.ht01, projectNumber: w.p.orgsOnly, orgName: '二社区志愿队', personId: pid('he') }) },
    // decideClaim
    { useCase: 'decideClaim', why: 'approving a second claim on a taken project', code: 'CLAIM_TAKEN', run: (w) => decideClaim(ctx, { communityId: w.ht01, claimId: w.claims.zhaoOpen, approve: true, actorId: pid('wang'), via }) },
    { useCase: 'decideClaim', why: 'a claim already approved', code: 'CLAIM_DECIDED', run: (w) => decideClaim(ctx, { communityId: w.ht01, claimId: w.claims.chenOpen, approve: true, actorId: pid('wang'), via }) },
    { useCase: 'decideClaim', why: "the other community's claim", code: 'CLAIM_NOT_FOUND', run: (w) => decideClaim(ctx, { communityId: w.ht01, claimId: w.claims.ht02, approve: true, actorId: pid('wang'), via }) },
    { useCase: 'decideClaim', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => decideClaim(ctx, { communityId: w.ht01, claimId: w.claims.zhaoOpen, approve: false, actorId: pid('li'), via }) },
    // approvePendingHours
    { useCase: 'approvePendingHours', why: "the other community's worker, with hours pending", code: 'NOT_A_WORKER', run: (w) => approvePendingHours(ctx, { communityId: w.ht01, number: w.p.open, actorId: pid('li'), via }) },
    { useCase: 'approvePendingHours', why: 'a project that does not exist', code: 'PROJECT_NOT_FOUND', run: (w) => approvePendingHours(ctx, { communityId: w.ht01, number: 99, actorId: pid('wang'), via }) },
    // decideHoursEntry
    { useCase: 'decideHoursEntry', why: 'an entry already approved', code: 'HOURS_DECIDED', run: (w) => decideHoursEntry(ctx, { communityId: w.ht01, entryId: w.hours.qianApproved, approve: false, actorId: pid('wang'), via }) },
    { useCase: 'decideHoursEntry', why: "the other community's entry", code: 'HOURS_NOT_FOUND', run: (w) => decideHoursEntry(ctx, { communityId: w.ht01, entryId: w.hours.ht02Pending, approve: true, actorId: pid('wang'), via }) },
    { useCase: 'decideHoursEntry', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => decideHoursEntry(ctx, { communityId: w.ht01, entryId: w.hours.zhangPending, approve: true, actorId: pid('li'), via }) },
    // correctHoursEntry
    { useCase: 'correctHoursEntry', why: 'a pending entry', code: 'HOURS_NOT_APPROVED', run: (w) => correctHoursEntry(ctx, { communityId: w.ht01, entryId: w.hours.zhangPending, hours: 2, reason: '补记', actorId: pid('wang'), via }) },
    { useCase: 'correctHoursEntry', why: 'negative hours', code: 'INVALID_INPUT', run: (w) => correctHoursEntry(ctx, { communityId: w.ht01, entryId: w.hours.qianApproved, hours: -1, reason: '补记', actorId: pid('wang'), via }) },
    { useCase: 'correctHoursEntry', why: "the other community's entry", code: 'HOURS_NOT_FOUND', run: (w) => correctHoursEntry(ctx, { communityId: w.ht01, entryId: w.hours.ht02Pending, hours: 2, reason: '补记', actorId: pid('wang'), via }) },
    // markAttendance, markAttendanceByName
    { useCase: 'markAttendance', why: 'a volunteer already checked in', code: 'ALREADY_CHECKED_IN', run: (w) => markAttendance(ctx, { communityId: w.ht01, signUpId: w.signUps.zhangA, actorId: pid('wang'), via }) },
    { useCase: 'markAttendance', why: 'a waitlisted sign-up', code: 'NOT_SIGNED_UP', run: (w) => markAttendance(ctx, { communityId: w.ht01, signUpId: w.signUps.zhaoC, actorId: pid('wang'), via }) },
    { useCase: 'markAttendance', why: "the other community's sign-up", code: 'SIGNUP_NOT_FOUND', run: (w) => markAttendance(ctx, { communityId: w.ht01, signUpId: w.signUps.maQ1, actorId: pid('wang'), via }) },
    { useCase: 'markAttendance', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => markAttendance(ctx, { communityId: w.ht01, signUpId: w.signUps.zhouB, actorId: pid('li'), via }) },
    { useCase: 'markAttendanceByName', why: 'a volunteer already checked in', code: 'ALREADY_CHECKED_IN', run: (w) => markAttendanceByName(ctx, { communityId: w.ht01, number: w.p.open, name: '张阿姨', actorId: pid('wang'), via: 'chat' }) },
    { useCase: 'markAttendanceByName', why: 'a name nobody signed up with', code: 'VOLUNTEER_NOT_FOUND', run: (w) => markAttendanceByName(ctx, { communityId: w.ht01, number: w.p.open, name: '无名氏', actorId: pid('wang'), via: 'chat' }) },
    // checkIn, checkOut
    { useCase: 'checkIn', why: 'a wrong code', code: 'CHECKIN_WRONG_CODE', run: (w) => checkIn(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('sun'), code: wrongCode() }) },
    { useCase: 'checkIn', why: 'an expired code', code: 'CHECKIN_EXPIRED_CODE', run: (w) => checkIn(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('sun'), code: codeAt(w.secretA, codeStep(NOW, w.period) - 3) }) },
    { useCase: 'checkIn', why: 'the right code, already checked in', code: 'ALREADY_CHECKED_IN', run: (w) => checkIn(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('zhang'), code: currentCode(w.secretA, NOW, w.period).code }) },
    { useCase: 'checkIn', why: 'a shift three days off', code: 'CHECKIN_OUTSIDE_WINDOW', run: (w) => checkIn(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('liu'), code: '123456' }) },
    { useCase: 'checkIn', why: 'a waitlisted volunteer', code: 'CHECKIN_NOT_SIGNED_UP', run: (w) => checkIn(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('zhao'), code: '123456' }) },
    { useCase: 'checkIn', why: 'a shift made before check-in codes (no secret yet)', code: 'CHECKIN_WRONG_CODE', run: (w) => checkIn(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('zhou'), code: '123456' }) },
    { useCase: 'checkOut', why: 'already checked out', code: 'ALREADY_CHECKED_OUT', run: (w) => checkOut(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('zhang') }) },
    { useCase: 'checkOut', why: 'signed up, never checked in', code: 'NOT_CHECKED_IN', run: (w) => checkOut(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('sun') }) },
    // bindGroup
    { useCase: 'bindGroup', why: 'a group bound to the other community', code: 'GROUP_BOUND_ELSEWHERE', run: () => bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'ht02-g1', title: '抢过来', byPersonId: pid('wang'), via: 'chat' }) },
    { useCase: 'bindGroup', why: "a new chat, by the other community's worker", code: 'NOT_A_WORKER', run: () => bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'ht01-new', title: '新群', byPersonId: pid('li'), via: 'chat' }) },
    { useCase: 'bindGroup', why: 'a community that does not exist', code: 'COMMUNITY_NOT_FOUND', run: () => bindGroup(ctx, { community: 'NOPE', platform: 'web', chat: 'ht01-new', title: '新群' }) },
    // createBroadcast, cancelBroadcast
    { useCase: 'createBroadcast', why: 'one good group and one of the other community', code: 'NO_GROUPS', run: (w) => createBroadcast(ctx, { communityId: w.ht01, text: '通知', groupIds: [w.groups.g1, w.groups.ht02], actorId: pid('wang'), via }) },
    { useCase: 'createBroadcast', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => createBroadcast(ctx, { communityId: w.ht01, text: '通知', groupIds: [w.groups.g1], actorId: pid('li'), via }) },
    { useCase: 'cancelBroadcast', why: "the other community's broadcast", code: 'BROADCAST_NOT_FOUND', run: (w) => cancelBroadcast(ctx, { communityId: w.ht01, broadcastId: w.broadcasts.ht02, actorId: pid('wang'), via }) },
    { useCase: 'cancelBroadcast', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => cancelBroadcast(ctx, { communityId: w.ht01, broadcastId: w.broadcasts.open, actorId: pid('li'), via }) },
    // changeProjectStatus, editProject, addShift
    { useCase: 'changeProjectStatus', why: 'closed back to in progress', code: 'BAD_TRANSITION', run: (w) => changeProjectStatus(ctx, { communityId: w.ht01, number: w.p.closed, to: 'in_progress', actorId: pid('wang'), via }) },
    { useCase: 'changeProjectStatus', why: 'a draft straight to closed', code: 'BAD_TRANSITION', run: (w) => changeProjectStatus(ctx, { communityId: w.ht01, number: w.p.draft, to: 'closed', actorId: pid('wang'), via }) },
    { useCase: 'changeProjectStatus', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => changeProjectStatus(ctx, { communityId: w.ht01, number: w.p.draft, to: 'review', actorId: pid('li'), via }) },
    { useCase: 'editProject', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => editProject(ctx, { communityId: w.ht01, number: w.p.open, title: '改名', actorId: pid('li'), via }) },
    { useCase: 'editProject', why: 'a project that does not exist', code: 'PROJECT_NOT_FOUND', run: (w) => editProject(ctx, { communityId: w.ht01, number: 99, title: '改名', actorId: pid('wang'), via }) },
    { useCase: 'addShift', why: 'a closed project', code: 'PROJECT_CLOSED', run: (w) => addShift(ctx, { communityId: w.ht01, number: w.p.closed, shift: shift(9 * day, hour, 3), actorId: pid('wang'), via }) },
    { useCase: 'addShift', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => addShift(ctx, { communityId: w.ht01, number: w.p.open, shift: shift(9 * day, hour, 3), actorId: pid('li'), via }) },
    // mergeNeeds, changeNeedCategory, reportNeed, supportNeed
    { useCase: 'mergeNeeds', why: 'one open duplicate and one already in a project', code: 'NEED_CLOSED', run: (w) => mergeNeeds(ctx, { communityId: w.ht01, into: w.needs.lights, from: [w.needs.smell, w.needs.elevator], actorId: pid('wang'), via }) },
    { useCase: 'mergeNeeds', why: 'into a resolved need', code: 'NEED_CLOSED', run: (w) => mergeNeeds(ctx, { communityId: w.ht01, into: w.needs.meals, from: [w.needs.smell], actorId: pid('wang'), via }) },
    { useCase: 'mergeNeeds', why: 'one duplicate that exists and one that does not', code: 'NEED_NOT_FOUND', run: (w) => mergeNeeds(ctx, { communityId: w.ht01, into: w.needs.lights, from: [w.needs.smell, 99], actorId: pid('wang'), via }) },
    { useCase: 'mergeNeeds', why: 'a need into itself', code: 'INVALID_INPUT', run: (w) => mergeNeeds(ctx, { communityId: w.ht01, into: w.needs.lights, from: [w.needs.lights], actorId: pid('wang'), via }) },
    { useCase: 'mergeNeeds', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => mergeNeeds(ctx, { communityId: w.ht01, into: w.needs.lights, from: [w.needs.smell], actorId: pid('li'), via }) },
    { useCase: 'changeNeedCategory', why: 'a category that does not exist', code: 'INVALID_INPUT', run: (w) => changeNeedCategory(ctx, { communityId: w.ht01, number: w.needs.lights, category: 'nonsense', actorId: pid('wang'), via }) },
    { useCase: 'changeNeedCategory', why: 'a need that does not exist', code: 'NEED_NOT_FOUND', run: (w) => changeNeedCategory(ctx, { communityId: w.ht01, number: 99, category: 'safety', actorId: pid('wang'), via }) },
    { useCase: 'changeNeedCategory', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => changeNeedCategory(ctx, { communityId: w.ht01, number: w.needs.lights, category: 'mediation', actorId: pid('li'), via }) },
    { useCase: 'reportNeed', why: 'only spaces', code: 'TEXT_EMPTY', run: (w) => reportNeed(ctx, { communityId: w.ht01, authorId: pid('xu'), text: '   ' }) },
    { useCase: 'reportNeed', why: 'a community that does not exist (refused at the insert)', code: 'COMMUNITY_NOT_FOUND', run: () => reportNeed(ctx, { communityId: 999_999, authorId: pid('xu'), text: '楼下的水管漏水好几天了' }) },
    { useCase: 'supportNeed', why: "the author's own need", code: 'ALREADY_SUPPORTED', run: (w) => supportNeed(ctx, { communityId: w.ht01, number: w.needs.elevator, personId: pid('zhang') }) },
    { useCase: 'supportNeed', why: 'a resolved need', code: 'NEED_CLOSED', run: (w) => supportNeed(ctx, { communityId: w.ht01, number: w.needs.meals, personId: pid('xu') }) },
    { useCase: 'supportNeed', why: 'a need that does not exist', code: 'NEED_NOT_FOUND', run: (w) => supportNeed(ctx, { communityId: w.ht01, number: 99, personId: pid('xu') }) },
    // rateProject, setPeopleServed, setFeedbackSummary
    { useCase: 'rateProject', why: 'a draft', code: 'PROJECT_NOT_RATEABLE', run: (w) => rateProject(ctx, { communityId: w.ht01, number: w.p.draft, personId: pid('liu'), rating: 5, comment: '很好' }) },
    { useCase: 'rateProject', why: 'six stars', code: 'INVALID_INPUT', run: (w) => rateProject(ctx, { communityId: w.ht01, number: w.p.open, personId: pid('liu'), rating: 6 }) },
    { useCase: 'setPeopleServed', why: 'a negative count', code: 'INVALID_INPUT', run: (w) => setPeopleServed(ctx, { communityId: w.ht01, number: w.p.open, count: -1, actorId: pid('wang'), via }) },
    { useCase: 'setPeopleServed', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => setPeopleServed(ctx, { communityId: w.ht01, number: w.p.open, count: 30, actorId: pid('li'), via }) },
    { useCase: 'setPeopleServed', why: 'a project that does not exist', code: 'PROJECT_NOT_FOUND', run: (w) => setPeopleServed(ctx, { communityId: w.ht01, number: 99, count: 30, actorId: pid('wang'), via }) },
    { useCase: 'setFeedbackSummary', why: 'longer than a page', code: 'INVALID_INPUT', run: (w) => setFeedbackSummary(ctx, { communityId: w.ht01, number: w.p.open, text: '很好'.repeat(1001), actorId: pid('wang'), via }) },
    { useCase: 'setFeedbackSummary', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => setFeedbackSummary(ctx, { communityId: w.ht01, number: w.p.open, text: '居民满意', actorId: pid('li'), via }) },
    { useCase: 'setFeedbackSummary', why: 'a project that does not exist', code: 'PROJECT_NOT_FOUND', run: (w) => setFeedbackSummary(ctx, { communityId: w.ht01, number: 99, text: '居民满意', actorId: pid('wang'), via }) },
    // people, communities, roles, organizations, console accounts
    { useCase: 'setOptOut', why: 'a person who does not exist (no person can reach it: a raw not-found)', code: 'P2025', run: () => setOptOut(ctx, { personId: 999_999, optOut: true, via: 'chat' }) },
    { useCase: 'createCommunity', why: 'a bad code, with a new street and district', code: 'ZodError', run: () => createCommunity(ctx, { code: '!!', name: '坏社区', street: '新街道', district: '新区' }) },
    { useCase: 'updateCommunitySettings', why: 'good reminders and quiet hours, a time zone that does not exist', code: 'INVALID_INPUT', run: () => updateCommunitySettings(ctx, { code: 'HT01', reminders: '48h,2h', quiet: '23:00-07:00', timezone: 'Mars/Olympus', actorId: pid('wang'), via }) },
    { useCase: 'updateCommunitySettings', why: "the other community's worker", code: 'NOT_A_WORKER', run: () => updateCommunitySettings(ctx, { code: 'HT01', reminders: '48h,2h', actorId: pid('li'), via }) },
    { useCase: 'updateCommunitySettings', why: 'a community that does not exist', code: 'COMMUNITY_NOT_FOUND', run: () => updateCommunitySettings(ctx, { code: 'NOPE', reminders: '48h,2h', actorId: null, via: 'cli' }) },
    { useCase: 'grantRole', why: 'a community that does not exist, for an account never seen', code: 'COMMUNITY_NOT_FOUND', run: () => grantRole(ctx, { community: 'NOPE', role: 'worker', platform: 'web', user: 'newcomer', name: '新人' }) },
    { useCase: 'grantScopedRole', why: 'a street that does not exist', code: 'COMMUNITY_NOT_FOUND', run: () => grantScopedRole(ctx, { personId: pid('xu'), role: 'viewer', scope: { street: '不存在街道' }, actorId: null, via: 'cli' }) },
    { useCase: 'createOrganization', why: 'a community that does not exist, with members never seen', code: 'COMMUNITY_NOT_FOUND', run: () => createOrganization(ctx, { communityId: 999_999, name: '幽灵队', members: [{ platform: 'web', user: 'ghost-1', name: '幽灵' }], actorId: null, via: 'cli' }) },
    { useCase: 'createOrganization', why: "the other community's worker, with members never seen", code: 'NOT_A_WORKER', run: (w) => createOrganization(ctx, { communityId: w.ht01, name: '越界队', members: [{ platform: 'web', user: 'ghost-2', name: '越界' }], actorId: pid('li'), via }) },
    { useCase: 'createConsoleUser', why: 'a login taken, for a chat account never seen', code: 'CONFLICT', run: () => createConsoleUser(ctx, { login: 'admin1', name: '冒名', password: 'another-long-pass', identity: { platform: 'web', user: 'ghost-3' }, actorId: null, via: 'cli' }) },
    { useCase: 'createConsoleUser', why: 'a short password', code: 'INVALID_INPUT', run: () => createConsoleUser(ctx, { login: 'shorty', name: '短密码', password: 'short', actorId: null, via: 'cli' }) },
    { useCase: 'createConsoleUser', why: 'one good grant and one on a community that does not exist, for a chat account never seen', code: 'COMMUNITY_NOT_FOUND', run: () => createConsoleUser(ctx, { login: 'halfway', name: '半路', password: 'a-long-enough-pass', identity: { platform: 'web', user: 'ghost-4' }, grants: [{ role: 'viewer', scope: { community: 'HT01' } }, { role: 'worker', scope: { community: 'NOPE' } }], actorId: null, via: 'cli' }) },
    { useCase: 'setConsolePassword', why: 'a short password', code: 'INVALID_INPUT', run: (w) => setConsolePassword(ctx, { userId: w.consoleAdmin, password: 'short', actorId: null, via: 'cli' }) },
    { useCase: 'setConsoleUserDisabled', why: 'an account that does not exist', code: 'INVALID_INPUT', run: () => setConsoleUserDisabled(ctx, { userId: 999_999, disabled: true, actorId: null, via: 'cli' }) },
    // remindUnconfirmed
    { useCase: 'remindUnconfirmed', why: 'no shift still to come', code: 'NO_UPCOMING_SHIFT', run: (w) => remindUnconfirmed(ctx, { communityId: w.ht01, number: w.p.closed, actorId: pid('wang'), via }) },
    { useCase: 'remindUnconfirmed', why: "the other community's worker", code: 'NOT_A_WORKER', run: (w) => remindUnconfirmed(ctx, { communityId: w.ht01, number: w.p.open, actorId: pid('li'), via }) },
  ];

  // In this order: some use the state an earlier one made (a promotion after a cancellation).
  const successes: Success[] = [
    { useCase: 'createCommunity', why: 'a new community on a new street', touches: ['Community', 'Street', 'AuditLog'], run: () => createCommunity(ctx, { code: 'HT03', name: '回天三社区', street: '天通苑街道', district: '昌平区' }) },
    { useCase: 'grantRole', why: 'a viewer never seen before', touches: ['RoleGrant', 'Person', 'Identity', 'AuditLog'], run: () => grantRole(ctx, { community: 'HT01', role: 'viewer', platform: 'web', user: 'newviewer', name: '新干事' }) },
    { useCase: 'grantScopedRole', why: 'a viewer on a street', touches: ['RoleGrant', 'AuditLog'], run: () => grantScopedRole(ctx, { personId: pid('xu'), role: 'viewer', scope: { street: '霍营街道' }, actorId: null, via: 'cli' }) },
    { useCase: 'createConsoleUser', why: 'an account for a chat identity, with a grant', touches: ['ConsoleUser', 'Person', 'Identity', 'RoleGrant', 'AuditLog'], run: () => createConsoleUser(ctx, { login: 'sunny', name: '孙干事', password: 'a-long-enough-pass', identity: { platform: 'web', user: 'sunny' }, grants: [{ role: 'viewer', scope: { community: 'HT01' } }], actorId: null, via: 'cli' }) },
    { useCase: 'setConsolePassword', why: 'a reset', touches: ['ConsoleUser', 'AuditLog'], run: (w) => setConsolePassword(ctx, { userId: w.consoleAdmin, password: 'a-new-long-pass', actorId: null, via: 'cli' }) },
    { useCase: 'setConsoleUserDisabled', why: 'disabled', touches: ['ConsoleUser', 'AuditLog'], run: (w) => setConsoleUserDisabled(ctx, { userId: w.consoleAdmin, disabled: true, actorId: null, via: 'cli' }) },
    { useCase: 'bindGroup', why: 'a new chat, by its worker', touches: ['Group', 'AuditLog'], run: () => bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'ht01-new', title: '新群', byPersonId: pid('wang'), via: 'chat' }) },
    { useCase: 'createOrganization', why: 'by a worker, with a new member', touches: ['Organization', 'OrganizationMember', 'Person', 'AuditLog'], run: (w) => createOrganization(ctx, { communityId: w.ht01, name: '银发互助队', members: [{ platform: 'web', user: 'silver', name: '白阿姨' }], actorId: pid('wang'), via }) },
    { useCase: 'reportNeed', why: 'a new need', touches: ['Need', 'NeedSupport', 'Community'], run: (w) => reportNeed(ctx, { communityId: w.ht01, authorId: pid('xu'), text: '楼下的水管漏水好几天了' }) },
    { useCase: 'supportNeed', why: '+1 on an open need', touches: ['NeedSupport', 'Need'], run: (w) => supportNeed(ctx, { communityId: w.ht01, number: w.needs.lights, personId: pid('liu') }) },
    {
      useCase: 'changeNeedCategory',
      why: 'a worker recategorises',
      touches: ['Need', 'AuditLog'],
      run: async (w) => {
        const { category } = await ctx.prisma.need.findUniqueOrThrow({ where: { communityId_number: { communityId: w.ht01, number: w.needs.lights } } });
        return changeNeedCategory(ctx, { communityId: w.ht01, number: w.needs.lights, category: needCategories.find((c) => c !== category)!, actorId: pid('wang'), via });
      },
    },
    { useCase: 'mergeNeeds', why: 'a duplicate folded in', touches: ['Need', 'NeedSupport', 'AuditLog'], run: (w) => mergeNeeds(ctx, { communityId: w.ht01, into: w.needs.smell, from: [w.needs.summer], actorId: pid('wang'), via }) },
    { useCase: 'createProject', why: 'from a need, with a shift', touches: ['Project', 'Shift', 'ProjectNeed', 'Need', 'Community', 'AuditLog'], run: (w) => createProject(ctx, { communityId: w.ht01, title: '路灯巡查', needs: [w.needs.lights], shifts: [shift(9 * day, hour, 3)], actorId: pid('wang'), via }) },
    { useCase: 'editProject', why: 'a new title', touches: ['Project', 'AuditLog'], run: (w) => editProject(ctx, { communityId: w.ht01, number: w.p.open, title: '助老送餐（夏季）', actorId: pid('wang'), via }) },
    { useCase: 'addShift', why: 'one more shift', touches: ['Shift', 'AuditLog'], run: (w) => addShift(ctx, { communityId: w.ht01, number: w.p.open, shift: shift(9 * day, hour, 3), actorId: pid('wang'), via }) },
    { useCase: 'changeProjectStatus', why: 'published to in progress', touches: ['Project', 'AuditLog'], run: (w) => changeProjectStatus(ctx, { communityId: w.ht01, number: w.p.volunteersOnly, to: 'in_progress', actorId: pid('wang'), via }) },
    { useCase: 'closeProject', why: 'in progress to closed, the groups asked for feedback', touches: ['Project', 'Shift', 'Broadcast', 'AuditLog'], run: (w) => closeProject(ctx, { communityId: w.ht01, number: w.p.volunteersOnly, actorId: pid('wang'), via }, askForFeedback) },
    { useCase: 'publishProject', why: 'a draft to one group', touches: ['Project', 'Broadcast', 'AuditLog'], run: (w) => publishProject(ctx, { communityId: w.ht01, number: w.p.draft, groups: ['一社区居民群'], actorId: pid('wang'), via }, announceProject) },
    { useCase: 'createBroadcast', why: 'to two groups of the community', touches: ['Broadcast', 'AuditLog'], run: (w) => createBroadcast(ctx, { communityId: w.ht01, text: '通知', groupIds: [w.groups.g1, w.groups.g2], actorId: pid('wang'), via }) },
    { useCase: 'cancelBroadcast', why: "the open project's announcement", touches: ['Broadcast', 'AuditLog'], run: (w) => cancelBroadcast(ctx, { communityId: w.ht01, broadcastId: w.broadcasts.open, actorId: pid('wang'), via }) },
    { useCase: 'signUp', why: 'a full shift: waitlisted', touches: ['SignUp', 'Shift'], run: (w) => signUp(ctx, { communityId: w.ht01, projectNumber: w.p.open, shiftLabel: 'C', personId: pid('xu') }) },
    { useCase: 'answerReminder', why: 'the volunteer confirms', touches: ['SignUp'], run: (w) => answerReminder(ctx, { reminderId: w.reminderOfLiu, personId: pid('liu'), answer: '1' }) },
    { useCase: 'moveShift', why: 'an hour later; reminders planned again', touches: ['Shift', 'SignUp', 'Reminder', 'AuditLog'], run: (w) => moveShift(ctx, { communityId: w.ht01, number: w.p.open, shift: 'C', startsAt: at(3 * day + hour), endsAt: at(3 * day + 3 * hour), actorId: pid('wang'), via }) },
    { useCase: 'cancelSignUp', why: 'the place goes to the waitlist', touches: ['SignUp', 'Reminder'], run: (w) => cancelSignUp(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('liu') }) },
    { useCase: 'remindUnconfirmed', why: 'the promoted volunteer is asked', touches: ['Reminder', 'AuditLog'], run: (w) => remindUnconfirmed(ctx, { communityId: w.ht01, number: w.p.open, actorId: pid('wang'), via }) },
    { useCase: 'cancelShift', why: 'a shift to come', touches: ['Shift', 'AuditLog'], run: (w) => cancelShift(ctx, { communityId: w.ht01, number: w.p.open, shift: 'D', actorId: pid('wang'), via }) },
    { useCase: 'checkIn', why: 'the right code', touches: ['CheckIn'], run: (w) => checkIn(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('sun'), code: currentCode(w.secretA, NOW, w.period).code }) },
    { useCase: 'checkOut', why: 'hours credited', touches: ['CheckIn', 'HoursEntry'], run: (w) => checkOut(ctx, { communityId: w.ht01, projectNumber: w.p.open, personId: pid('wu') }) },
    { useCase: 'markAttendance', why: 'a worker marks a volunteer present', touches: ['CheckIn', 'AuditLog'], run: (w) => markAttendance(ctx, { communityId: w.ht01, signUpId: w.signUps.zhouB, actorId: pid('wang'), via }) },
    { useCase: 'markAttendanceByName', why: 'by name', touches: ['CheckIn', 'AuditLog'], run: (w) => markAttendanceByName(ctx, { communityId: w.ht01, number: w.p.open, name: '冯阿姨', actorId: pid('wang'), via: 'chat' }) },
    { useCase: 'fileClaim', why: 'a second organization for the garden', touches: ['Claim', 'AuditLog'], run: (w) => fileClaim(ctx, { communityId: w.ht01, projectNumber: w.p.orgsOnly, personId: pid('he') }) },
    { useCase: 'decideClaim', why: 'approved', touches: ['Claim', 'AuditLog'], run: (w) => decideClaim(ctx, { communityId: w.ht01, claimId: w.claims.chenOrgsOnly, approve: true, actorId: pid('wang'), via }) },
    { useCase: 'approvePendingHours', why: "HT02's worker, its project", touches: ['HoursEntry', 'AuditLog'], run: (w) => approvePendingHours(ctx, { communityId: w.ht02, number: w.p.q1, actorId: pid('li'), via }) },
    { useCase: 'decideHoursEntry', why: 'approved', touches: ['HoursEntry', 'AuditLog'], run: (w) => decideHoursEntry(ctx, { communityId: w.ht01, entryId: w.hours.zhangPending, approve: true, actorId: pid('wang'), via }) },
    { useCase: 'correctHoursEntry', why: 'an approved entry corrected', touches: ['HoursEntry', 'AuditLog'], run: (w) => correctHoursEntry(ctx, { communityId: w.ht01, entryId: w.hours.qianApproved, hours: 1.5, reason: '补记', actorId: pid('wang'), via }) },
    { useCase: 'rateProject', why: 'a rating', touches: ['Feedback'], run: (w) => rateProject(ctx, { communityId: w.ht01, number: w.p.open, personId: pid('liu'), rating: 4, comment: '很好' }) },
    { useCase: 'setPeopleServed', why: 'thirty people', touches: ['Project', 'AuditLog'], run: (w) => setPeopleServed(ctx, { communityId: w.ht01, number: w.p.open, count: 30, actorId: pid('wang'), via }) },
    { useCase: 'setFeedbackSummary', why: 'a summary saved', touches: ['Project', 'AuditLog'], run: (w) => setFeedbackSummary(ctx, { communityId: w.ht01, number: w.p.open, text: '居民满意，建议提前通知', actorId: pid('wang'), via }) },
    { useCase: 'setOptOut', why: 'a volunteer opts out', touches: ['Person', 'AuditLog'], run: (w) => setOptOut(ctx, { personId: pid('sun'), optOut: true, communityId: w.ht01, via: 'chat' }) },
    { useCase: 'updateCommunitySettings', why: 'new reminder offsets; reminders planned again', touches: ['Community', 'Reminder', 'AuditLog'], run: () => updateCommunitySettings(ctx, { code: 'HT01', reminders: '48h,2h', actorId: pid('wang'), via }) },
  ];

  describe('refused: the code expected, no table changed', () => {
    for (const row of refusals) test(`${row.useCase} refuses ${row.why} (${row.code})`, async () => {
      const before = await dbFingerprint(ctx.prisma);
      let error: unknown;
      let accepted = false;
      try {
        await row.run(w);
        accepted = true;
      } catch (e) {
        error = e;
      }
      const after = await dbFingerprint(ctx.prisma);
      expect(accepted, `${row.useCase} accepted it (changed: ${describeChanges(before, after)})`).toBe(false);
      const got = error as { name?: string; code?: string };
      if (row.code === 'ZodError') expect(got.name).toBe('ZodError');
      else if (row.code === 'P2025') expect(got.code).toBe('P2025');
      else expect({ name: got.name, code: got.code }, String(error)).toEqual({ name: 'AppError', code: row.code });
      expect(changedTables(before, after), `refused, yet it changed: ${describeChanges(before, after)}`).toEqual([]);
    });
  });

  describe('accepted: the fingerprint changes (so the refusals above can fail)', () => {
    for (const row of successes) test(`${row.useCase} accepts ${row.why}`, async () => {
      const before = await dbFingerprint(ctx.prisma);
      await row.run(w);
      const after = await dbFingerprint(ctx.prisma);
      const changed = changedTables(before, after);
      expect(changed.length, 'nothing changed').toBeGreaterThan(0);
      expect(changed, describeChanges(before, after)).toEqual(expect.arrayContaining(row.touches));
    });
  });

  test('evaluateProject only reads: nothing changes', async () => {
    const before = await dbFingerprint(ctx.prisma);
    const e = await evaluateProject(ctx, { communityId: w.ht01, number: w.p.open });
    expect(e.signUps).toBeGreaterThan(0);
    expect(changedTables(before, await dbFingerprint(ctx.prisma))).toEqual([]);
  });

  test('every use case refused here also succeeds here, and the other way round', () => {
    const refused = [...new Set(refusals.map((r) => r.useCase))].sort();
    const accepted = [...new Set(successes.map((r) => r.useCase))].sort();
    expect(accepted).toEqual(refused);
    console.log(`atomicity: ${refused.length} use cases, ${refusals.length} refusal rows, ${successes.length} success rows (+ evaluateProject read-only)`);
  });
});
