import type { Button } from '../core/chat.ts';
import { formatShiftTime } from '../lib/time.ts';
import type { Announce } from '../core/projects/publish-project.ts';
import type { AskForFeedback } from '../core/evaluation/close-project.ts';
import { isLocale, labelOf, t, type Locale } from '../flows/messages.ts';

export interface AnnouncedProject {
  number: number;
  title: string;
  description: string;
  category: string | null;
  claimType: 'volunteers' | 'organization' | 'both';
  shifts: Array<{ label: string; startsAt: Date; endsAt: Date; place: string; capacity: number }>;
}

/**
 * The announcement residents see when a project is published: what, when, where, how many, and
 * how to sign up or claim, within one phone screen. Buttons (one 报名 per shift) where the
 * platform has them; the text says the same for platforms without.
 */
export function projectAnnouncement(p: AnnouncedProject, opts: { locale: Locale; timezone: string }): { text: string; buttons: Button[] } {
  const { locale, timezone } = opts;
  const lines = [t(locale, 'announceHeader', { number: p.number, title: p.title })];
  if (p.description) lines.push(p.description.length > 120 ? `${p.description.slice(0, 119)}…` : p.description);
  if (p.category) lines.push(`#${labelOf(p.category, locale)}`);
  for (const s of p.shifts.slice(0, 6)) {
    lines.push(t(locale, 'announceShift', { label: s.label, time: formatShiftTime(s.startsAt, s.endsAt, timezone, locale), place: s.place, capacity: s.capacity }));
  }
  if (p.claimType !== 'organization' && p.shifts.length) lines.push(t(locale, 'announceSignUp', { number: p.number, multi: p.shifts.length > 1 ? 1 : '' }));
  if (p.claimType !== 'volunteers') lines.push(t(locale, 'announceClaim', { number: p.number }));
  const buttons =
    p.claimType === 'organization'
      ? []
      : p.shifts.slice(0, 6).map((s) => ({ label: t(locale, 'buttonSignUp', { label: s.label }), payload: `报名 ${p.number} ${s.label}` }));
  return { text: lines.join('\n'), buttons };
}

/** publishProject's announcement writer: the community's language and time zone. */
export const announceProject: Announce = (project, community) =>
  projectAnnouncement(project, { locale: isLocale(community.locale) ? community.locale : 'zh-Hans', timezone: community.timezone });

/** closeProject's question to the groups: `评价 N 1-5分`, in the community's language. */
export const askForFeedback: AskForFeedback = (project, community) =>
  t(isLocale(community.locale) ? community.locale : 'zh-Hans', 'closeFeedbackAsk', { number: project.number, title: project.title });
