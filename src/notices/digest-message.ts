import { DateTime } from 'luxon';
import type { WeeklyDigest } from '../core/digest/weekly-digest.ts';
import { labelOf, t, type Locale } from '../flows/messages.ts';

/** How many items a digest line names before "…". */
const listed = 10;

function list<T>(items: readonly T[], show: (x: T) => string): string {
  return items.slice(0, listed).map(show).join('、') + (items.length > listed ? '…' : '');
}

/**
 * The weekly digest as a worker reads it in private. Pure. `intro` (a few sentences the LLM wrote
 * from the digest's counts, when one is configured) goes under the header; without it the digest
 * is exactly the offline one.
 */
export function digestText(d: WeeklyDigest, locale: Locale, intro?: string | null): string {
  const day = (x: Date) => DateTime.fromJSDate(x, { zone: d.community.timezone }).toFormat(locale === 'en' ? 'd LLL' : 'M月d日', { locale: locale === 'en' ? 'en' : 'zh' });
  const newNeeds = d.newNeeds.reduce((a, n) => a + n.count, 0);
  const projectParts = [
    ...(d.drafts.length ? [t(locale, 'digestDraft', { list: list(d.drafts, (n) => `#${n}`) })] : []),
    ...(d.inReview.length ? [t(locale, 'digestReview', { list: list(d.inReview, (n) => `#${n}`) })] : []),
  ];
  return [
    t(locale, 'digestHeader', { community: d.community.name, from: day(d.from), to: day(d.to) }),
    ...(intro ? [intro] : []),
    t(locale, 'digestNeeds', { total: newNeeds, list: list(d.newNeeds, (n) => `${labelOf(n.category, locale)} ${n.count}`) }),
    t(locale, 'digestProjects', { list: projectParts.join(locale === 'en' ? ', ' : '，') }),
    t(locale, 'digestClaims', { count: d.pendingClaims.length, list: list(d.pendingClaims, (c) => `#${c.projectNumber} ${c.organization}`) }),
    t(locale, 'digestSilent', {
      count: d.silentVolunteers.length,
      list: list(d.silentVolunteers, (v) => `${v.name}（#${v.projectNumber}${v.shiftLabel} ${DateTime.fromJSDate(v.startsAt, { zone: d.community.timezone }).toFormat('M/d HH:mm')}）`),
    }),
    t(locale, 'digestHours', { count: d.pendingHours.count, hours: Math.round(d.pendingHours.hours * 100) / 100 }),
  ].join('\n');
}
