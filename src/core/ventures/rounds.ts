import { AppError } from '../../lib/errors.ts';
import type { Db, Tx } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import type { ProposalRound } from '../../generated/prisma/client.ts';
import type { Effect } from '../effects.ts';
import { broadcastScheduled, recordBroadcast } from '../broadcasts/create-broadcast.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { isStreetWorker } from '../roles/is-worker.ts';

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

/** Whose round it is: a community's, or a street's (covering the street's communities). */
export type RoundOwner = { communityId: number; streetId?: undefined } | { streetId: number; communityId?: undefined };

/** The owner of a round as the use cases take it (`{ ...ownerOf(round), round: round.number }`). */
export function ownerOf(round: Pick<ProposalRound, 'communityId' | 'streetId'>): RoundOwner {
  if (round.communityId !== null) return { communityId: round.communityId };
  if (round.streetId !== null) return { streetId: round.streetId };
  throw new Error('a round without a community or a street');
}

/**
 * The round residents of a community are talking about: the latest opened one (drafts are not
 * shown) of the community's own or of its street's. NO_ROUND when there is none.
 */
export async function currentRound(ctx: CoreContext | Db, communityId: number): Promise<ProposalRound> {
  const db = 'prisma' in ctx && 'clock' in ctx ? ctx.prisma : ctx;
  const community = await db.community.findUnique({ where: { id: communityId }, select: { streetId: true } });
  const round = await db.proposalRound.findFirst({
    where: { phase: { not: 'draft' }, OR: [{ communityId }, ...(community?.streetId ? [{ streetId: community.streetId }] : [])] },
    orderBy: { id: 'desc' },
  });
  if (!round) throw new AppError('NO_ROUND');
  return round;
}

/** A round by its owner and number: ROUND_NOT_FOUND for another's or an unknown one. */
export async function roundOf(db: Db, owner: RoundOwner, number: number): Promise<ProposalRound> {
  const round =
    owner.communityId !== undefined
      ? await db.proposalRound.findUnique({ where: { communityId_number: { communityId: owner.communityId, number } } })
      : await db.proposalRound.findUnique({ where: { streetId_number: { streetId: owner.streetId, number } } });
  if (!round) throw new AppError('ROUND_NOT_FOUND', { number });
  return round;
}

/** The communities a round covers: its own, or every community of its street (by code). */
export async function roundCommunities(db: Db | Tx, round: Pick<ProposalRound, 'communityId' | 'streetId'>) {
  return db.community.findMany({
    where: round.communityId !== null ? { id: round.communityId } : { streetId: round.streetId ?? -1 },
    select: { id: true, code: true, name: true, locale: true, timezone: true },
    orderBy: { code: 'asc' },
  });
}

/**
 * Only a worker for the round: of its community (grants on the community, its street or its
 * district), or for a street's round of the street itself (or its district). NOT_A_WORKER.
 */
export async function requireRoundWorker(ctx: CoreContext, personId: number, round: Pick<ProposalRound, 'communityId' | 'streetId'>): Promise<void> {
  if (round.communityId !== null) return requireWorker(ctx, personId, round.communityId);
  if (!(await isStreetWorker(ctx, personId, round.streetId ?? -1))) throw new AppError('NOT_A_WORKER');
}

/**
 * Records an announcement to the bound groups of every community the round covers, each in its
 * community's words (`text`), inside the caller's transaction; one broadcast per community with
 * groups. For a community's round this is {@link announceToGroups}.
 */
export async function announceRound(
  tx: Tx,
  round: Pick<ProposalRound, 'communityId' | 'streetId'>,
  input: { text: (community: AnnounceCommunity) => string; actorId: number | null; via: Via },
): Promise<Effect[]> {
  const effects: Effect[] = [];
  for (const c of await roundCommunities(tx, round)) {
    effects.push(...(await announceToGroups(tx, { communityId: c.id, text: input.text(c), actorId: input.actorId, via: input.via })));
  }
  return effects;
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

/** The round's workers for notices: the community's, or for a street's round the street's. */
export async function roundWorkerIds(db: Db, round: Pick<ProposalRound, 'communityId' | 'streetId'>): Promise<number[]> {
  if (round.communityId !== null) return workerIdsOf(db, round.communityId);
  const grants = await db.roleGrant.findMany({ where: { streetId: round.streetId ?? -1, role: { in: ['worker', 'admin'] } }, select: { personId: true } });
  return [...new Set(grants.map((g) => g.personId))];
}
