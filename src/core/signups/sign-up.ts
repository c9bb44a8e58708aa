import { AppError } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { findProject, openStatuses } from '../projects/find-project.ts';
import { noReminderChanges, planReminders, type ReminderChanges } from '../reminders/plan-reminders.ts';

export type SignUpResult = {
  projectNumber: number;
  projectTitle: string;
  shift: { id: number; label: string; startsAt: Date; endsAt: Date; place: string };
  /** The sign-up's reminders, planned in the same transaction: the caller adds their jobs. */
  reminders: ReminderChanges;
} & ({ status: 'confirmed' } | { status: 'waitlisted'; place: number });

/**
 * `报名 N [班次]`: signs a person up for a shift of project N. The place is taken by one
 * conditional UPDATE of the shift's counter (`confirmedCount < capacity`) in the same transaction
 * as the sign-up row, so capacity holds under any concurrency; a full shift puts the person on the
 * waitlist with the next waitlist number. Without a shift letter: the first shift with room, else
 * the first shift (waitlist). A cancelled sign-up may sign up again. A confirmed place gets its
 * reminders planned (Reminder rows) in the same transaction; `reminders` are the jobs to add.
 */
export async function signUp(
  ctx: CoreContext,
  input: { communityId: number; projectNumber: number; shiftLabel?: string; personId: number },
): Promise<SignUpResult> {
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, input.communityId, input.projectNumber);
    if (!(openStatuses as readonly string[]).includes(project.status)) {
      throw new AppError(project.status === 'closed' || project.status === 'evaluated' ? 'PROJECT_CLOSED' : 'PROJECT_NOT_OPEN', { number: project.number });
    }
    if (project.claimType === 'organization') throw new AppError('NOT_CLAIMABLE', { number: project.number, kind: 'volunteers' });
    const now = ctx.clock.now();
    const upcoming = project.shifts.filter((s) => s.endsAt > now);
    if (upcoming.length === 0) throw new AppError('PROJECT_CLOSED', { number: project.number });

    const existing = await tx.signUp.findMany({
      where: { personId: input.personId, shiftId: { in: project.shifts.map((s) => s.id) }, status: { in: ['confirmed', 'waitlisted'] } },
      select: { shiftId: true },
    });
    let candidates = upcoming;
    if (input.shiftLabel) {
      const wanted = resolveShift(project.shifts, input.shiftLabel);
      if (!wanted || wanted.endsAt <= now) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: input.shiftLabel });
      candidates = [wanted];
    } else {
      candidates = upcoming.filter((s) => !existing.some((e) => e.shiftId === s.id));
      if (candidates.length === 0) throw new AppError('ALREADY_SIGNED_UP', { number: project.number });
    }
    const target = candidates.find((s) => s.confirmedCount < s.capacity) ?? candidates[0];
    if (!target) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: input.shiftLabel ?? '' });
    if (existing.some((e) => e.shiftId === target.id)) throw new AppError('ALREADY_SIGNED_UP', { number: project.number, shift: target.label });

    const took = await tx.shift.updateMany({
      where: { id: target.id, confirmedCount: { lt: ctx.prisma.shift.fields.capacity } },
      data: { confirmedCount: { increment: 1 } },
    });
    let status: 'confirmed' | 'waitlisted' = 'confirmed';
    let position: number | null = null;
    if (took.count === 0) {
      status = 'waitlisted';
      const seq = await tx.shift.update({ where: { id: target.id }, data: { waitlistSeq: { increment: 1 } }, select: { waitlistSeq: true } });
      position = seq.waitlistSeq;
    }
    const row = await tx.signUp
      .upsert({
      where: { shiftId_personId: { shiftId: target.id, personId: input.personId } },
      create: { shiftId: target.id, personId: input.personId, status, waitlistPosition: position, createdAt: now },
      update: { status, waitlistPosition: position, cancelledAt: null, confirmedAt: null, createdAt: now },
      })
      .catch((e: unknown) => {
        // The same person's second sign-up at the same instant: the first one won.
        if (isUniqueViolation(e)) throw new AppError('ALREADY_SIGNED_UP', { number: project.number, shift: target.label });
        throw e;
      });
    const shift = { id: target.id, label: target.label, startsAt: target.startsAt, endsAt: target.endsAt, place: target.place };
    const base = { projectNumber: project.number, projectTitle: project.title, shift, reminders: noReminderChanges() };
    if (status === 'confirmed') return { ...base, status, reminders: await planReminders(tx, [row.id], { now, reset: true }) };
    const ahead = await tx.signUp.count({ where: { shiftId: target.id, status: 'waitlisted', waitlistPosition: { lte: position ?? 0 } } });
    return { ...base, status, place: ahead };
  });
}

/** A shift by its letter (`B`) or its number (`2`, the second shift). */
export function resolveShift<T extends { label: string }>(shifts: T[], wanted: string): T | undefined {
  const w = wanted.trim().toUpperCase();
  if (/^\d+$/.test(w)) return shifts[Number(w) - 1];
  return shifts.find((s) => s.label === w);
}
