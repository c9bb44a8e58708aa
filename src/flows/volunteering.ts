import { DateTime } from 'luxon';
import { formatShiftTime } from '../lib/time.ts';
import { hoursText, starText } from '../lib/format.ts';
import { remindersPlanned } from '../core/effects.ts';
import { checkIn, checkinCodeFor, checkOut, markAttendanceByName } from '../core/checkins/check-in.ts';
import { approvePendingHours } from '../core/hours/approve-hours.ts';
import type { personHours } from '../core/hours/hours-summary.ts';
import { rateProject } from '../core/evaluation/rate-project.ts';
import { setPeopleServed } from '../core/evaluation/set-people-served.ts';
import { closeProject } from '../core/evaluation/close-project.ts';
import { evaluateProject, type ProjectEvaluation } from '../core/evaluation/evaluate-project.ts';
import { remindUnconfirmed } from '../core/reminders/remind-unconfirmed.ts';
import { setOptOut } from '../core/people/set-opt-out.ts';
import { askForFeedback } from '../notices/announce.ts';
import type { Locale } from './messages.ts';
import { t } from './messages.ts';
import type { Turn } from './turn.ts';

export { hoursText, starText } from '../lib/format.ts';

const localHm = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('HH:mm');

/** `签到 N <码>`: a volunteer checks in with the code shown on site. */
export async function checkinTurn(turn: Turn, number: number, code: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await checkIn(turn.ctx, { communityId: community.id, projectNumber: number, personId: turn.personId, code });
  turn.reply(turn.say('checkedIn', { number: r.project.number, label: r.shift.label, at: localHm(r.checkIn.checkedInAt, r.timezone) }));
}

/** `签退 N`: a volunteer checks out; the time is credited (pending approval). */
export async function checkoutTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await checkOut(turn.ctx, { communityId: community.id, projectNumber: number, personId: turn.personId });
  turn.reply(turn.say('checkedOut', { number: r.project.number, label: r.shift.label, hours: hoursText(r.hours) }));
}

/**
 * `签到码 N` by a worker: the current check-in code, only ever in private (a code posted in a group
 * would let anyone check in from home). From a group, the group hears only that it went to private.
 */
export async function checkinCodeTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await checkinCodeFor(turn.ctx, { communityId: community.id, projectNumber: number, actorId: turn.personId });
  const text = turn.say('checkinCode', {
    number: r.project.number,
    label: r.shift.label,
    time: formatShiftTime(r.shift.startsAt, r.shift.endsAt, r.timezone, turn.locale),
    code: r.code,
    until: localHm(r.validUntil, r.timezone),
    minutes: Math.round(r.periodSeconds / 60),
  });
  if (turn.inGroup) {
    turn.replyPrivately(text);
    turn.reply(turn.say('checkinCodePrivately'));
  } else turn.reply(text);
}

/** `补签 N <名字>` by a worker: marks a volunteer of project N present by hand (they are told). */
export async function attendTurn(turn: Turn, number: number, name: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await markAttendanceByName(turn.ctx, { communityId: community.id, number, name, actorId: turn.personId, via: 'chat' });
  turn.reply(turn.say('attendanceMarked', { name: r.name, number: r.project.number, label: r.shift.label }));
  turn.apply(r.effects);
}

/** `通过时长 N` by a worker: approves every pending hours entry of project N; volunteers are told. */
export async function approveHoursTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await approvePendingHours(turn.ctx, { communityId: community.id, number, actorId: turn.personId, via: 'chat' });
  if (r.entries.length === 0) {
    turn.reply(turn.say('hoursNoneToApprove', { number: r.project.number }));
    return;
  }
  const total = r.entries.reduce((a, e) => a + e.hours, 0);
  turn.reply(turn.say('hoursApproved', { number: r.project.number, count: r.entries.length, hours: hoursText(total) }));
  turn.apply(r.effects);
}

/** `评价 N <1-5> [话]`: anyone rates project N; the latest rating counts. */
export async function rateTurn(turn: Turn, number: number, rating: number, comment: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await rateProject(turn.ctx, { communityId: community.id, number, personId: turn.personId, rating, comment });
  turn.reply(turn.say('rated', { number: r.project.number, stars: starText(rating), updated: r.updated ? 1 : '' }));
}

/** `受益 N <人次>` by a worker: records how many people project N served. */
export async function servedTurn(turn: Turn, number: number, count: number): Promise<void> {
  const community = turn.requireCommunity();
  const p = await setPeopleServed(turn.ctx, { communityId: community.id, number, count, actorId: turn.personId, via: 'chat' });
  turn.reply(turn.say('servedSet', { number: p.number, count }));
}

/**
 * `提醒 N` by a worker: re-sends the reminder of project N's next shift to the volunteers who have
 * not confirmed, and lists them for the worker.
 */
export async function remindTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await remindUnconfirmed(turn.ctx, { communityId: community.id, number, actorId: turn.personId, via: 'chat' });
  const time = formatShiftTime(r.shift.startsAt, r.shift.endsAt, community.timezone, turn.locale);
  if (r.volunteers.length === 0) {
    turn.reply(turn.say('remindNone', { number: r.project.number, label: r.shift.label, time }));
    return;
  }
  turn.apply(remindersPlanned(r.reminders));
  const names =
    r.volunteers
      .slice(0, 20)
      .map((v) => (v.optedOut ? `${v.name}${turn.say('remindOptedOut')}` : v.name))
      .join(turn.locale === 'en' ? ', ' : '、') + (r.volunteers.length > 20 ? '…' : '');
  turn.reply(turn.say('remindSent', { number: r.project.number, label: r.shift.label, time, count: r.volunteers.length, names }));
}

/**
 * `结项 N` by a worker: closes and settles project N, asks the groups it was published to for
 * feedback, tells the supporters of its needs and the volunteers of shifts it cancelled, and gives
 * the worker its evaluation (in private when asked in a group). Closing a closed project again
 * gives the evaluation as it stands now.
 */
export async function closeTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await closeProject(turn.ctx, { communityId: community.id, number, actorId: turn.personId, via: 'chat' }, askForFeedback);
  turn.apply(r.effects);
  const evaluation = evaluationText(await evaluateProject(turn.ctx, { communityId: community.id, number }), turn.locale);
  const closed = r.newlyClosed ? [turn.say('projectClosed', { number: r.project.number, title: r.project.title, groups: r.groupCount })] : [];
  if (turn.inGroup) {
    turn.replyPrivately(evaluation);
    turn.reply([...closed, turn.say('evaluationPrivately')].join('\n'));
  } else turn.reply([...closed, evaluation].join('\n'));
}

/** A project's evaluation as a worker reads it. Pure. */
export function evaluationText(e: ProjectEvaluation, locale: Locale): string {
  const lines = [
    t(locale, 'evalHeader', { number: e.number, title: e.title }),
    t(locale, 'evalAttendance', {
      shifts: e.shifts,
      signUps: e.signUps,
      attended: e.attended,
      rate: e.attendanceRate === null ? '—' : `${Math.round(e.attendanceRate * 100)}%`,
      noShows: e.noShows,
    }),
    t(locale, 'evalHours', { approved: hoursText(e.approvedHours), pending: hoursText(e.pendingHours) }),
    t(locale, 'evalServed', { number: e.number, served: e.peopleServed ?? '' }),
    t(locale, 'evalRating', { average: e.rating.average === null ? '' : e.rating.average.toFixed(1), count: e.rating.count }),
    ...e.comments.map((c) => t(locale, 'evalComment', { text: `${starText(c.rating)} ${c.text}` })),
  ];
  return lines.join('\n');
}

/** `退订` / `订阅`: stops or resumes private reminders and notices (recorded in the AuditLog). */
export async function subscriptionTurn(turn: Turn, optOut: boolean): Promise<void> {
  await setOptOut(turn.ctx, { personId: turn.personId, optOut, communityId: turn.community?.id ?? null, via: 'chat' });
  turn.reply(turn.say(optOut ? 'unsubscribed' : 'subscribed'));
}

/** The `我的` line about volunteer hours and stars; none when the person has no hours at all. */
export function meHoursLine(turn: Turn, h: Awaited<ReturnType<typeof personHours>>): string[] {
  if (h.approved === 0 && h.pending === 0) return [];
  return [
    turn.say('meHours', {
      approved: hoursText(h.approved),
      pending: h.pending ? hoursText(h.pending) : '',
      stars: starText(h.stars),
      next: h.next ? hoursText(h.next.hours) : '',
      nextStars: h.next ? starText(h.next.stars) : '',
    }),
  ];
}
