import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { idNumber } from '../../lib/id-schema.ts';
import { formatShiftTime } from '../../lib/time.ts';
import type { CoreContext } from '../context.ts';
import { notify, remindersPlanned, type Effect } from '../effects.ts';
import { findProject } from '../projects/find-project.ts';
import { cancelReminders, mergeReminderChanges, planReminders } from '../reminders/plan-reminders.ts';
import { resolveShift } from '../signups/sign-up.ts';
import type { SubstituteShift } from './ask-substitute.ts';

const input = z.object({
  communityId: idNumber,
  projectNumber: idNumber,
  shiftLabel: z.string().trim().min(1).max(4).optional(),
  personId: idNumber,
  /** The taker's name, for the volunteer who asked. */
  personName: z.string().max(100),
});

export interface TakeOverResult {
  project: { number: number; title: string };
  shift: SubstituteShift;
  /** The volunteer whose place it was. */
  fromPersonId: number;
  effects: Effect[];
}

/**
 * `接班 P [班次]`: the first person to accept an open substitute request of project P takes the
 * place. In one transaction the request is claimed (one conditional UPDATE: of two acceptors at
 * once, one wins), the asker's sign-up is cancelled with its reminders, and the taker's is made
 * confirmed (a waitlisted row of theirs on that shift moves up; the shift's count is unchanged),
 * with reminders planned afresh. The asker is told who took it. Refusals: SUBSTITUTE_TAKEN (the
 * place was taken already), NO_SUBSTITUTE (nobody in P is looking for one), OWN_SUBSTITUTE,
 * ALREADY_SIGNED_UP (the taker has a place on that shift already).
 */
export async function takeOver(ctx: CoreContext, raw: z.input<typeof input>): Promise<TakeOverResult> {
  const i = input.parse(raw);
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, i.communityId, i.projectNumber);
    const now = ctx.clock.now();
    let shiftIds = project.shifts.filter((s) => s.startsAt > now).map((s) => s.id);
    if (i.shiftLabel !== undefined) {
      const wanted = resolveShift(project.shifts, i.shiftLabel);
      if (!wanted) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: i.shiftLabel });
      shiftIds = shiftIds.filter((id) => id === wanted.id);
    }
    const open = await tx.substituteRequest.findMany({
      where: { shiftId: { in: shiftIds }, status: 'open' },
      orderBy: { createdAt: 'asc' },
      select: { id: true, fromId: true, signUpId: true, shift: { select: { id: true, label: true, startsAt: true, endsAt: true, place: true } } },
    });
    const others = open.filter((r) => r.fromId !== i.personId);
    if (others.length === 0) {
      if (open.length > 0) throw new AppError('OWN_SUBSTITUTE', { number: project.number });
      const taken = await tx.substituteRequest.count({ where: { shiftId: { in: shiftIds }, status: 'taken' } });
      throw new AppError(taken ? 'SUBSTITUTE_TAKEN' : 'NO_SUBSTITUTE', { number: project.number });
    }
    const mine = await tx.signUp.findMany({ where: { personId: i.personId, shiftId: { in: others.map((r) => r.shift.id) }, status: 'confirmed' }, select: { shiftId: true } });
    const request = others.find((r) => !mine.some((m) => m.shiftId === r.shift.id));
    if (!request) throw new AppError('ALREADY_SIGNED_UP', { number: project.number, shift: others[0]!.shift.label });

    const claimed = await tx.substituteRequest.updateMany({ where: { id: request.id, status: 'open' }, data: { status: 'taken', takenById: i.personId, takenAt: now } });
    if (claimed.count === 0) throw new AppError('SUBSTITUTE_TAKEN', { number: project.number });
    const old = await tx.signUp.updateMany({ where: { id: request.signUpId, status: 'confirmed' }, data: { status: 'cancelled', cancelledAt: now, waitlistPosition: null } });
    if (old.count === 0) throw new AppError('NO_SUBSTITUTE', { number: project.number }); // the asker cancelled meanwhile: rolled back
    const removed = await cancelReminders(tx, [request.signUpId], 'signup_cancelled');
    const row = await tx.signUp.upsert({
      where: { shiftId_personId: { shiftId: request.shift.id, personId: i.personId } },
      create: { shiftId: request.shift.id, personId: i.personId, status: 'confirmed', createdAt: now },
      update: { status: 'confirmed', waitlistPosition: null, cancelledAt: null, confirmedAt: null, silentReportedAt: null, createdAt: now },
    });
    const planned = await planReminders(tx, [row.id], { now, reset: true });
    const { timezone } = await tx.community.findUniqueOrThrow({ where: { id: i.communityId }, select: { timezone: true } });
    const s = request.shift;
    const effects: Effect[] = [
      ...remindersPlanned(mergeReminderChanges({ add: [], remove: removed }, planned)),
      ...notify([
        {
          personId: request.fromId,
          key: `subst-taken:${request.id}`,
          message: 'substituteFound',
          params: { number: project.number, title: project.title, label: s.label, time: formatShiftTime(s.startsAt, s.endsAt, timezone), name: i.personName },
        },
      ]),
    ];
    return { project: { number: project.number, title: project.title }, shift: s, fromPersonId: request.fromId, effects };
  });
}
