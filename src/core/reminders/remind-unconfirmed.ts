import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { findProject } from '../projects/find-project.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { reminderJobId, type ReminderChanges } from './plan-reminders.ts';

/**
 * `提醒 N` by a worker: re-sends the reminder for project N's next shift (the first scheduled one
 * not yet started) to its volunteers who have not confirmed (confirmed sign-ups without
 * SignUp.confirmedAt). Each gets a Reminder row of kind `manual`, planned afresh (a new version and
 * job, due now), so it goes the way every reminder goes: opt-outs respected, the answer session
 * recorded when sent. Audited. Returns the jobs to add and who they are for.
 */
export async function remindUnconfirmed(
  ctx: CoreContext,
  input: { communityId: number; number: number; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' },
) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, input.communityId, input.number);
    const shift = project.shifts.filter((s) => s.startsAt > now).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
    if (!shift) throw new AppError('NO_UPCOMING_SHIFT', { number: project.number });
    const signUps = await tx.signUp.findMany({
      where: { shiftId: shift.id, status: 'confirmed', confirmedAt: null },
      orderBy: { id: 'asc' },
      select: { id: true, personId: true, person: { select: { displayName: true, optedOutAt: true } }, reminders: { where: { kind: 'manual' }, select: { id: true, version: true, status: true, jobId: true } } },
    });
    const changes: ReminderChanges = { add: [], remove: [] };
    for (const s of signUps) {
      const old = s.reminders[0];
      const version = old ? old.version + 1 : 1;
      const jobId = reminderJobId(s.id, 'manual', version);
      const row = await tx.reminder.upsert({
        where: { signUpId_kind: { signUpId: s.id, kind: 'manual' } },
        create: { signUpId: s.id, kind: 'manual', dueAt: now, version, jobId },
        update: { status: 'scheduled', dueAt: now, version, jobId, sentAt: null, answer: null, skippedReason: null },
        select: { id: true },
      });
      if (old?.status === 'scheduled' && old.jobId) changes.remove.push(old.jobId);
      changes.add.push({ reminderId: row.id, jobId, dueAt: now });
    }
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'reminder.resend',
      entity: 'Shift',
      entityId: shift.id,
      after: { project: project.number, shift: shift.label, volunteers: signUps.length },
    });
    return {
      project: { number: project.number, title: project.title },
      shift: { id: shift.id, label: shift.label, startsAt: shift.startsAt, endsAt: shift.endsAt },
      /** Who is reminded again; `optedOut` ones (退订) will have their reminder skipped. */
      volunteers: signUps.map((s) => ({ personId: s.personId, name: s.person.displayName, optedOut: s.person.optedOutAt !== null })),
      reminders: changes,
    };
  });
}
