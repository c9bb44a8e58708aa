// 微创投 phases by their planned dates, against the real PostgreSQL and Redis: a round moves on when
// a date is reached (the ventures job), through the worker's command's use case, announced to the
// groups once even when the job runs twice at once; a worker's command still moves it earlier.
// Times are relative to a TestClock, never calendar dates on the real clock.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import type { Effect } from '../../../src/core/effects.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { createRound } from '../../../src/core/ventures/create-round.ts';
import { changePhase } from '../../../src/core/ventures/change-phase.ts';
import { duePhase, schedulePhase } from '../../../src/core/ventures/schedule-phase.ts';
import { submitProposal } from '../../../src/core/ventures/submit-proposal.ts';
import { reviewProposal } from '../../../src/core/ventures/review-proposal.ts';
import { castVotes } from '../../../src/core/ventures/cast-votes.ts';
import { recordMember } from '../../../src/core/people/community-members.ts';
import { ventureAnnouncer } from '../../../src/notices/venture-announce.ts';
import { advanceVentures, startVentureWorker, VentureScheduler, ventureJobs } from '../../../jobs/ventures.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';
import { formatLocal } from '../../../src/lib/time.ts';

const hour = 3_600_000;
const day = 24 * hour;

describe('微创投 phases by their dates', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let clock: TestClock;
  let communityId = 0;
  let author = 0;
  const applied: Effect[] = [];
  const apply = async (effects: Effect[]) => void applied.push(...effects);
  const start = Date.now() - 30 * day;
  const at = (ms: number) => new Date(start + ms);

  /** The texts announced to the community's groups so far (one Broadcast row each), in order. */
  const announced = async () => (await db.prisma.broadcast.findMany({ where: { communityId }, orderBy: { id: 'asc' } })).map((b) => b.text);
  const phase = async () => (await db.prisma.proposalRound.findFirstOrThrow({ where: { communityId } })).phase;
  async function refusal(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      if (isAppError(e)) return e.code;
      throw e;
    }
    return 'accepted';
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new TestClock(at(0));
    ctx = { prisma: db.prisma, clock };
    communityId = (await createCommunity(ctx, { code: 'SCH1', name: '定时社区' })).id;
    await bindGroup(ctx, { community: 'SCH1', platform: 'web', chat: 'sch-g1' });
    await createRound(ctx, { communityId, title: '春季微创投', budgetYuan: 5000, via: 'cli' });
  });
  afterAll(async () => db?.drop());

  test('plans are checked: a later time, in phase order, a phase not yet reached', async () => {
    const plan = (p: 'collecting' | 'reviewing' | 'voting' | 'results' | 'tracking', ms: number | null) =>
      schedulePhase(ctx, { communityId, round: 1, phase: p, at: ms === null ? null : at(ms), actorId: null, via: 'cli' });
    expect(await refusal(plan('collecting', -hour))).toBe('PLANNED_IN_PAST');
    await plan('collecting', hour);
    await plan('voting', 3 * day);
    await plan('results', 5 * day);
    expect(await refusal(plan('reviewing', 6 * day))).toBe('PLANNED_OUT_OF_ORDER');
    expect(await refusal(plan('tracking', 4 * day))).toBe('PLANNED_OUT_OF_ORDER');
    await plan('reviewing', 2 * day);
    await plan('tracking', 20 * day);
    await plan('tracking', null); // taken back
    const round = await db.prisma.proposalRound.findFirstOrThrow({ where: { communityId } });
    expect([round.collectingPlannedAt, round.reviewingPlannedAt, round.votingPlannedAt, round.resultsPlannedAt, round.trackingPlannedAt]).toEqual([at(hour), at(2 * day), at(3 * day), at(5 * day), null]);
    expect(await db.prisma.auditLog.count({ where: { action: 'round.schedule' } })).toBe(6);
    // Due phases, pure: nothing before the first date; never over the vote.
    expect(duePhase(round, at(0))).toBeNull();
    expect(duePhase({ ...round, phase: 'collecting' }, at(10 * day))).toBe('voting');
    expect(duePhase({ ...round, phase: 'voting' }, at(10 * day))).toBe('results');
  });

  test('each date reached moves the round on and announces it once, however often the job runs', async () => {
    expect((await advanceVentures(ctx, apply)).moved).toEqual([]);
    expect(await phase()).toBe('draft');

    clock.set(at(hour));
    // Two runs at once (two worker processes): one move, one announcement.
    const [a, b] = await Promise.all([advanceVentures(ctx, apply), advanceVentures(ctx, apply)]);
    expect([...a.moved, ...b.moved].map((m) => [m.from, m.to])).toEqual([['draft', 'collecting']]);
    expect(await phase()).toBe('collecting');
    // The announcement says when the next planned phase begins, in the community's time.
    expect(await announced()).toEqual([expect.stringMatching(new RegExp(`开始征集提案.*（${formatLocal(at(2 * day), 'Asia/Shanghai')} 起进入「审核提案」阶段）$`, 's'))]);
    expect(applied.filter((e) => e.kind === 'broadcastScheduled')).toHaveLength(1);
    expect((await advanceVentures(ctx, apply)).moved).toEqual([]);

    author = (await db.prisma.person.create({ data: { displayName: '张阿姨' } })).id;
    await recordMember(ctx, author, communityId);
    await submitProposal(ctx, { communityId, personId: author, title: '楼道图书角', requestedYuan: 2000 });

    clock.set(at(2 * day));
    await advanceVentures(ctx, apply);
    expect(await phase()).toBe('reviewing');
    await reviewProposal(ctx, { communityId, number: 1, approve: true, actorId: null, via: 'cli' });
    // The audit says who moved it: the job.
    expect(await db.prisma.auditLog.findMany({ where: { action: 'round.phase' }, select: { via: true, actorId: true } })).toEqual([
      { via: 'job', actorId: null },
      { via: 'job', actorId: null },
    ]);
  });

  test("a worker's command moves it earlier; the date then passes without a second change", async () => {
    clock.set(at(2 * day + hour));
    await changePhase(ctx, { communityId, round: 1, to: 'voting', actorId: null, via: 'cli' }, ventureAnnouncer);
    await castVotes(ctx, { communityId, personId: author, numbers: [1] });
    clock.set(at(3 * day));
    expect((await advanceVentures(ctx, apply)).moved).toEqual([]);
    expect(await phase()).toBe('voting');
    expect((await announced()).filter((t) => t.includes('开始投票'))).toHaveLength(1);
    // A phase the round has reached cannot be planned any more.
    expect(await refusal(schedulePhase(ctx, { communityId, round: 1, phase: 'reviewing', at: at(4 * day), actorId: null, via: 'cli' }))).toBe('ROUND_PHASE');
  });

  test('the ventures worker runs the job (twice): the vote closes at its date, the results announced once', async () => {
    const prefix = `t${randomBytes(5).toString('hex')}`;
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const scheduler = new VentureScheduler(redis, prefix);
    let worker: Worker | undefined;
    try {
      clock.set(at(5 * day));
      const before = (await announced()).length;
      worker = startVentureWorker({ ctx, apply, connection: redis, prefix, log: silentLogger });
      const jobs = await Promise.all([1, 2].map(() => scheduler.queue.add(ventureJobs.advance.name, { v: 1 })));
      const deadline = Date.now() + 10_000;
      while ((await Promise.all(jobs.map((j) => scheduler.queue.getJobState(j.id!)))).some((s) => s !== 'completed')) {
        if (Date.now() > deadline) throw new Error('ventures jobs did not complete');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await phase()).toBe('results');
      const texts = await announced();
      expect(texts).toHaveLength(before + 1);
      expect(texts.at(-1)).toContain('楼道图书角');
      const results = await Promise.all(jobs.map(async (j) => (await scheduler.queue.getJob(j.id!))?.returnvalue as { moved: number }));
      expect(results.map((r) => r.moved).sort()).toEqual([0, 1]);
      // The winner became a project, as the worker's 结束投票 makes it.
      expect(await db.prisma.proposal.findMany({ where: { round: { communityId }, status: 'winner' }, select: { title: true, project: { select: { title: true } } } })).toEqual([
        { title: '楼道图书角', project: { title: '楼道图书角' } },
      ]);
    } finally {
      await worker?.close();
      await scheduler.queue.obliterate({ force: true }).catch(() => undefined);
      await scheduler.close();
      redis.disconnect();
    }
  });

  test('an announcement committed but never queued (its process died) is queued by the next run', async () => {
    // Every announcement above was handed to `apply` and none fanned out (no broadcast worker here):
    // one recorded five minutes ago looks like one whose process died before queueing it.
    const lost = await db.prisma.broadcast.findFirstOrThrow({ where: { communityId }, orderBy: { id: 'asc' } });
    await db.prisma.$executeRaw`UPDATE "Broadcast" SET "createdAt" = (now() AT TIME ZONE 'UTC') - interval '5 minutes' WHERE id = ${lost.id}`;
    applied.length = 0;
    const r = await advanceVentures(ctx, apply);
    expect(r.requeued).toBe(1);
    expect(applied).toEqual([{ kind: 'broadcastScheduled', broadcast: { id: lost.id, sendAt: null, cron: null, timezone: null } }]);
  });
});
