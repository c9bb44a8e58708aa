import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { AppError } from '../../lib/errors.ts';
import { isUniqueViolation, type Db } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { notify } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { findProject } from '../projects/find-project.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { checkCode, currentCode } from './checkin-code.ts';
import { creditShiftHours, roundingOf } from '../hours/credit-hours.ts';

/** Check-in opens this long before a shift starts and closes when it ends. */
export const checkinOpensBeforeMs = 60 * 60_000;

/** Whether `at` is within a shift's check-in window: from an hour before its start to its end. */
export function inCheckinWindow(shift: { startsAt: Date; endsAt: Date }, at: Date): boolean {
  return at.getTime() >= shift.startsAt.getTime() - checkinOpensBeforeMs && at.getTime() <= shift.endsAt.getTime();
}

/** A local time as a refusal shows it: "08:00". */
function localTime(d: Date, zone: string): string {
  return DateTime.fromJSDate(d, { zone }).toFormat('HH:mm');
}

/** The shift of several whose check-in window holds `at`, else the one nearest in time. */
function pickShift<T extends { startsAt: Date; endsAt: Date }>(shifts: T[], at: Date): { shift: T; open: boolean } | null {
  const open = shifts.filter((s) => inCheckinWindow(s, at)).sort((a, b) => Math.abs(a.startsAt.getTime() - at.getTime()) - Math.abs(b.startsAt.getTime() - at.getTime()));
  if (open[0]) return { shift: open[0], open: true };
  const nearest = [...shifts].sort((a, b) => Math.abs(a.startsAt.getTime() - at.getTime()) - Math.abs(b.startsAt.getTime() - at.getTime()))[0];
  return nearest ? { shift: nearest, open: false } : null;
}

/** A shift's check-in secret, made on first use for shifts that have none. */
async function secretOf(db: Db, shift: { id: number; checkinSecret: string }): Promise<string> {
  if (shift.checkinSecret) return shift.checkinSecret;
  const secret = randomBytes(20).toString('base64url');
  await db.shift.updateMany({ where: { id: shift.id, checkinSecret: '' }, data: { checkinSecret: secret } });
  return (await db.shift.findUniqueOrThrow({ where: { id: shift.id }, select: { checkinSecret: true } })).checkinSecret;
}

/**
 * `签到 N <码>`: checks a volunteer in to their shift of project N with the code shown on site.
 * Refusals, each its own code, in this order: CHECKIN_NOT_SIGNED_UP (no confirmed sign-up for the
 * project's shifts), CHECKIN_OUTSIDE_WINDOW (none of them is between an hour before its start and
 * its end), ALREADY_CHECKED_IN, CHECKIN_EXPIRED_CODE (the code of an older step), CHECKIN_WRONG_CODE.
 * One CheckIn per sign-up (a concurrent second one is ALREADY_CHECKED_IN).
 */
export async function checkIn(ctx: CoreContext, input: { communityId: number; projectNumber: number; personId: number; code: string }) {
  const now = ctx.clock.now();
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId }, select: { timezone: true, checkinCodeSeconds: true } });
  const project = await findProject(ctx.prisma, input.communityId, input.projectNumber);
  const signUps = await ctx.prisma.signUp.findMany({
    where: { personId: input.personId, status: { in: ['confirmed', 'attended'] }, shiftId: { in: project.shifts.map((s) => s.id) } },
    include: { checkIn: true },
  });
  if (signUps.length === 0) throw new AppError('CHECKIN_NOT_SIGNED_UP', { number: project.number });
  const shifts = project.shifts.filter((s) => signUps.some((u) => u.shiftId === s.id));
  const picked = pickShift(shifts, now);
  if (!picked) throw new AppError('CHECKIN_NOT_SIGNED_UP', { number: project.number });
  const { shift } = picked;
  if (!picked.open) {
    const opens = DateTime.fromJSDate(new Date(shift.startsAt.getTime() - checkinOpensBeforeMs), { zone: community.timezone });
    throw new AppError('CHECKIN_OUTSIDE_WINDOW', {
      number: project.number,
      label: shift.label,
      month: opens.month,
      day: opens.day,
      from: opens.toFormat('HH:mm'),
      to: localTime(shift.endsAt, community.timezone),
    });
  }
  const signUp = signUps.find((u) => u.shiftId === shift.id)!;
  if (signUp.checkIn) throw new AppError('ALREADY_CHECKED_IN', { number: project.number, at: localTime(signUp.checkIn.checkedInAt, community.timezone) });
  // Only checkinCodeFor shows codes, and it makes the secret first: a shift still without one (made
  // before check-in codes) has no code anyone could have been shown, and a refusal writes nothing.
  const secret = shift.checkinSecret || (await ctx.prisma.shift.findUniqueOrThrow({ where: { id: shift.id }, select: { checkinSecret: true } })).checkinSecret;
  const verdict = secret ? checkCode(secret, input.code, now, community.checkinCodeSeconds) : 'wrong';
  if (verdict === 'expired') throw new AppError('CHECKIN_EXPIRED_CODE', { number: project.number, minutes: Math.round(community.checkinCodeSeconds / 60) });
  if (verdict === 'wrong') throw new AppError('CHECKIN_WRONG_CODE', { number: project.number });
  const checkIn = await ctx.prisma.checkIn
    .create({ data: { signUpId: signUp.id, shiftId: shift.id, personId: input.personId, method: 'code', checkedInAt: now } })
    .catch((e: unknown) => {
      if (isUniqueViolation(e)) throw new AppError('ALREADY_CHECKED_IN', { number: project.number, at: localTime(now, community.timezone) });
      throw e;
    });
  return { project: { number: project.number, title: project.title }, shift: { id: shift.id, label: shift.label, startsAt: shift.startsAt, endsAt: shift.endsAt }, checkIn, timezone: community.timezone };
}

/**
 * `签退 N`: checks a volunteer out of the shift of project N they are checked in to, and credits
 * the time between check-in and check-out to the hours ledger (pending, rounded by the community's
 * rule). NOT_CHECKED_IN without a check-in, ALREADY_CHECKED_OUT the second time.
 */
export async function checkOut(ctx: CoreContext, input: { communityId: number; projectNumber: number; personId: number }) {
  const now = ctx.clock.now();
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId } });
  const project = await findProject(ctx.prisma, input.communityId, input.projectNumber);
  const checkIns = await ctx.prisma.checkIn.findMany({
    where: { personId: input.personId, shift: { projectId: project.id } },
    include: { shift: { select: { id: true, label: true } } },
    orderBy: { checkedInAt: 'desc' },
  });
  const open = checkIns.find((c) => c.checkedOutAt === null);
  if (!open) throw new AppError(checkIns.length ? 'ALREADY_CHECKED_OUT' : 'NOT_CHECKED_IN', { number: project.number });
  return ctx.prisma.$transaction(async (tx) => {
    const closed = await tx.checkIn.updateMany({ where: { id: open.id, checkedOutAt: null }, data: { checkedOutAt: now } });
    if (closed.count === 0) throw new AppError('ALREADY_CHECKED_OUT', { number: project.number });
    const entry = await creditShiftHours(tx, {
      personId: input.personId,
      projectId: project.id,
      shiftId: open.shiftId,
      minutes: (now.getTime() - open.checkedInAt.getTime()) / 60_000,
      rule: roundingOf(community),
      reason: 'checkout',
      createdById: null,
      now,
    });
    return { project: { number: project.number, title: project.title }, shift: open.shift, hours: entry ? Number(entry.hours) : 0 };
  });
}

/**
 * A worker marks a volunteer present by hand (no code): a CheckIn with method `manual` and who
 * marked it. The sign-up must be confirmed, attended or (after closing: 结项 again settles it) a
 * no-show (NOT_SIGNED_UP otherwise), on a shift of this community (SIGNUP_NOT_FOUND otherwise,
 * the same answer for another community's sign-up as for none); a second mark is
 * ALREADY_CHECKED_IN. Audited.
 */
export async function markAttendance(ctx: CoreContext, input: { communityId: number; signUpId: number; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' }) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  const signUp = await ctx.prisma.signUp.findUnique({
    where: { id: input.signUpId },
    include: { checkIn: true, person: { select: { displayName: true } }, shift: { include: { project: { include: { community: { select: { timezone: true } } } } } } },
  });
  // Another community's sign-up reads exactly like one that does not exist (nothing of it shown).
  if (!signUp || signUp.shift.project.communityId !== input.communityId) throw new AppError('SIGNUP_NOT_FOUND', { id: input.signUpId });
  if (!['confirmed', 'attended', 'no_show'].includes(signUp.status)) throw new AppError('NOT_SIGNED_UP', { number: signUp.shift.project.number });
  const number = signUp.shift.project.number;
  if (signUp.checkIn) throw new AppError('ALREADY_CHECKED_IN', { number, at: localTime(signUp.checkIn.checkedInAt, signUp.shift.project.community.timezone) });
  return ctx.prisma.$transaction(async (tx) => {
    const checkIn = await tx.checkIn
      .create({ data: { signUpId: signUp.id, shiftId: signUp.shiftId, personId: signUp.personId, method: 'manual', markedById: input.actorId, checkedInAt: ctx.clock.now() } })
      .catch((e: unknown) => {
        if (isUniqueViolation(e)) throw new AppError('ALREADY_CHECKED_IN', { number, at: '' });
        throw e;
      });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'checkin.manual',
      entity: 'SignUp',
      entityId: signUp.id,
      after: { personId: signUp.personId, shiftId: signUp.shiftId },
    });
    const effects = notify([
      { personId: signUp.personId, key: `attended:${checkIn.id}`, message: 'attendanceMarkedToVolunteer', params: { number, title: signUp.shift.project.title, label: signUp.shift.label } },
    ]);
    return {
      checkIn,
      personId: signUp.personId,
      name: signUp.person.displayName,
      project: { number, title: signUp.shift.project.title },
      shift: { id: signUp.shiftId, label: signUp.shift.label },
      effects,
    };
  });
}

/**
 * `补签 N <名字>` by a worker: marks the volunteer of project N with that name present
 * (markAttendance), on the shift of theirs that started most recently, else the next one.
 * VOLUNTEER_NOT_FOUND / VOLUNTEER_AMBIGUOUS when the name is nobody's or several people's.
 */
export async function markAttendanceByName(ctx: CoreContext, input: { communityId: number; number: number; name: string; actorId: number; via: 'chat' | 'cli' | 'api' | 'console' }) {
  await requireWorker(ctx, input.actorId, input.communityId);
  const project = await findProject(ctx.prisma, input.communityId, input.number);
  const now = ctx.clock.now();
  const wanted = input.name.replace(/^@/, '').trim();
  const signUps = await ctx.prisma.signUp.findMany({
    where: {
      shift: { projectId: project.id, status: 'scheduled' },
      status: { in: ['confirmed', 'attended', 'no_show'] },
      person: { OR: [{ displayName: wanted }, { identities: { some: { displayName: wanted } } }] },
    },
    include: { shift: { select: { startsAt: true } } },
  });
  const people = new Set(signUps.map((s) => s.personId));
  if (people.size === 0) throw new AppError('VOLUNTEER_NOT_FOUND', { number: project.number, name: wanted });
  if (people.size > 1) throw new AppError('VOLUNTEER_AMBIGUOUS', { number: project.number, name: wanted });
  const started = signUps.filter((s) => s.shift.startsAt <= now).sort((a, b) => b.shift.startsAt.getTime() - a.shift.startsAt.getTime());
  const target = started[0] ?? [...signUps].sort((a, b) => a.shift.startsAt.getTime() - b.shift.startsAt.getTime())[0]!;
  const r = await markAttendance(ctx, { communityId: input.communityId, signUpId: target.id, actorId: input.actorId, via: input.via });
  return { ...r, name: wanted };
}

/**
 * `签到码 N` for a worker: the current code of project N's shift whose check-in window is open
 * (else the next shift to come), and until when it is accepted. NO_SHIFT_NOW when the project has
 * no shift now or to come. Only a worker of the community.
 */
export async function checkinCodeFor(ctx: CoreContext, input: { communityId: number; projectNumber: number; actorId: number }) {
  await requireWorker(ctx, input.actorId, input.communityId);
  const now = ctx.clock.now();
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId }, select: { timezone: true, checkinCodeSeconds: true } });
  const project = await findProject(ctx.prisma, input.communityId, input.projectNumber);
  const open = project.shifts.filter((s) => inCheckinWindow(s, now)).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const next = project.shifts.filter((s) => s.startsAt > now).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const shift = open[0] ?? next[0];
  if (!shift) throw new AppError('NO_SHIFT_NOW', { number: project.number });
  const code = currentCode(await secretOf(ctx.prisma, shift), now, community.checkinCodeSeconds);
  return {
    project: { number: project.number, title: project.title },
    shift: { id: shift.id, label: shift.label, startsAt: shift.startsAt, endsAt: shift.endsAt },
    open: open.length > 0,
    ...code,
    periodSeconds: community.checkinCodeSeconds,
    timezone: community.timezone,
  };
}
