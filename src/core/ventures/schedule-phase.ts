import { z } from 'zod';
import { AppError, isAppError } from '../../lib/errors.ts';
import { isPast } from '../../lib/time.ts';
import type { CoreContext } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { ProposalRound } from '../../generated/prisma/client.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { canMove, changePhase } from './change-phase.ts';
import { ownerOf, phaseIndex, phases, requireRoundWorker, roundOf, type RoundOwner, type RoundPhase, type VentureAnnouncer } from './rounds.ts';

/** The phases a round can be planned into, with the column holding each one's planned date. */
export const plannedAt = {
  collecting: 'collectingPlannedAt',
  reviewing: 'reviewingPlannedAt',
  voting: 'votingPlannedAt',
  results: 'resultsPlannedAt',
  tracking: 'trackingPlannedAt',
  closed: 'closedPlannedAt',
} as const;
export type PlannedPhase = keyof typeof plannedAt;

const scheduleInput = z.object({
  /** A community's round, or (streetId) a street's. */
  communityId: z.number().int().optional(),
  streetId: z.number().int().optional(),
  round: z.number().int().positive(),
  phase: z.enum(['collecting', 'reviewing', 'voting', 'results', 'tracking', 'closed']),
  /** When the phase begins; null takes the plan back (only a worker's command moves it there). */
  at: z.date().nullable(),
  actorId: z.number().int().nullable(),
  via: z.enum(['chat', 'cli', 'api', 'console']),
}).refine((i) => (i.communityId === undefined) !== (i.streetId === undefined), { message: 'a community or a street', path: ['communityId'] });

/**
 * Plans when round N enters a phase (`round schedule --phase voting --at "2027-03-01 09:00"`): the
 * ventures job moves it there when the date is reached ({@link advanceDueRounds}); a worker's
 * command can still move it earlier. Refused, nothing changed: a phase the round has reached
 * (ROUND_PHASE), a date in the past (PLANNED_IN_PAST), a date not after the plan of an earlier
 * phase or not before a later one's (PLANNED_OUT_OF_ORDER). Only a worker of the community (or the
 * CLI). No effects: the job reads the dates.
 */
export async function schedulePhase(ctx: CoreContext, input: z.input<typeof scheduleInput>): Promise<{ round: ProposalRound; effects: Effect[] }> {
  const i = scheduleInput.parse(input);
  if (i.actorId !== null && i.communityId !== undefined) await requireWorker(ctx, i.actorId, i.communityId);
  const owner: RoundOwner = i.communityId !== undefined ? { communityId: i.communityId } : { streetId: i.streetId ?? -1 };
  const found = await roundOf(ctx.prisma, owner, i.round);
  if (i.actorId !== null) await requireRoundWorker(ctx, i.actorId, found);
  if (phaseIndex(i.phase) <= phaseIndex(found.phase)) throw new AppError('ROUND_PHASE', { number: found.number, from: found.phase, to: i.phase });
  if (i.at) {
    if (isPast(i.at, ctx.clock.now())) throw new AppError('PLANNED_IN_PAST');
    for (const p of plannedPhases) {
      const other = found[plannedAt[p]];
      if (p === i.phase || !other) continue;
      const before = phaseIndex(p) < phaseIndex(i.phase);
      if (before ? other.getTime() >= i.at.getTime() : other.getTime() <= i.at.getTime()) {
        throw new AppError('PLANNED_OUT_OF_ORDER', { phase: i.phase, other: p });
      }
    }
  }
  return ctx.prisma.$transaction(async (tx) => {
    const round = await tx.proposalRound.update({ where: { id: found.id }, data: { [plannedAt[i.phase]]: i.at } });
    await writeAudit(tx, {
      communityId: found.communityId,
      actorId: i.actorId,
      via: i.via,
      action: 'round.schedule',
      entity: 'ProposalRound',
      entityId: round.id,
      before: { phase: i.phase, at: found[plannedAt[i.phase]]?.toISOString() ?? null },
      after: { phase: i.phase, at: i.at?.toISOString() ?? null },
    });
    return { round, effects: [] };
  });
}

const plannedPhases = Object.keys(plannedAt) as PlannedPhase[];

/**
 * The phase a round is due to move to at `now` by its planned dates, or null: the furthest phase
 * after its own whose date has been reached and which it may move to now (never over the vote:
 * a round still collecting when both the vote and the results are due opens the vote first, and
 * the next run closes it). Pure.
 */
export function duePhase(round: Pick<ProposalRound, 'phase' | (typeof plannedAt)[PlannedPhase]>, now: Date): PlannedPhase | null {
  let due: PlannedPhase | null = null;
  for (const p of plannedPhases) {
    const at = round[plannedAt[p]];
    if (at && at.getTime() <= now.getTime() && canMove(round.phase, p)) due = p;
  }
  return due;
}

/** A round moved on by its date: from, to, and what its change decided (the announcement). */
export interface ScheduledMove {
  roundId: number;
  communityId: number | null;
  streetId: number | null;
  number: number;
  from: RoundPhase;
  to: PlannedPhase;
  effects: Effect[];
}

/**
 * Moves on every round whose next planned date has been reached, each through the worker's
 * command's use case ({@link changePhase}, actor null, via 'job'), so the move, its audit and its
 * announcement are what a worker's `开始投票` makes. Each change is conditional on the phase it
 * read: run twice, or at once in two processes, a round moves (and is announced) once; the other
 * run finds it moved (ROUND_PHASE, CONFLICT, VOTING_NOT_OPEN) and skips it. A round a worker moved
 * earlier is past its planned phase and is left alone. `onMove` carries out each move's effects as
 * it is made (a round failing does not hold back the others).
 */
export async function advanceDueRounds(ctx: CoreContext, announcer: VentureAnnouncer, onMove: (move: ScheduledMove) => Promise<unknown> = async () => undefined): Promise<ScheduledMove[]> {
  const now = ctx.clock.now();
  // Only rounds that can move now: a phase due that the round's own phase may move to (a round
  // sitting in voting with only its past voting date is not read again every minute).
  const candidates = await ctx.prisma.proposalRound.findMany({
    where: { OR: plannedPhases.map((p) => ({ [plannedAt[p]]: { lte: now }, phase: { in: phases.filter((from) => canMove(from, p)) } })) },
    orderBy: { id: 'asc' },
    take: 500,
  });
  const moves: ScheduledMove[] = [];
  for (const round of candidates) {
    const to = duePhase(round, now);
    if (!to) continue;
    try {
      const r = await changePhase(ctx, { ...ownerOf(round), round: round.number, to, actorId: null, via: 'job' }, announcer);
      const move = { roundId: round.id, communityId: round.communityId, streetId: round.streetId, number: round.number, from: r.from, to, effects: r.effects };
      moves.push(move);
      await onMove(move);
    } catch (e) {
      // Moved meanwhile by a worker or by another run of this job: nothing left to do.
      if (isAppError(e) && ['ROUND_PHASE', 'CONFLICT', 'VOTING_NOT_OPEN'].includes(e.code)) continue;
      throw e;
    }
  }
  return moves;
}

/** The planned dates of a round, in phase order (the console and the CLI show them). */
export function plannedDates(round: Pick<ProposalRound, (typeof plannedAt)[PlannedPhase]>): Array<{ phase: PlannedPhase; at: Date }> {
  return plannedPhases.flatMap((phase) => {
    const at = round[plannedAt[phase]];
    return at ? [{ phase, at }] : [];
  });
}
