import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { currentRound, minSpendFen, yuanOf } from './rounds.ts';

/** What a person's ballot holds after a vote or a withdrawal, and what is left of it. */
export interface BallotState {
  round: { id: number; number: number; style: 'approval' | 'knapsack' };
  /** Votes on the ballot, and for knapsack the fen they spend. */
  votes: number;
  spentFen: number;
  /** approval: votes left; knapsack: fen left. */
  votesLeft: number | null;
  fenLeft: number | null;
  /** knapsack: fen still to spend before the ballot counts (0: it counts). */
  fenToCount: number;
}

const castInput = z.object({
  communityId: z.number().int(),
  personId: z.number().int(),
  numbers: z.array(z.number().int().positive()).min(1).max(50),
});

/** The largest value a PostgreSQL integer holds: "no limit" for the side of a ballot a style does not cap. */
const noLimit = 2_147_483_647;

interface CastRow {
  open: boolean | null;
  seen: boolean | null;
  allowed: boolean | null;
  found: Array<{ number: number; status: string | null; voted: boolean }> | null;
  votes: number | null;
  spentFen: number | null;
  inserted: number;
}

/**
 * `投票 N [M …]`: the person votes for the proposals numbered N, M … of the community's current
 * round. All or nothing: every number must be an approved proposal the person has not voted for,
 * the round must be voting, the person may vote (seen in a bound group of the round's community,
 * CommunityMember; with votersSeenBefore, first seen there before the vote opened), and the ballot with the new
 * votes must stay within its votes (approval) or its budget (knapsack). One person is one Person,
 * so their telegram and web accounts share one ballot.
 *
 * The vote is ONE SQL statement. Why not `pg_advisory_xact_lock(round, person)` inside it: under
 * READ COMMITTED a statement's snapshot is taken when it starts, before a lock inside it is granted,
 * so a second ballot waiting on that lock would still count the votes of the first one from before
 * it committed and could pass the limit. The statement instead keeps the ballot's totals in one
 * row, `Ballot (round, person)`, and adds to them with `INSERT … ON CONFLICT DO UPDATE … WHERE
 * total + new <= limit`: PostgreSQL locks that row and evaluates the condition against its latest
 * committed version, so concurrent ballots of one person are serialised by the row, never by the
 * snapshot. The vote rows are inserted only when that update returned its row; a duplicate vote
 * racing in from the person's other account violates the (round, person, proposal) key, which
 * aborts the whole statement (the totals with it) and we run it once more, when it sees the vote
 * and refuses it as a second vote. The round row is read `FOR SHARE`, so closing the vote (which
 * updates that row first) waits for votes in flight and none lands after the tally counted. Nothing
 * adds to a per-proposal counter: 2,000 voters at once contend only on their own rows.
 *
 * Refusals (nothing changed): NO_ROUND, VOTING_NOT_OPEN, NOT_SEEN_HERE, MAY_NOT_VOTE, PROPOSAL_NOT_FOUND,
 * PROPOSAL_NOT_ON_BALLOT, ALREADY_VOTED, VOTE_OVER_LIMIT, VOTE_OVER_BUDGET.
 */
export async function castVotes(ctx: CoreContext, input: z.input<typeof castInput>): Promise<BallotState & { added: number[] }> {
  const i = castInput.parse(input);
  const numbers = [...new Set(i.numbers)];
  const round = await currentRound(ctx.prisma, i.communityId);
  // The limits are fixed when the round is made (nothing changes them), so they travel as values.
  const maxVotes = round.ballotStyle === 'approval' ? (round.maxVotes ?? 1) : noLimit;
  const budgetFen = round.ballotStyle === 'knapsack' ? round.budgetFen : noLimit;
  const run = () => ctx.prisma.$queryRaw<CastRow[]>`
    WITH r AS (
      SELECT id, "communityId", "streetId", phase, "votersSeenBefore", "voterMaxMemberId" FROM "ProposalRound" WHERE id = ${round.id} FOR SHARE
    ), member AS (
      -- Seen in the round's community, or for a street's round in any community of the street.
      -- (An IN over that small set, so the (community, person) key answers it.)
      SELECT cm.id FROM "CommunityMember" cm
      WHERE cm."personId" = ${i.personId}
        AND cm."communityId" IN (SELECT "communityId" FROM r WHERE "communityId" IS NOT NULL
                                 UNION ALL SELECT c.id FROM "Community" c, r WHERE c."streetId" = r."streetId")
    ), eligible AS (
      SELECT r.phase = 'voting' AS open,
             EXISTS (SELECT 1 FROM member) AS seen,
             -- A person seen in several of a street's communities: their first sight there counts.
             EXISTS (SELECT 1 FROM member m WHERE NOT r."votersSeenBefore" OR m.id <= r."voterMaxMemberId") AS allowed
      FROM r
    ), asked AS (
      SELECT DISTINCT unnest(${numbers}::int[]) AS number
    ), found AS (
      SELECT a.number, p.id, p.status::text AS status, p."requestedFen",
             EXISTS (SELECT 1 FROM "Vote" v WHERE v."roundId" = ${round.id} AND v."personId" = ${i.personId} AND v."proposalId" = p.id) AS voted
      FROM asked a LEFT JOIN "Proposal" p ON p."roundId" = ${round.id} AND p.number = a.number
    ), adding AS (
      SELECT count(*)::int AS n, COALESCE(sum("requestedFen"), 0)::int AS fen FROM found
      WHERE (SELECT open AND allowed FROM eligible)
        AND NOT EXISTS (SELECT 1 FROM found f WHERE f.id IS NULL OR f.status <> 'approved' OR f.voted)
    ), head AS (
      INSERT INTO "Ballot" ("roundId", "personId", votes, "spentFen")
      SELECT ${round.id}, ${i.personId}, n, fen FROM adding
      WHERE n > 0 AND n <= ${maxVotes} AND fen <= ${budgetFen}
      ON CONFLICT ("roundId", "personId") DO UPDATE
        SET votes = "Ballot".votes + EXCLUDED.votes, "spentFen" = "Ballot"."spentFen" + EXCLUDED."spentFen"
        WHERE "Ballot".votes + EXCLUDED.votes <= ${maxVotes} AND "Ballot"."spentFen" + EXCLUDED."spentFen" <= ${budgetFen}
      RETURNING votes, "spentFen"
    ), ins AS (
      INSERT INTO "Vote" ("roundId", "personId", "proposalId")
      SELECT ${round.id}, ${i.personId}, f.id FROM found f WHERE EXISTS (SELECT 1 FROM head)
      RETURNING 1
    )
    SELECT (SELECT open FROM eligible) AS open,
           (SELECT seen FROM eligible) AS seen,
           (SELECT allowed FROM eligible) AS allowed,
           (SELECT json_agg(json_build_object('number', number, 'status', status, 'voted', voted) ORDER BY number) FROM found) AS found,
           (SELECT votes FROM head) AS votes,
           (SELECT "spentFen" FROM head) AS "spentFen",
           (SELECT count(*) FROM ins)::int AS inserted`;
  let rows: CastRow[];
  try {
    rows = await run();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    rows = await run(); // the same vote from the person's other account, a moment earlier: now seen
  }
  const row = rows[0];
  if (!row || row.open === null) throw new AppError('NO_ROUND');
  if (!row.open) throw new AppError('VOTING_NOT_OPEN', { round: round.number, phase: round.phase });
  if (!row.seen) throw new AppError('NOT_SEEN_HERE');
  if (!row.allowed) throw new AppError('MAY_NOT_VOTE');
  for (const f of row.found ?? []) {
    if (f.status === null) throw new AppError('PROPOSAL_NOT_FOUND', { number: f.number });
    if (f.status !== 'approved') throw new AppError('PROPOSAL_NOT_ON_BALLOT', { number: f.number });
    if (f.voted) throw new AppError('ALREADY_VOTED', { number: f.number });
  }
  if (row.votes === null || row.spentFen === null) {
    // The same vote from the person's other account may have filled the ballot a moment earlier
    // (this statement then waited on the ballot row and found it full): that is a second vote.
    const already = await ctx.prisma.vote.findFirst({
      where: { roundId: round.id, personId: i.personId, proposal: { number: { in: numbers } } },
      select: { proposal: { select: { number: true } } },
    });
    if (already) throw new AppError('ALREADY_VOTED', { number: already.proposal.number });
    // Within the rules but over the ballot's limit: say what is left.
    const b = await ballotState(ctx, round, i.personId);
    if (round.ballotStyle === 'approval') throw new AppError('VOTE_OVER_LIMIT', { max: maxVotes, left: b.votesLeft ?? 0 });
    throw new AppError('VOTE_OVER_BUDGET', { left: yuanOf(b.fenLeft ?? 0), budget: yuanOf(round.budgetFen) });
  }
  return { ...stateOf(round, row.votes, row.spentFen), added: numbers };
}

/**
 * `撤销投票 N`: takes the person's vote for proposal N back while voting is open; also one
 * statement (the vote's delete and the ballot's totals). NOT_VOTED when there is no such vote.
 */
export async function withdrawVote(ctx: CoreContext, input: { communityId: number; personId: number; number: number }): Promise<BallotState> {
  const round = await currentRound(ctx.prisma, input.communityId);
  const rows = await ctx.prisma.$queryRaw<Array<{ phase: string | null; found: boolean; votes: number | null; spentFen: number | null; removed: number }>>`
    WITH r AS (
      SELECT phase FROM "ProposalRound" WHERE id = ${round.id} FOR SHARE
    ), p AS (
      SELECT id, "requestedFen" FROM "Proposal" WHERE "roundId" = ${round.id} AND number = ${input.number}
    ), del AS (
      DELETE FROM "Vote" v USING p, r
      WHERE r.phase = 'voting' AND v."roundId" = ${round.id} AND v."personId" = ${input.personId} AND v."proposalId" = p.id
      RETURNING p."requestedFen" AS fen
    ), head AS (
      UPDATE "Ballot" b SET votes = b.votes - d.n, "spentFen" = b."spentFen" - d.fen
      FROM (SELECT count(*)::int AS n, COALESCE(sum(fen), 0)::int AS fen FROM del) d
      WHERE d.n > 0 AND b."roundId" = ${round.id} AND b."personId" = ${input.personId}
      RETURNING b.votes, b."spentFen"
    )
    SELECT (SELECT phase::text FROM r) AS phase, EXISTS (SELECT 1 FROM p) AS found,
           (SELECT votes FROM head) AS votes, (SELECT "spentFen" FROM head) AS "spentFen",
           (SELECT count(*) FROM del)::int AS removed`;
  const row = rows[0];
  if (!row || row.phase === null) throw new AppError('NO_ROUND');
  if (row.phase !== 'voting') throw new AppError('VOTING_NOT_OPEN', { round: round.number, phase: row.phase });
  if (!row.found) throw new AppError('PROPOSAL_NOT_FOUND', { number: input.number });
  if (row.removed === 0 || row.votes === null || row.spentFen === null) throw new AppError('NOT_VOTED', { number: input.number });
  return stateOf(round, row.votes, row.spentFen);
}

/** The person's ballot totals in a round as they stand (no ballot yet: nothing spent). */
export async function ballotState(
  ctx: CoreContext,
  round: { id: number; number: number; ballotStyle: 'approval' | 'knapsack'; maxVotes: number | null; budgetFen: number; minShare: number | null },
  personId: number,
): Promise<BallotState> {
  const b = await ctx.prisma.ballot.findUnique({ where: { roundId_personId: { roundId: round.id, personId } } });
  return stateOf(round, b?.votes ?? 0, b?.spentFen ?? 0);
}

function stateOf(
  round: { id: number; number: number; ballotStyle: 'approval' | 'knapsack'; maxVotes: number | null; budgetFen: number; minShare: number | null },
  votes: number,
  spentFen: number,
): BallotState {
  const approval = round.ballotStyle === 'approval';
  return {
    round: { id: round.id, number: round.number, style: round.ballotStyle },
    votes,
    spentFen,
    votesLeft: approval ? Math.max(0, (round.maxVotes ?? 1) - votes) : null,
    fenLeft: approval ? null : Math.max(0, round.budgetFen - spentFen),
    fenToCount: approval ? 0 : Math.max(0, minSpendFen(round) - spentFen),
  };
}

/** A unique-key violation (SQLSTATE 23505), however Prisma wraps it. */
function isUniqueViolation(e: unknown): boolean {
  const text = e instanceof Error ? `${e.message} ${JSON.stringify((e as { meta?: unknown }).meta ?? {})}` : '';
  return text.includes('23505') || /unique constraint/i.test(text);
}
