import { AppError } from '../../lib/errors.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import type { Tx } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { notify, remindersPlanned, type Effect, type Notice } from '../effects.ts';
import { formatShiftTime } from '../../lib/time.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { findProject } from '../projects/find-project.ts';
import { resolveShift } from '../signups/sign-up.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { cancelReminders } from '../reminders/plan-reminders.ts';

/**
 * Cancels a shift: its status becomes cancelled, its active sign-ups (confirmed and waitlisted)
 * are cancelled with it and their scheduled reminders too. Returns the reminder jobs removed, the
 * volunteers, and the effects: the alarms dropped and the volunteers told (with the reason, when
 * given: `取消班次 3 B 天气原因`). Only a worker of the community (or the CLI, actorId null); audited.
 */
export async function cancelShift(
  ctx: CoreContext,
  input: { communityId: number; number: number; shift: string; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console'; reason?: string },
) {
  const reason = maskPersonalData((input.reason ?? '').trim()).slice(0, 200);
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, input.communityId, input.number);
    const found = resolveShift(project.shifts, input.shift);
    if (!found) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: input.shift });
    const r = await cancelShiftIn(tx, found.id, ctx.clock.now());
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'shift.cancel',
      entity: 'Shift',
      entityId: found.id,
      before: { status: 'scheduled' },
      after: { status: 'cancelled', signUpsCancelled: r.volunteers.length, ...(reason ? { reason } : {}) },
    });
    const { timezone } = await tx.community.findUniqueOrThrow({ where: { id: input.communityId }, select: { timezone: true } });
    const effects: Effect[] = [
      ...remindersPlanned({ add: [], remove: r.removeJobs }),
      ...notify(r.volunteers.map((personId) => shiftCancelledNotice(personId, project, r.shift, timezone, reason))),
    ];
    return { project: { id: project.id, number: project.number, title: project.title }, shift: r.shift, volunteers: r.volunteers, removeJobs: r.removeJobs, effects };
  });
}

/** The notice to a volunteer whose shift was cancelled (by a worker, or by closing the project). */
export function shiftCancelledNotice(
  personId: number,
  project: { number: number; title: string },
  shift: { id: number; label: string; startsAt: Date; endsAt: Date },
  timezone: string,
  reason = '',
): Notice {
  return {
    personId,
    key: `shiftcancelled:${shift.id}:${personId}`,
    message: 'shiftCancelled',
    params: { number: project.number, title: project.title, label: shift.label, time: formatShiftTime(shift.startsAt, shift.endsAt, timezone), reason },
  };
}

/** The work of cancelShift inside a transaction (closing a project cancels its shifts still to come). */
export async function cancelShiftIn(tx: Tx, shiftId: number, now: Date) {
  await tx.$queryRaw`SELECT id FROM "Shift" WHERE id = ${shiftId} FOR UPDATE`;
  const shift = await tx.shift.update({ where: { id: shiftId }, data: { status: 'cancelled', waitlistCount: 0 } });
  const signUps = await tx.signUp.findMany({ where: { shiftId, status: { in: ['confirmed', 'waitlisted'] } }, select: { id: true, personId: true } });
  const ids = signUps.map((s) => s.id);
  if (ids.length) await tx.signUp.updateMany({ where: { id: { in: ids } }, data: { status: 'cancelled', cancelledAt: now, waitlistPosition: null } });
  const removeJobs = await cancelReminders(tx, ids, 'shift_cancelled');
  return { shift, volunteers: signUps.map((s) => s.personId), removeJobs };
}
