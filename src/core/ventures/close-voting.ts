import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { notify, type Effect } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { recordProject } from '../projects/create-project.ts';
import { countVotes, pickWinners } from './tally.ts';
import { announceRound, currentRound, requireRoundWorker, roundCommunities, roundOf, yuanOf, type RankedProposal, type RoundOwner, type VentureAnnouncer, type Via } from './rounds.ts';

/**
 * `结束投票`: closes the vote of round N (absent: the current round) and tallies it, in one
 * transaction. The round moves voting → results first (its row lock makes votes in flight finish
 * before the count, and refuses later ones); then the winners: by votes, ties by the earlier
 * submission, at least minVotes, within the budget ({@link pickWinners}). Each winner becomes a
 * Project (draft, made as createProject makes one), linked to its proposal, which keeps the grant.
 * The results are announced to the community's groups; the winners' proposers are told in private.
 * Only a worker of the community (or the CLI).
 */
export async function closeVoting(ctx: CoreContext, input: RoundOwner & { round?: number; actorId: number | null; via: Via }, announcer: VentureAnnouncer) {
  if (input.actorId !== null && input.communityId !== undefined) await requireWorker(ctx, input.actorId, input.communityId);
  // Absent a number: the round the community is talking about (its own, or its street's).
  const found =
    input.round === undefined
      ? await currentRound(ctx.prisma, input.communityId ?? -1)
      : await roundOf(ctx.prisma, input, input.round);
  if (input.actorId !== null) await requireRoundWorker(ctx, input.actorId, found);
  if (found.phase !== 'voting') throw new AppError('VOTING_NOT_OPEN', { round: found.number, phase: found.phase });
  const communities = await roundCommunities(ctx.prisma, found);
  const community = communities[0];
  if (!community) throw new AppError('NO_ROUND');
  return ctx.prisma.$transaction(
    async (tx) => {
      const closed = await tx.proposalRound.updateMany({ where: { id: found.id, phase: 'voting' }, data: { phase: 'results', resultsAt: ctx.clock.now() } });
      if (closed.count === 0) throw new AppError('VOTING_NOT_OPEN', { round: found.number, phase: 'results' });
      const round = await tx.proposalRound.findUniqueOrThrow({ where: { id: found.id } });
      const tallied = await countVotes(tx, round);
      const winners = pickWinners(tallied, round.budgetFen, round.minVotes);
      const effects: Effect[] = [];
      const ranking: RankedProposal[] = [];
      for (const p of tallied) {
        const won = winners.has(p.id);
        let projectNumber: number | undefined;
        if (won) {
          // A street's round: the project belongs to the community it was proposed in.
          const made = await recordProject(tx, { communityId: p.communityId ?? round.communityId ?? community.id, title: p.title, description: p.description, actorId: input.actorId, via: input.via });
          effects.push(...made.effects);
          projectNumber = made.project.number;
          await tx.proposal.update({ where: { id: p.id }, data: { status: 'winner', projectId: made.project.id, grantFen: p.requestedFen } });
        }
        ranking.push({ number: p.number, title: p.title, requestedFen: p.requestedFen, votes: p.votes, winner: won, ...(projectNumber !== undefined ? { projectNumber } : {}) });
      }
      await writeAudit(tx, {
        communityId: round.communityId,
        actorId: input.actorId,
        via: input.via,
        action: 'round.tally',
        entity: 'ProposalRound',
        entityId: round.id,
        before: { phase: 'voting' },
        after: { phase: 'results', ranking: ranking.map((r) => ({ number: r.number, votes: r.votes, winner: r.winner })) },
      });
      effects.push(...(await announceRound(tx, round, { text: (c) => announcer.results(round, ranking, c), actorId: input.actorId, via: input.via })));
      effects.push(
        ...notify(
          tallied
            .filter((p) => winners.has(p.id))
            .map((p) => ({
              personId: p.authorId,
              key: `proposal:${p.id}:won`,
              message: 'proposalWon' as const,
              params: { number: p.number, title: p.title, votes: p.votes, yuan: yuanOf(p.requestedFen), project: ranking.find((r) => r.number === p.number)?.projectNumber ?? 0 },
            })),
          community.locale,
        ),
      );
      return { round, ranking, effects };
    },
    { timeout: 30_000 },
  );
}
