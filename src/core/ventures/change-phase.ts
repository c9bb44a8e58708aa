import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import type { Effect } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { closeVoting } from './close-voting.ts';
import { announceRound, phaseIndex, phases, requireRoundWorker, roundOf, type RoundOwner, type RoundPhase, type VentureAnnouncer, type Via } from './rounds.ts';
import type { ProposalRound } from '../../generated/prisma/client.ts';

const phaseAt = {
  collecting: 'collectingAt',
  reviewing: 'reviewingAt',
  voting: 'votingAt',
  results: 'resultsAt',
  tracking: 'trackingAt',
  closed: 'closedAt',
} as const;

/**
 * Moves round N forward to a later phase and announces it to the community's groups (a broadcast).
 * Collecting may skip reviewing; a round cannot jump over the vote; leaving voting is the tally
 * ({@link closeVoting}: results, winners made projects), which this calls for `to: results`.
 * Opening the vote records the newest CommunityMember so far: with votersSeenBefore only people
 * first seen in the groups of the round's communities before it may vote. A street's round
 * (`streetId`) is announced in every community of the street. Only a worker of the community, for
 * a street's round of the street (or the CLI). Refused: nothing changes.
 */
export async function changePhase(
  ctx: CoreContext,
  input: RoundOwner & { round: number; to: Exclude<RoundPhase, 'draft'>; actorId: number | null; via: Via },
  announcer: VentureAnnouncer,
): Promise<{ round: ProposalRound; from: RoundPhase; effects: Effect[] }> {
  if (input.actorId !== null && input.communityId !== undefined) await requireWorker(ctx, input.actorId, input.communityId);
  const found = await roundOf(ctx.prisma, input, input.round);
  if (input.actorId !== null) await requireRoundWorker(ctx, input.actorId, found);
  checkMove(found.number, found.phase, input.to);
  if (found.phase === 'voting') {
    const r = await closeVoting(ctx, { ...input, round: input.round }, announcer);
    return { round: r.round, from: 'voting', effects: r.effects };
  }
  return ctx.prisma.$transaction(async (tx) => {
    const now = ctx.clock.now();
    // Conditional on the phase read above: two workers moving the round at once, one wins.
    const moved = await tx.proposalRound.updateMany({ where: { id: found.id, phase: found.phase }, data: { phase: input.to, [phaseAt[input.to]]: now } });
    if (moved.count === 0) throw new AppError('CONFLICT');
    if (input.to === 'voting') {
      // The newest member row of any community: a member id up to it was first seen before.
      await tx.$executeRaw`UPDATE "ProposalRound" SET "voterMaxMemberId" = (SELECT COALESCE(max(id), 0) FROM "CommunityMember") WHERE id = ${found.id}`;
    }
    const round = await tx.proposalRound.findUniqueOrThrow({ where: { id: found.id } });
    await writeAudit(tx, {
      communityId: round.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'round.phase',
      entity: 'ProposalRound',
      entityId: round.id,
      before: { phase: found.phase },
      after: { phase: round.phase },
    });
    const effects = await announceRound(tx, round, { text: (community) => announcer.phase(round, community), actorId: input.actorId, via: input.via });
    return { round, from: found.phase, effects };
  });
}

/** Whether a round in phase `from` may move to `to` now (forward; never over the vote). Pure. */
export function canMove(from: RoundPhase, to: RoundPhase): boolean {
  return (
    phaseIndex(to) > phaseIndex(from) &&
    // Nothing jumps over the vote: into it first, and out of it only to the results.
    !(phaseIndex(from) < phaseIndex('voting') && phaseIndex(to) > phaseIndex('voting')) &&
    !(from === 'voting' && to !== 'results')
  );
}

/** The phases a round in `from` may move to now, in order (what the console offers). Pure. */
export function nextPhases(from: RoundPhase): Array<Exclude<RoundPhase, 'draft'>> {
  return phases.filter((p): p is Exclude<RoundPhase, 'draft'> => p !== 'draft' && canMove(from, p));
}

/** ROUND_PHASE unless `to` is a move this round may make now. */
function checkMove(number: number, from: RoundPhase, to: RoundPhase): void {
  if (!canMove(from, to)) throw new AppError('ROUND_PHASE', { number, from, to });
}
