// 微创投 in the reports (reportData): rounds, turnout (voters against residents seen in the
// community's groups: CommunityMember rows), money granted and projects completed, per community and rolled up for a
// street, from rows this test writes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { reportData } from '../../../src/core/reports/report-data.ts';

describe('微创投 figures in the reports', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  const clock = new TestClock('2026-12-20T12:00+08:00');
  const at = (iso: string) => new Date(iso);
  const period = { from: at('2026-12-01T00:00+08:00'), to: at('2027-01-01T00:00+08:00'), timezone: 'Asia/Shanghai' };
  let a = 0;
  let b = 0;
  let c = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    a = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '霍营街道' })).id;
    b = (await createCommunity(ctx, { code: 'HT02', name: '回天二社区', street: '霍营街道' })).id;
    c = (await createCommunity(ctx, { code: 'XX01', name: '别的社区', street: '别的街道' })).id;
    const p = db.prisma;
    // Groups: two of HT01, one of HT02, one of XX01, one not bound to any community.
    await p.group.createMany({
      data: [
        { platform: 'web', externalId: 'a1', communityId: a },
        { platform: 'web', externalId: 'a2', communityId: a },
        { platform: 'web', externalId: 'b1', communityId: b },
        { platform: 'web', externalId: 'x1', communityId: c },
        { platform: 'web', externalId: 'loose' },
      ],
    });
    const people: Record<string, number> = {};
    for (const name of ['张', '刘', '李', '王', '赵', '孙', '周', '吴']) people[name] = await ensurePerson(ctx, 'web', name, name);
    // A message in a chat, as the router records it: a person seen in a bound group becomes a
    // member of its community at their first message there (CommunityMember); private chats and
    // unbound groups record nothing. The report counts residents from those rows alone.
    const groupOf: Record<string, number> = { a1: a, a2: a, b1: b, x1: c };
    const said = async (user: string, chatId: string, receivedAt = '2026-12-02T09:00+08:00') => {
      const communityId = groupOf[chatId];
      if (communityId === undefined) return;
      await p.communityMember.createMany({ data: [{ personId: people[user]!, communityId, firstSeenAt: at(receivedAt) }], skipDuplicates: true });
    };
    // HT01 residents seen: 张 (twice, in both groups), 刘, 李, 王, 赵 = 5. 孙 wrote only in private
    // (dm chat), 周 only in an unbound group, 吴 only after the period: not seen.
    await said('张', 'a1');
    await said('张', 'a2');
    await said('刘', 'a1');
    await said('李', 'a2');
    await said('王', 'a1');
    await said('赵', 'a1', '2026-11-15T09:00+08:00');
    await said('孙', 'dm:孙');
    await said('周', 'loose');
    await said('吴', 'a1', '2027-01-05T09:00+08:00');
    // HT02: 李 and 孙 seen (a person may live near two communities' groups).
    await said('李', 'b1');
    await said('孙', 'b1');

    let roundSeq = 0;
    const round = (communityId: number, collectingAt: string, phase: 'voting' | 'results' | 'tracking' = 'tracking') =>
      p.proposalRound.create({ data: { communityId, number: ++roundSeq, title: `第${roundSeq}轮`, budgetFen: 1_000_000, phase, collectingAt: at(collectingAt) } });
    let projectSeq = 0;
    const proposal = async (roundId: number, communityId: number, n: number, o: { winner?: boolean; grantFen?: number; progress?: number; projectStatus?: 'draft' | 'in_progress' | 'closed' | 'evaluated' } = {}) => {
      const project = o.winner ? await p.project.create({ data: { communityId, number: ++projectSeq, title: `项目${projectSeq}`, status: o.projectStatus ?? 'in_progress' } }) : null;
      return p.proposal.create({
        data: {
          roundId,
          number: n,
          title: `提案${n}`,
          authorId: people['张']!,
          requestedFen: o.grantFen ?? 100_000,
          status: o.winner ? 'winner' : 'approved',
          grantFen: o.winner ? (o.grantFen ?? 100_000) : null,
          progress: o.progress ?? 0,
          projectId: project?.id ?? null,
        },
      });
    };
    const ballot = (roundId: number, name: string, votes: number) => p.ballot.create({ data: { roundId, personId: people[name]!, votes, spentFen: 0 } });

    // HT01, round 1 in the period: winners ¥2000 (completed by progress 100) and ¥1500.50 (project
    // closed), one winner still at 40% (¥500), one proposal that lost. Voters 张 刘 李; 王 took
    // his vote back (0 votes left: not a voter).
    const r1 = await round(a, '2026-12-03T10:00+08:00');
    await proposal(r1.id, a, 1, { winner: true, grantFen: 200_000, progress: 100 });
    await proposal(r1.id, a, 2, { winner: true, grantFen: 150_050, progress: 60, projectStatus: 'closed' });
    await proposal(r1.id, a, 3, { winner: true, grantFen: 50_000, progress: 40 });
    await proposal(r1.id, a, 4);
    for (const n of ['张', '刘', '李']) await ballot(r1.id, n, 1);
    await ballot(r1.id, '王', 0);
    // HT01, round 2 in the period, still voting: voter 张 again (one person), 赵.
    const r2 = await round(a, '2026-12-15T10:00+08:00', 'voting');
    await proposal(r2.id, a, 1);
    await ballot(r2.id, '张', 2);
    await ballot(r2.id, '赵', 1);
    // HT01, a round before the period: not counted (its grant, its voter).
    const old = await round(a, '2026-10-01T10:00+08:00');
    await proposal(old.id, a, 1, { winner: true, grantFen: 900_000, progress: 100 });
    await ballot(old.id, '刘', 1);
    // HT02, one round: voter 孙, one winner ¥3000 evaluated.
    const rb = await round(b, '2026-12-05T10:00+08:00');
    await proposal(rb.id, b, 1, { winner: true, grantFen: 300_000, progress: 80, projectStatus: 'evaluated' });
    await ballot(rb.id, '孙', 1);
    // Another street's community: never in HT01's or the street's figures.
    const rx = await round(c, '2026-12-05T10:00+08:00');
    await proposal(rx.id, c, 1, { winner: true, grantFen: 777_700, progress: 100 });
    await ballot(rx.id, '吴', 1);
  });
  afterAll(async () => db?.drop());

  test('a community: rounds, turnout against residents seen in its groups, grants, completed', async () => {
    const r = await reportData(ctx, { communityIds: [a], ...period });
    expect(r.totals.ventures).toEqual({ rounds: 2, voters: 4, residents: 5, turnout: 0.8, grantedYuan: 4000.5, winners: 3, completed: 2 });
    expect(r.perCommunity.map((x) => [x.code, x.ventures.rounds])).toEqual([['HT01', 2]]);
  });

  test('the street rolls its communities up; another street stays out', async () => {
    const r = await reportData(ctx, { communityIds: [a, b], ...period });
    const by = Object.fromEntries(r.perCommunity.map((x) => [x.code, x.ventures]));
    expect(by.HT01).toEqual({ rounds: 2, voters: 4, residents: 5, turnout: 0.8, grantedYuan: 4000.5, winners: 3, completed: 2 });
    expect(by.HT02).toEqual({ rounds: 1, voters: 1, residents: 2, turnout: 0.5, grantedYuan: 3000, winners: 1, completed: 1 });
    expect(r.totals.ventures).toEqual({ rounds: 3, voters: 5, residents: 7, turnout: 5 / 7, grantedYuan: 7000.5, winners: 4, completed: 3 });
  });

  test('a period with no round: zeros, and turnout null without residents', async () => {
    const r = await reportData(ctx, { communityIds: [a, b], from: at('2026-06-01T00:00+08:00'), to: at('2026-07-01T00:00+08:00'), timezone: 'Asia/Shanghai' });
    expect(r.totals.ventures).toEqual({ rounds: 0, voters: 0, residents: 0, turnout: null, grantedYuan: 0, winners: 0, completed: 0 });
  });
});
