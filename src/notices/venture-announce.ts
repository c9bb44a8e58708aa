import type { ProposalRound } from '../generated/prisma/client.ts';
import { yuanOf, minSpendFen, phaseIndex, type RankedProposal, type VentureAnnouncer } from '../core/ventures/rounds.ts';
import { plannedDates } from '../core/ventures/schedule-phase.ts';
import { formatLocal } from '../lib/time.ts';
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

/** The results in a group fit one phone screen: at most this many proposal lines, this many characters. */
export const resultsMaxLines = 8;
export const resultsScreenChars = 480;
/** Proposals that did not win, shown under the winners (the rest: 提案清单). */
export const resultsRunnersUp = 3;
/** A results line shows at most this much of a proposal's title. */
const resultsTitleChars = 20;

function shorten(s: string, max: number): string {
  const chars = Array.from(s.replace(/\s+/g, ' '));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The results as the groups read them, within one phone screen: the winners first (in ranking
 * order), then a short ranking of the best of the rest, each line with its votes; when anything
 * is left out, a last line says how many proposals and winners there are and points to
 * `提案清单` for the full ranking. Pure.
 */
export function resultsText(round: Pick<ProposalRound, 'title'>, ranking: readonly RankedProposal[], locale: Locale): string {
  const header = t(locale, 'ventureResultsHeader', { title: round.title });
  const line = (r: RankedProposal) =>
    t(locale, 'ventureResultsLine', { number: r.number, title: shorten(r.title, resultsTitleChars), votes: r.votes, yuan: yuanOf(r.requestedFen), project: r.projectNumber ?? '' });
  const winners = ranking.filter((r) => r.winner);
  const others = ranking.filter((r) => !r.winner).slice(0, resultsRunnersUp);
  const wanted = [...winners, ...others].sort((a, b) => ranking.indexOf(a) - ranking.indexOf(b));
  const lines = [header];
  let length = header.length;
  let shown = 0;
  let shownWinners = 0;
  // Room for the pointer line, which is at most this long.
  const pointerRoom = t(locale, 'ventureResultsMore', { total: 99_999, winners: 99_999 }).length + 1;
  for (const r of wanted) {
    const text = line(r);
    if (shown >= resultsMaxLines || length + text.length + 1 + pointerRoom > resultsScreenChars) break;
    lines.push(text);
    length += text.length + 1;
    shown++;
    if (r.winner) shownWinners++;
  }
  if (winners.length === 0) lines.push(t(locale, 'ventureResultsNone'));
  if (shown < ranking.length) lines.push(t(locale, 'ventureResultsMore', { total: ranking.length, winners: winners.length, shown: shownWinners }));
  return lines.join('\n');
}

/**
 * What the community's groups read about a 微创投 round, in the community's language: each phase
 * as it opens, the results (the winners with their projects and a short ranking: {@link resultsText}), and the progress of a winner's project. Within one phone screen.
 */
export const ventureAnnouncer: VentureAnnouncer = {
  phase(round, community) {
    const text = phaseText(round, community);
    // The next phase planned (round schedule): when it begins, in the community's time.
    const next = plannedDates(round).find((d) => phaseIndex(d.phase) > phaseIndex(round.phase));
    return next ? `${text}${t(localeOf(community), 'ventureNextPhase', { phase: next.phase, at: formatLocal(next.at, community.timezone) })}` : text;
  },
  results(round, ranking, community) {
    return resultsText(round, ranking, localeOf(community));
  },
  progress(_round, proposal, update, community) {
    return t(localeOf(community), 'ventureProgress', { number: proposal.number, title: proposal.title, project: proposal.projectNumber ?? '', percent: update.percent, milestone: update.milestone ?? '', note: update.note });
  },
};

/** A phase's announcement as it opens, without the next planned date. */
function phaseText(round: ProposalRound, community: { locale: string }): string {
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
}
