import { AppError } from '../../lib/errors.ts';
import type { Tx } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { findProject } from '../projects/find-project.ts';
import { cancelReminders, mergeReminderChanges, noReminderChanges, planReminders, type ReminderChanges } from '../reminders/plan-reminders.ts';

export interface Promotion {
  personId: number;
  shiftId: number;
  shiftLabel: string;
}

export interface CancelResult {
  projectNumber: number;
  projectTitle: string;
  cancelled: Array<{ shiftLabel: string; wasConfirmed: boolean }>;
  /** Waitlisted people who got the freed places, to be told. */
  promoted: Promotion[];
  /** Reminder jobs to remove (the cancelled sign-ups') and to add (the promoted people's). */
  reminders: ReminderChanges;
}

/**
 * `取消报名 N`: cancels the person's active sign-ups for project N. Each freed confirmed place
 * goes at once, in the same transaction, to the first on that shift's waitlist.
 */
export async function cancelSignUp(ctx: CoreContext, input: { communityId: number; projectNumber: number; personId: number }): Promise<CancelResult> {
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, input.communityId, input.projectNumber);
    const mine = await tx.signUp.findMany({
      where: { personId: input.personId, shift: { projectId: project.id }, status: { in: ['confirmed', 'waitlisted'] } },
      include: { shift: { select: { id: true, label: true } } },
    });
    if (mine.length === 0) throw new AppError('NOT_SIGNED_UP', { number: project.number });
    const now = ctx.clock.now();
    const result: CancelResult = { projectNumber: project.number, projectTitle: project.title, cancelled: [], promoted: [], reminders: noReminderChanges() };
    for (const s of mine) {
      const one = await cancelOneSignUp(tx, s, now);
      result.cancelled.push({ shiftLabel: s.shift.label, wasConfirmed: s.status === 'confirmed' });
      if (one.promoted) result.promoted.push({ ...one.promoted, shiftLabel: s.shift.label });
      result.reminders = mergeReminderChanges(result.reminders, one.reminders);
    }
    return result;
  });
}

/**
 * Cancels one active sign-up (and its scheduled reminders); a freed confirmed place goes to the
 * first on the waitlist, whose reminders are planned. Call it inside a transaction.
 */
export async function cancelOneSignUp(
  tx: Tx,
  s: { id: number; shiftId: number; status: string },
  now: Date,
): Promise<{ promoted: { personId: number; shiftId: number } | null; reminders: ReminderChanges }> {
  await tx.signUp.update({ where: { id: s.id }, data: { status: 'cancelled', cancelledAt: now, waitlistPosition: null } });
  // A place offered for a substitute (找人替班) and freed meanwhile is no longer on offer.
  await tx.substituteRequest.updateMany({ where: { signUpId: s.id, status: 'open' }, data: { status: 'withdrawn' } });
  const reminders: ReminderChanges = { add: [], remove: await cancelReminders(tx, [s.id], 'signup_cancelled') };
  if (s.status === 'waitlisted') await tx.shift.update({ where: { id: s.shiftId }, data: { waitlistCount: { decrement: 1 } } });
  if (s.status !== 'confirmed') return { promoted: null, reminders };
  await tx.shift.update({ where: { id: s.shiftId }, data: { confirmedCount: { decrement: 1 } } });
  const promoted = await promoteFromWaitlist(tx, s.shiftId, now);
  if (!promoted) return { promoted: null, reminders };
  return { promoted: { personId: promoted.personId, shiftId: promoted.shiftId }, reminders: mergeReminderChanges(reminders, await planReminders(tx, [promoted.signUpId], { now, reset: true })) };
}

/**
 * Gives a free place of a shift to the first person on its waitlist, if any. The waitlisted row is
 * locked (SKIP LOCKED: two freed places at once promote two different people).
 */
export async function promoteFromWaitlist(tx: Tx, shiftId: number, now: Date): Promise<{ personId: number; shiftId: number; signUpId: number } | null> {
  const took = await tx.shift.updateMany({
    where: { id: shiftId, confirmedCount: { lt: tx.shift.fields.capacity } },
    data: { confirmedCount: { increment: 1 } },
  });
  if (took.count === 0) return null;
  const rows = await tx.$queryRaw<Array<{ id: number; personId: number }>>`
    SELECT id, "personId" FROM "SignUp"
    WHERE "shiftId" = ${shiftId} AND status = 'waitlisted'
    ORDER BY "waitlistPosition" ASC
    LIMIT 1 FOR UPDATE SKIP LOCKED`;
  const first = rows[0];
  if (!first) {
    await tx.shift.update({ where: { id: shiftId }, data: { confirmedCount: { decrement: 1 } } });
    return null;
  }
  await tx.signUp.update({ where: { id: first.id }, data: { status: 'confirmed', waitlistPosition: null, createdAt: now } });
  await tx.shift.update({ where: { id: shiftId }, data: { waitlistCount: { decrement: 1 } } });
  return { personId: first.personId, shiftId, signUpId: first.id };
}
