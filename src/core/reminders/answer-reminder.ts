import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { cancelOneSignUp } from '../signups/cancel-sign-up.ts';
import { noReminderChanges, type ReminderChanges } from './plan-reminders.ts';

export interface AnsweredShift {
  signUpId: number;
  communityId: number;
  projectNumber: number;
  projectTitle: string;
  shiftId: number;
  shiftLabel: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
}

export type AnswerResult =
  /** `1`: SignUp.confirmedAt is set. */
  | { outcome: 'confirmed'; shift: AnsweredShift }
  /** `2`: the sign-up is cancelled; a freed place went to `promoted`, whose reminders are planned. */
  | { outcome: 'left'; shift: AnsweredShift; promoted: { personId: number; shiftId: number } | null; reminders: ReminderChanges }
  /** The sign-up was cancelled meanwhile (by the person, a worker, or a cancelled shift). */
  | { outcome: 'gone'; shift: AnsweredShift };

/**
 * A volunteer's answer to a reminder: `1` confirms (SignUp.confirmedAt), `2` asks for leave, which
 * cancels that sign-up exactly as `取消报名` would (the first on the waitlist moves up). The
 * reminders of the sign-up already sent become `answered` with the answer. Only the sign-up's own
 * volunteer may answer (NOT_SIGNED_UP otherwise). One transaction, the sign-up row locked.
 * Answering `1` twice is harmless; `2` after leave reports `gone`.
 */
export async function answerReminder(
  ctx: CoreContext,
  input: { reminderId: number; personId: number; answer: '1' | '2' },
): Promise<AnswerResult> {
  return ctx.prisma.$transaction(async (tx) => {
    const reminder = await tx.reminder.findUnique({
      where: { id: input.reminderId },
      select: {
        signUpId: true,
        signUp: {
          select: {
            personId: true,
            shift: { select: { id: true, label: true, startsAt: true, endsAt: true, project: { select: { number: true, title: true, communityId: true, community: { select: { timezone: true } } } } } },
          },
        },
      },
    });
    if (!reminder || reminder.signUp.personId !== input.personId) throw new AppError('NOT_SIGNED_UP', { number: reminder?.signUp.shift.project.number ?? 0 });
    await tx.$queryRaw`SELECT id FROM "SignUp" WHERE id = ${reminder.signUpId} FOR UPDATE`;
    const signUp = await tx.signUp.findUniqueOrThrow({ where: { id: reminder.signUpId }, select: { id: true, shiftId: true, status: true, confirmedAt: true } });
    const sh = reminder.signUp.shift;
    const shift: AnsweredShift = {
      signUpId: signUp.id,
      communityId: sh.project.communityId,
      projectNumber: sh.project.number,
      projectTitle: sh.project.title,
      shiftId: sh.id,
      shiftLabel: sh.label,
      startsAt: sh.startsAt,
      endsAt: sh.endsAt,
      timezone: sh.project.community.timezone,
    };
    if (signUp.status !== 'confirmed') return { outcome: 'gone', shift };
    const now = ctx.clock.now();
    await tx.reminder.updateMany({ where: { signUpId: signUp.id, status: 'sent' }, data: { status: 'answered', answer: input.answer } });
    if (input.answer === '1') {
      if (!signUp.confirmedAt) await tx.signUp.update({ where: { id: signUp.id }, data: { confirmedAt: now } });
      return { outcome: 'confirmed', shift };
    }
    const { promoted, reminders } = await cancelOneSignUp(tx, signUp, now);
    await writeAudit(tx, {
      communityId: shift.communityId,
      actorId: input.personId,
      via: 'chat',
      action: 'signup.leave',
      entity: 'SignUp',
      entityId: signUp.id,
      before: { status: 'confirmed' },
      after: { status: 'cancelled', promoted: promoted?.personId ?? null },
    });
    return { outcome: 'left', shift, promoted, reminders: reminders ?? noReminderChanges() };
  });
}

/**
 * The person's most recent reminder still waiting for an answer (sent, unanswered, its sign-up
 * confirmed but not yet confirmed by the person, its shift not started), if any: where a bare `1`
 * goes once the reminder it answered is done.
 */
export async function latestOpenReminder(ctx: CoreContext, personId: number): Promise<{ reminderId: number; startsAt: Date } | null> {
  const r = await ctx.prisma.reminder.findFirst({
    where: {
      status: 'sent',
      signUp: { personId, status: 'confirmed', confirmedAt: null, shift: { status: 'scheduled', startsAt: { gt: ctx.clock.now() } } },
    },
    orderBy: [{ sentAt: 'desc' }, { id: 'desc' }],
    select: { id: true, signUp: { select: { shift: { select: { startsAt: true } } } } },
  });
  return r ? { reminderId: r.id, startsAt: r.signUp.shift.startsAt } : null;
}

/** The shift a reminder is about, for asking the question again; null when the reminder is gone. */
export async function reminderShift(ctx: CoreContext, reminderId: number): Promise<{ projectNumber: number; label: string; startsAt: Date; endsAt: Date; timezone: string } | null> {
  const r = await ctx.prisma.reminder.findUnique({
    where: { id: reminderId },
    select: { signUp: { select: { shift: { select: { label: true, startsAt: true, endsAt: true, project: { select: { number: true, community: { select: { timezone: true } } } } } } } } },
  });
  if (!r) return null;
  const s = r.signUp.shift;
  return { projectNumber: s.project.number, label: s.label, startsAt: s.startsAt, endsAt: s.endsAt, timezone: s.project.community.timezone };
}
