import { AppError } from '../../lib/errors.ts';
import type { Db, Tx } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import type { ProposalRound } from '../../generated/prisma/client.ts';
import type { Effect } from '../effects.ts';
import { broadcastScheduled, recordBroadcast } from '../broadcasts/create-broadcast.ts';

/** A 微创投 round's phases in order; a round only moves forward. */
export const phases = ['draft', 'collecting', 'reviewing', 'voting', 'results', 'tracking', 'closed'] as const;
export type RoundPhase = (typeof phases)[number];

/** Who moved it: 'job' is the ventures job moving a round on by its planned dates. */
export type Via = 'chat' | 'cli' | 'api' | 'console' | 'job';

/** The largest amount a round or a proposal may name: ¥10,000,000 (fen fit PostgreSQL's integer). */
export const maxYuan = 10_000_000;

/** Fen from yuan as a person typed it (2000, 1999.5); the caller has checked it is positive. */
export function fenOf(yuan: number): number {
  return Math.round(yuan * 100);
}

/** Yuan for showing: 2000, 1999.5 (a number: the message decides how it looks). */
export function yuanOf(fen: number): number {
  return fen / 100;
}

export function phaseIndex(phase: RoundPhase): number {
  return phases.indexOf(phase);
}

/** Whether residents may see vote counts now: after the vote, or during it when the round shows them. */
export function talliesVisible(round: Pick<ProposalRound, 'phase' | 'hiddenTallies'>): boolean {
  const i = phaseIndex(round.phase);
  return i > phaseIndex('voting') || (round.phase === 'voting' && !round.hiddenTallies);
}

/** The fen a knapsack ballot must spend to count in the tally (0 for approval ballots). */
export function minSpendFen(round: Pick<ProposalRound, 'ballotStyle' | 'minShare' | 'budgetFen'>): number {
  return round.ballotStyle === 'knapsack' ? Math.ceil((round.minShare ?? 0) * round.budgetFen) : 0;
}

/**
 * The round residents of a community are talking about: the latest one that has been opened
 * (drafts are not shown). NO_ROUND when there is none.
 */
export async function currentRound(ctx: CoreContext | Db, communityId: number): Promise<ProposalRound> {
  const db = 'prisma' in ctx && 'clock' in ctx ? ctx.prisma : ctx;
  const round = await db.proposalRound.findFirst({ where: { communityId, phase: { not: 'draft' } }, orderBy: { number: 'desc' } });
  if (!round) throw new AppError('NO_ROUND');
  return round;
}

/** A round by the number workers type; ROUND_NOT_FOUND for another community's or an unknown one. */
export async function roundByNumber(db: Db, communityId: number, number: number): Promise<ProposalRound> {
  const round = await db.proposalRound.findUnique({ where: { communityId_number: { communityId, number } } });
  if (!round) throw new AppError('ROUND_NOT_FOUND', { number });
  return round;
}

/** A proposal of a round by its number; PROPOSAL_NOT_FOUND otherwise. */
export async function proposalByNumber(db: Db, roundId: number, number: number) {
  const proposal = await db.proposal.findUnique({ where: { roundId_number: { roundId, number } } });
  if (!proposal) throw new AppError('PROPOSAL_NOT_FOUND', { number });
  return proposal;
}

/** The community as announcements need it: where and in which language. */
export interface AnnounceCommunity {
  name: string;
  locale: string;
  timezone: string;
}

/** A proposal in the results: its place, its votes, whether it won. */
export interface RankedProposal {
  number: number;
  title: string;
  requestedFen: number;
  votes: number;
  winner: boolean;
  /** The project a winner became. */
  projectNumber?: number;
}

/**
 * Writes what the community's groups are told about a round (src/notices/venture-announce.ts), in
 * the community's language. Core records the text; it never composes words itself.
 */
export interface VentureAnnouncer {
  phase(round: ProposalRound, community: AnnounceCommunity): string;
  results(round: ProposalRound, ranking: RankedProposal[], community: AnnounceCommunity): string;
  progress(round: ProposalRound, proposal: { number: number; title: string; projectNumber: number | null }, update: { percent: number; milestone?: string; note: string }, community: AnnounceCommunity): string;
}

/**
 * Records an announcement to every bound group of the community inside the caller's transaction
 * and returns its fan-out effect; none when the community has no bound group yet (a round can be
 * run before the groups are bound: the worker still sees its replies).
 */
export async function announceToGroups(tx: Tx, input: { communityId: number; text: string; actorId: number | null; via: Via }): Promise<Effect[]> {
  const groups = await tx.group.count({ where: { communityId: input.communityId } });
  if (groups === 0) return [];
  const broadcast = await recordBroadcast(tx, { communityId: input.communityId, text: input.text, groupIds: [], actorId: input.actorId, via: input.via });
  return [broadcastScheduled(broadcast)];
}

/** The community's workers (grants on the community itself), for notices. */
export async function workerIdsOf(db: Db, communityId: number): Promise<number[]> {
  const grants = await db.roleGrant.findMany({ where: { communityId, role: { in: ['worker', 'admin'] } }, select: { personId: true } });
  return [...new Set(grants.map((g) => g.personId))];
}
