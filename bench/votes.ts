// `npm run bench -- votes`: a 10,000-voter burst on one 微创投 round. Each voter casts 3 votes
// (approval ballot, limit 3) and then tries a 4th, all at once through the core use case
// (castVotes: one SQL statement a call). Prints votes per second, latency p50/p99, the refusals,
// and checks the limit held (no ballot over 3, tallies equal to the votes accepted).
import { performance } from 'node:perf_hooks';
import { createCommunity } from '../src/core/communities/create-community.ts';
import type { CoreContext } from '../src/core/context.ts';
import { isAppError } from '../src/lib/errors.ts';
import { createRound } from '../src/core/ventures/create-round.ts';
import { changePhase } from '../src/core/ventures/change-phase.ts';
import { submitProposal } from '../src/core/ventures/submit-proposal.ts';
import { reviewProposal } from '../src/core/ventures/review-proposal.ts';
import { castVotes } from '../src/core/ventures/cast-votes.ts';
import { ventureAnnouncer } from '../src/notices/venture-announce.ts';
import { createTestDatabase } from '../tests/helpers/test-db.ts';
import { TestClock } from '../tests/helpers/clock.ts';
import { int, maxRssBytes, mb, ms, quantile, sortedCopy } from './lib/stats.ts';

const voters = Number(process.env.BENCH_VOTERS ?? 10_000);
const concurrency = Number(process.env.BENCH_VOTE_CONCURRENCY ?? 64);

const db = await createTestDatabase();
try {
  const ctx: CoreContext = { prisma: db.prisma, clock: new TestClock(new Date(Date.now() - 3_600_000)) };
  await db.prisma.person.createMany({ data: Array.from({ length: voters + 1 }, (_, i) => ({ displayName: `居民${i}` })) });
  const people = (await db.prisma.person.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
  const author = people.shift()!;
  const { id: communityId } = await createCommunity(ctx, { code: 'BV01', name: '投票社区' });
  // The voters have been seen in the community's groups (who may vote: CommunityMember).
  await db.prisma.communityMember.createMany({ data: people.map((personId) => ({ personId, communityId, firstSeenAt: ctx.clock.now() })) });
  await createRound(ctx, { communityId, title: '2027年微创投', budgetYuan: 30000, style: 'approval', maxVotes: 3, via: 'cli' });
  await changePhase(ctx, { communityId, round: 1, to: 'collecting', actorId: null, via: 'cli' }, ventureAnnouncer);
  for (let i = 1; i <= 8; i++) {
    await submitProposal(ctx, { communityId, personId: author, title: `提案${i}`, description: '说明', requestedYuan: 2000 });
    await reviewProposal(ctx, { communityId, number: i, approve: true, actorId: null, via: 'cli' });
  }
  await changePhase(ctx, { communityId, round: 1, to: 'voting', actorId: null, via: 'cli' }, ventureAnnouncer);

  // 4 attempts a voter (the 4th must be refused), interleaved so one person's votes race each other.
  const attempts = [0, 1, 2, 3].flatMap((k) => people.map((personId, i) => ({ personId, number: ((i + k) % 8) + 1 })));
  const latencies = new Float64Array(attempts.length);
  let accepted = 0;
  let overLimit = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < attempts.length) {
        const idx = next++;
        const a = attempts[idx]!;
        const s = performance.now();
        try {
          await castVotes(ctx, { communityId, personId: a.personId, numbers: [a.number] });
          accepted++;
        } catch (e) {
          if (!isAppError(e, 'VOTE_OVER_LIMIT')) throw e;
          overLimit++;
        }
        latencies[idx] = performance.now() - s;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const sorted = sortedCopy(latencies);
  const over = await db.prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (SELECT "personId" FROM "Vote" GROUP BY "personId" HAVING count(*) > 3) x`);
  const stored = await db.prisma.vote.count();

  console.log(`votes — ${int(voters)} voters × 4 attempts (limit 3), ${concurrency} at once, one statement a vote`);
  console.log(`  ${int(attempts.length / seconds)} attempts/s, ${int(accepted / seconds)} votes/s accepted; latency p50 ${ms(quantile(sorted, 0.5))}, p99 ${ms(quantile(sorted, 0.99))}`);
  console.log(`  accepted ${int(accepted)} (expected ${int(3 * voters)}), refused over the limit ${int(overLimit)}, stored ${int(stored)}, ballots over 3: ${over[0]?.n ?? '?'}`);
  console.log(`  peak RSS ${mb(maxRssBytes())}`);
  if (accepted !== 3 * voters || stored !== accepted || (over[0]?.n ?? 1) !== 0) {
    console.error('  FAILED: the limit did not hold');
    process.exitCode = 1;
  }
} finally {
  await db.drop();
}
