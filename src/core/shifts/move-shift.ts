import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { notify, remindersPlanned, type Effect } from '../effects.ts';
import { formatShiftTime } from '../../lib/time.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { findProject } from '../projects/find-project.ts';
import { resolveShift } from '../signups/sign-up.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { planReminders, type ReminderChanges } from '../reminders/plan-reminders.ts';

export const moveShiftInput = z
  .object({
    communityId: z.number().int(),
    /** The project's number, as residents see it. */
    number: z.number().int().positive(),
    /** The shift's letter (or its number). */
    shift: z.string().trim().min(1).max(8),
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date(),
    place: z.string().trim().max(200).optional(),
    actorId: z.number().int().nullable().default(null),
    via: z.enum(['chat', 'cli', 'api', 'console']).default('api'),
  })
  .refine((s) => s.endsAt > s.startsAt, { message: 'a shift must end after it starts', path: ['endsAt'] });
export type MoveShiftInput = z.input<typeof moveShiftInput>;

/**
 * Moves a shift to another time (and optionally place). Its volunteers' reminders are planned
 * afresh for the new time (new jobs; the old ones find they are stale), and a confirmation given
 * for the old time (SignUp.confirmedAt) is cleared: the next reminder asks again. Returns the
 * reminder changes and the volunteers (confirmed and waitlisted), with the effects: the reminders
 * planned again and the volunteers told ("班次改时间了"). Only a
 * worker of the community (or the CLI, actorId null); audited with the times before and after.
 * A closed project's shifts do not move (PROJECT_CLOSED).
 */
export async function moveShift(ctx: CoreContext, input: MoveShiftInput) {
  const i = moveShiftInput.parse(input);
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, i.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, i.communityId, i.number);
    if (project.status === 'closed' || project.status === 'evaluated') throw new AppError('PROJECT_CLOSED', { number: project.number });
    const found = resolveShift(project.shifts, i.shift);
    if (!found) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: i.shift });
    await tx.$queryRaw`SELECT id FROM "Shift" WHERE id = ${found.id} FOR UPDATE`;
    const before = await tx.shift.findUniqueOrThrow({ where: { id: found.id } });
    const shift = await tx.shift.update({
      where: { id: before.id },
      data: { startsAt: i.startsAt, endsAt: i.endsAt, ...(i.place !== undefined ? { place: i.place } : {}) },
    });
    const signUps = await tx.signUp.findMany({ where: { shiftId: shift.id, status: { in: ['confirmed', 'waitlisted'] } }, select: { id: true, personId: true, status: true } });
    const confirmed = signUps.filter((s) => s.status === 'confirmed').map((s) => s.id);
    if (confirmed.length) await tx.signUp.updateMany({ where: { id: { in: confirmed } }, data: { confirmedAt: null } });
    const reminders: ReminderChanges = await planReminders(tx, confirmed, { now: ctx.clock.now(), reset: true });
    await writeAudit(tx, {
      communityId: i.communityId,
      actorId: i.actorId,
      via: i.via,
      action: 'shift.move',
      entity: 'Shift',
      entityId: shift.id,
      before: { startsAt: before.startsAt.toISOString(), endsAt: before.endsAt.toISOString(), place: before.place },
      after: { startsAt: shift.startsAt.toISOString(), endsAt: shift.endsAt.toISOString(), place: shift.place },
    });
    const { timezone } = await tx.community.findUniqueOrThrow({ where: { id: i.communityId }, select: { timezone: true } });
    const volunteers = signUps.map((s) => s.personId);
    // The key holds the new time: moving twice tells twice, once each.
    const notices = volunteers.map((personId) => ({
      personId,
      key: `shiftmoved:${shift.id}:${shift.startsAt.getTime()}:${personId}`,
      message: 'shiftMoved' as const,
      params: { number: project.number, title: project.title, label: shift.label, time: formatShiftTime(shift.startsAt, shift.endsAt, timezone), place: shift.place },
    }));
    const effects: Effect[] = [...remindersPlanned(reminders), ...notify(notices)];
    return { project: { id: project.id, number: project.number, title: project.title }, shift, volunteers, reminders, effects };
  });
}
