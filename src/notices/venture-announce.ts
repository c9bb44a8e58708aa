import type { ProposalRound } from '../generated/prisma/client.ts';
import { yuanOf, minSpendFen, type VentureAnnouncer } from '../core/ventures/rounds.ts';
import { isLocale, t, type Locale } from '../flows/messages.ts';

function localeOf(community: { locale: string }): Locale {
  return isLocale(community.locale) ? community.locale : 'zh-Hans';
}

/** How a round's vote works, for its announcement and the proposals list. */
function votingLine(round: ProposalRound, locale: Locale): string {
  return round.ballotStyle === 'approval'
    ? t(locale, 'ventureVotingApproval', { title: round.title, max: round.maxVotes ?? 1 })
    : t(locale, 'ventureVotingKnapsack', { title: round.title, budget: yuanOf(round.budgetFen), min: minSpendFen(round) ? yuanOf(minSpendFen(round)) : '' });
}

/**
 * What the community's groups read about a 微创投 round, in the community's language: each phase
 * as it opens, the results (every proposal on the ballot with its votes; the winners with their
 * projects), and the progress of a winner's project. Within one phone screen.
 */
export const ventureAnnouncer: VentureAnnouncer = {
  phase(round, community) {
    const locale = localeOf(community);
    const p = { title: round.title, budget: yuanOf(round.budgetFen) };
    switch (round.phase) {
      case 'collecting':
        return t(locale, 'ventureCollecting', p);
      case 'reviewing':
        return t(locale, 'ventureReviewing', p);
      case 'voting':
        return votingLine(round, locale);
      case 'tracking':
        return t(locale, 'ventureTracking', p);
      case 'closed':
        return t(locale, 'ventureClosed', p);
      default:
        return t(locale, 'ventureResultsHeader', p);
    }
  },
  results(round, ranking, community) {
    const locale = localeOf(community);
    const lines = [t(locale, 'ventureResultsHeader', { title: round.title })];
    for (const r of ranking.slice(0, 10)) {
      lines.push(t(locale, 'ventureResultsLine', { number: r.number, title: r.title, votes: r.votes, yuan: yuanOf(r.requestedFen), project: r.projectNumber ?? '' }));
    }
    if (!ranking.some((r) => r.winner)) lines.push(t(locale, 'ventureResultsNone'));
    return lines.join('\n');
  },
  progress(_round, proposal, update, community) {
    return t(localeOf(community), 'ventureProgress', { number: proposal.number, title: proposal.title, project: proposal.projectNumber ?? '', percent: update.percent, note: update.note });
  },
};
