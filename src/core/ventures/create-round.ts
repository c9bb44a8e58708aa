import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { isStreetWorker } from '../roles/is-worker.ts';
import { AppError } from '../../lib/errors.ts';
import { fenOf, maxYuan } from './rounds.ts';

export const createRoundInput = z
  .object({
    /** A community's round, or (streetId) a street's, covering all the street's communities. */
    communityId: z.number().int().optional(),
    streetId: z.number().int().optional(),
    title: z.string().trim().min(1).max(100),
    /** The money to give out, in yuan. */
    budgetYuan: z.number().positive().max(maxYuan),
    style: z.enum(['approval', 'knapsack']).default('approval'),
    /** approval: votes per person (default 3). */
    maxVotes: z.number().int().min(1).max(100).optional(),
    /** knapsack: the share of the budget a ballot must spend to count (0–1, default 0). */
    minShare: z.number().min(0).max(1).optional(),
    hiddenTallies: z.boolean().default(true),
    minVotes: z.number().int().min(0).max(1_000_000).default(0),
    votersSeenBefore: z.boolean().default(true),
    actorId: z.number().int().nullable().default(null),
    via: z.enum(['chat', 'cli', 'api', 'console']).default('api'),
  })
  .refine((i) => (i.communityId === undefined) !== (i.streetId === undefined), { message: 'a round belongs to a community or to a street', path: ['communityId'] })
  .refine((i) => i.style === 'approval' || i.maxVotes === undefined, { message: 'votes per person is for approval ballots', path: ['maxVotes'] })
  .refine((i) => i.style === 'knapsack' || i.minShare === undefined, { message: 'a minimum share is for knapsack ballots', path: ['minShare'] });
export type CreateRoundInput = z.input<typeof createRoundInput>;

/**
 * Makes a 微创投 round (draft: nothing is announced until it moves to collecting), numbered per
 * community, or for a street's round per street. Only a worker of the community, for a street's
 * round a worker of the street (a grant on the street or its district; a community's worker may
 * not), or the CLI (actorId null). Returns the round; no effects.
 */
export async function createRound(ctx: CoreContext, input: CreateRoundInput) {
  const i = createRoundInput.parse(input);
  if (i.actorId !== null) {
    if (i.communityId !== undefined) await requireWorker(ctx, i.actorId, i.communityId);
    else if (!(await isStreetWorker(ctx, i.actorId, i.streetId ?? -1))) throw new AppError('NOT_A_WORKER');
  }
  return ctx.prisma.$transaction(async (tx) => {
    const { roundSeq } =
      i.communityId !== undefined
        ? await tx.community.update({ where: { id: i.communityId }, data: { roundSeq: { increment: 1 } }, select: { roundSeq: true } })
        : await tx.street.update({ where: { id: i.streetId ?? -1 }, data: { roundSeq: { increment: 1 } }, select: { roundSeq: true } });
    const round = await tx.proposalRound.create({
      data: {
        communityId: i.communityId ?? null,
        streetId: i.streetId ?? null,
        number: roundSeq,
        title: i.title,
        budgetFen: fenOf(i.budgetYuan),
        ballotStyle: i.style,
        maxVotes: i.style === 'approval' ? (i.maxVotes ?? 3) : null,
        minShare: i.style === 'knapsack' ? (i.minShare ?? 0) : null,
        hiddenTallies: i.hiddenTallies,
        minVotes: i.minVotes,
        votersSeenBefore: i.votersSeenBefore,
        createdById: i.actorId,
      },
    });
    await writeAudit(tx, {
      communityId: i.communityId ?? null,
      actorId: i.actorId,
      via: i.via,
      action: 'round.create',
      entity: 'ProposalRound',
      entityId: round.id,
      after: { ...(i.streetId !== undefined ? { streetId: i.streetId } : {}), number: round.number, title: round.title, budgetFen: round.budgetFen, style: round.ballotStyle, maxVotes: round.maxVotes, minShare: round.minShare },
    });
    return { round, effects: [] };
  });
}
