import { AppError } from '../../lib/errors.ts';
import type { Tx } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { findProject } from '../projects/find-project.ts';

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
    const result: CancelResult = { projectNumber: project.number, projectTitle: project.title, cancelled: [], promoted: [] };
    for (const s of mine) {
      await tx.signUp.update({ where: { id: s.id }, data: { status: 'cancelled', cancelledAt: now, waitlistPosition: null } });
      await tx.reminder.updateMany({ where: { signUpId: s.id, status: 'scheduled' }, data: { status: 'cancelled' } });
      result.cancelled.push({ shiftLabel: s.shift.label, wasConfirmed: s.status === 'confirmed' });
      if (s.status === 'confirmed') {
        await tx.shift.update({ where: { id: s.shiftId }, data: { confirmedCount: { decrement: 1 } } });
        const p = await promoteFromWaitlist(tx, s.shiftId, now);
        if (p) result.promoted.push({ ...p, shiftLabel: s.shift.label });
      }
    }
    return result;
  });
}

/**
 * Gives a free place of a shift to the first person on its waitlist, if any. The waitlisted row is
 * locked (SKIP LOCKED: two freed places at once promote two different people).
 */
export async function promoteFromWaitlist(tx: Tx, shiftId: number, now: Date): Promise<{ personId: number; shiftId: number } | null> {
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
  return { personId: first.personId, shiftId };
}
