import { formatShiftTime } from '../../lib/time.ts';
import type { CoreContext } from '../context.ts';
import { notify, remindersPlanned, type Effect, type Notice } from '../effects.ts';
import { cancelOneSignUp } from '../signups/cancel-sign-up.ts';
import { promotionNotices } from '../signups/promotion-notices.ts';
import { communityWorkerIds } from '../tickets/workers-of.ts';
import { mergeReminderChanges, noReminderChanges, silenceCheckAt } from './plan-reminders.ts';

export interface SilenceReport {
  /** The volunteers reported (sign-up and person). */
  reported: Array<{ signUpId: number; personId: number; name: string }>;
  /** How many places went to the waitlist (Community.silentReleasesPlace). */
  released: number;
  effects: Effect[];
}

const nothing = (): SilenceReport => ({ reported: [], released: 0, effects: [] });

/**
 * The silence check of one shift, due `at` (Community.silentReportMinutes before it starts): its
 * confirmed volunteers who never confirmed (SignUp.confirmedAt) and whose last reminder sent before
 * `at` is unanswered are reported to the community's workers in private, each volunteer once
 * (SignUp.silentReportedAt). With Community.silentReleasesPlace on, their sign-ups are cancelled in
 * the same transaction, the first on the waitlist takes each place (reminders planned, told), and
 * they are told why. A check whose time is no longer the shift's (the shift moved, the setting
 * changed, the shift was cancelled) does nothing: the new plan has its own. Safe to retry: a
 * repeat finds everyone reported already and returns no effects.
 */
export async function reportSilentVolunteers(ctx: CoreContext, input: { shiftId: number; at: Date }): Promise<SilenceReport> {
  const shift = await ctx.prisma.shift.findUnique({
    where: { id: input.shiftId },
    select: {
      id: true,
      label: true,
      startsAt: true,
      endsAt: true,
      status: true,
      project: { select: { number: true, title: true, communityId: true, community: { select: { timezone: true, silentReportMinutes: true, silentReleasesPlace: true } } } },
    },
  });
  if (!shift || shift.status !== 'scheduled') return nothing();
  const community = shift.project.community;
  const due = silenceCheckAt(shift.startsAt, community.silentReportMinutes);
  if (!due || due.getTime() !== input.at.getTime()) return nothing();
  const now = ctx.clock.now();
  if (shift.startsAt <= now) return nothing();

  const r = await ctx.prisma.$transaction(async (tx) => {
    const candidates = await tx.signUp.findMany({
      where: { shiftId: shift.id, status: 'confirmed', confirmedAt: null, silentReportedAt: null },
      orderBy: { id: 'asc' },
      select: {
        id: true,
        personId: true,
        person: { select: { displayName: true } },
        reminders: { where: { status: { in: ['sent', 'answered'] }, sentAt: { lt: input.at } }, orderBy: { sentAt: 'desc' }, take: 1, select: { status: true } },
      },
    });
    const silent = candidates.filter((c) => c.reminders[0]?.status === 'sent');
    if (silent.length === 0) return null;
    // Claimed once: a concurrent or repeated check reports nobody twice.
    const claimed = await tx.signUp.updateManyAndReturn({
      where: { id: { in: silent.map((s) => s.id) }, silentReportedAt: null, status: 'confirmed' },
      data: { silentReportedAt: now },
      select: { id: true },
    });
    const reported = silent.filter((s) => claimed.some((c) => c.id === s.id));
    let reminders = noReminderChanges();
    const promoted: Array<{ personId: number; shiftId: number }> = [];
    if (community.silentReleasesPlace) {
      for (const s of reported) {
        const one = await cancelOneSignUp(tx, { id: s.id, shiftId: shift.id, status: 'confirmed' }, now);
        if (one.promoted) promoted.push(one.promoted);
        reminders = mergeReminderChanges(reminders, one.reminders);
      }
    }
    const workers = await communityWorkerIds(tx, shift.project.communityId);
    return { reported, reminders, promoted, workers };
  });
  if (!r || r.reported.length === 0) return nothing();

  const time = formatShiftTime(shift.startsAt, shift.endsAt, community.timezone);
  const base = { number: shift.project.number, title: shift.project.title, label: shift.label, time };
  const key = `${shift.id}:${input.at.getTime()}`;
  const notices: Notice[] = r.workers.map((w) => ({
    personId: w,
    key: `silent:${key}:${w}`,
    message: 'silentToWorkers',
    params: { ...base, count: r.reported.length, names: r.reported.map((s) => s.person.displayName).join('、'), released: community.silentReleasesPlace ? 1 : '', promoted: r.promoted.length || '' },
  }));
  if (community.silentReleasesPlace) {
    for (const s of r.reported) notices.push({ personId: s.personId, key: `silent-released:${s.id}`, message: 'silentReleased', params: base });
    notices.push(...(await promotionNotices(ctx, r.promoted, shift.project, `silent-${key}`)));
  }
  return {
    reported: r.reported.map((s) => ({ signUpId: s.id, personId: s.personId, name: s.person.displayName })),
    released: community.silentReleasesPlace ? r.reported.length : 0,
    effects: [...remindersPlanned(r.reminders), ...notify(notices)],
  };
}

/**
 * Silence checks due before `before` for shifts still to come with a confirmed, unconfirmed and
 * unreported volunteer: what the minute sweep looks at, to re-add a check whose job was lost. Each
 * check is the shift's current time (startsAt minus the community's minutes). Read-only.
 */
export async function overdueSilenceChecks(ctx: CoreContext, before: Date, limit: number): Promise<Array<{ shiftId: number; at: Date }>> {
  const now = ctx.clock.now();
  const rows = await ctx.prisma.$queryRaw<Array<{ shiftId: number; startsAt: Date; minutes: number }>>`
    SELECT s.id AS "shiftId", s."startsAt" AS "startsAt", c."silentReportMinutes" AS minutes
    FROM "Shift" s JOIN "Project" p ON p.id = s."projectId" JOIN "Community" c ON c.id = p."communityId"
    WHERE s.status = 'scheduled' AND c."silentReportMinutes" > 0 AND s."startsAt" > ${now}
      AND s."startsAt" - make_interval(mins => c."silentReportMinutes") < ${before}
      AND EXISTS (SELECT 1 FROM "SignUp" u WHERE u."shiftId" = s.id AND u.status = 'confirmed' AND u."confirmedAt" IS NULL AND u."silentReportedAt" IS NULL)
    ORDER BY s."startsAt" LIMIT ${limit}`;
  return rows.map((r) => ({ shiftId: r.shiftId, at: silenceCheckAt(new Date(r.startsAt), r.minutes)! }));
}
