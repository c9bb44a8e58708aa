// The 微创投 forms of the CLI through runCli, on a database of their own: the rows they leave and
// the effects they hand to the executor.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../src/cli.ts';
import type { Effect } from '../src/core/effects.ts';
import { createCommunity } from '../src/core/communities/create-community.ts';
import { bindGroup } from '../src/core/groups/bind-group.ts';
import { submitProposal } from '../src/core/ventures/submit-proposal.ts';
import { systemClock, type CoreContext } from '../src/core/context.ts';
import type { EffectExecutor } from '../jobs/effects.ts';
import { formatLocal } from '../src/lib/time.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.ts';

describe('npm run cli: round create, round phase, proposal review', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  const applied: Effect[] = [];
  const lines: string[] = [];
  const queues = async () => ({ effects: { apply: async (e: readonly Effect[]) => void applied.push(...e) } as unknown as EffectExecutor });
  const cli = (argv: string[]) => runCli(argv, ctx, (l) => lines.push(l), { queues });

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock: systemClock };
    await createCommunity(ctx, { code: 'HT01', name: '回天一社区' });
    await bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'g1' });
  });
  afterAll(async () => db?.drop());

  test('a round is made, opened (announced), a proposal reviewed (its proposer told)', async () => {
    await cli(['round', 'create', '--community', 'HT01', '--title', '楼栋微创投', '--budget', '30000', '--style', 'knapsack', '--min-share', '0.7', '--hidden-tallies', 'off', '--min-votes', '5']);
    expect(lines.pop()).toMatch(/^round 1 楼栋微创投: budget ¥30000, knapsack, ballots count from 70% of the budget/);
    const round = await db.prisma.proposalRound.findFirstOrThrow();
    expect([round.budgetFen, round.ballotStyle, round.minShare, round.hiddenTallies, round.minVotes, round.phase, round.votersSeenBefore]).toEqual([3_000_000, 'knapsack', 0.7, false, 5, 'draft', true]);

    await cli(['round', 'phase', '--community', 'HT01', '--round', '1', '--to', 'collecting']);
    expect(lines.pop()).toBe('round 1 楼栋微创投: draft → collecting, announced to the groups');
    expect(applied.map((e) => e.kind)).toEqual(['broadcastScheduled']);
    const broadcast = await db.prisma.broadcast.findFirstOrThrow();
    expect(broadcast.text).toContain('【微创投】楼栋微创投 开始征集提案！总预算 30000 元');

    const author = (await db.prisma.person.create({ data: { displayName: '张阿姨' } })).id;
    const { id: communityId } = await db.prisma.community.findUniqueOrThrow({ where: { code: 'HT01' } });
    await submitProposal(ctx, { communityId, personId: author, title: '楼道图书角', requestedYuan: 2000 });
    await submitProposal(ctx, { communityId, personId: author, title: '车棚花园', requestedYuan: 3000 });
    await cli(['proposal', 'review', '--community', 'HT01', '--proposal', '1', '--approve']);
    expect(lines.pop()).toBe('proposal 1 楼道图书角: approved; the proposer is told');
    await cli(['proposal', 'review', '--community', 'HT01', '--proposal', '2', '--decline', '车棚属于物业']);
    expect(lines.pop()).toBe('proposal 2 车棚花园: declined (车棚属于物业); the proposer is told');
    expect(applied.slice(1).flatMap((e) => (e.kind === 'notify' ? e.notices.map((n) => n.message) : []))).toEqual(['proposalApproved', 'proposalDeclined']);

    await expect(cli(['round', 'phase', '--community', 'HT01', '--round', '1', '--to', 'tracking'])).rejects.toMatchObject({ code: 'ROUND_PHASE' });
    await expect(cli(['proposal', 'review', '--community', 'HT01', '--proposal', '1'])).rejects.toThrow(/--approve or --decline/);
    expect((await db.prisma.proposalRound.findFirstOrThrow()).phase).toBe('collecting');
  });

  test('round create --voters seen: people seen after voting opened may vote too', async () => {
    await cli(['round', 'create', '--community', 'HT01', '--title', '随到随投', '--budget', '100', '--voters', 'seen']);
    expect(lines.pop()).toMatch(/^round 2 随到随投/);
    expect((await db.prisma.proposalRound.findFirstOrThrow({ where: { number: 2 } })).votersSeenBefore).toBe(false);
    await expect(cli(['round', 'create', '--community', 'HT01', '--title', 'x', '--budget', '100', '--voters', 'anyone'])).rejects.toThrow(/--voters must be/);
  });

  test('round schedule: planned dates in the community time zone, checked, taken back', async () => {
    // Times relative to now, typed as a worker types them (local time of Asia/Shanghai).
    const inDays = (d: number) => new Date(Math.floor((Date.now() + d * 86_400_000) / 60_000) * 60_000);
    const typed = (d: number) => formatLocal(inDays(d), 'Asia/Shanghai');
    await cli(['round', 'schedule', '--community', 'HT01', '--round', '1', '--phase', 'voting', '--at', typed(3)]);
    expect(lines.pop()).toBe(`round 1 楼栋微创投 (collecting): planned voting ${typed(3)} (Asia/Shanghai)`);
    await cli(['round', 'schedule', '--community', 'HT01', '--round', '1', '--phase', 'results', '--at', typed(5)]);
    expect(lines.pop()).toBe(`round 1 楼栋微创投 (collecting): planned voting ${typed(3)}, results ${typed(5)} (Asia/Shanghai)`);
    const round = await db.prisma.proposalRound.findFirstOrThrow({ where: { number: 1 } });
    expect([round.votingPlannedAt, round.resultsPlannedAt]).toEqual([inDays(3), inDays(5)]);
    await expect(cli(['round', 'schedule', '--community', 'HT01', '--round', '1', '--phase', 'reviewing', '--at', typed(4)])).rejects.toMatchObject({ code: 'PLANNED_OUT_OF_ORDER' });
    await expect(cli(['round', 'schedule', '--community', 'HT01', '--round', '1', '--phase', 'reviewing', '--at', typed(-1)])).rejects.toMatchObject({ code: 'PLANNED_IN_PAST' });
    await expect(cli(['round', 'schedule', '--community', 'HT01', '--round', '1', '--phase', 'collecting', '--at', typed(1)])).rejects.toMatchObject({ code: 'ROUND_PHASE' });
    await expect(cli(['round', 'schedule', '--community', 'HT01', '--round', '1', '--phase', 'voting', '--at', 'next week'])).rejects.toThrow(/expected a local time/);
    await expect(cli(['round', 'schedule', '--community', 'HT01', '--round', '1', '--phase', 'voting'])).rejects.toThrow(/--at .* or --clear/);
    await cli(['round', 'schedule', '--community', 'HT01', '--round', '1', '--phase', 'results', '--clear']);
    expect(lines.pop()).toBe(`round 1 楼栋微创投 (collecting): planned voting ${typed(3)} (Asia/Shanghai)`);
  });
});
