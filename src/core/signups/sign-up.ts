import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { openStatuses } from '../projects/find-project.ts';
import { silenceCheckAt, type ReminderChanges } from '../reminders/plan-reminders.ts';
import { planReminderTimes, reminderSettingsOf } from '../reminders/reminder-times.ts';
import { writeSignUp } from './write-sign-ups.ts';

export type SignUpResult = {
  projectNumber: number;
  projectTitle: string;
  shift: { id: number; label: string; startsAt: Date; endsAt: Date; place: string };
  /** The sign-up's reminders, planned in the same statement: the caller adds their jobs. */
  reminders: ReminderChanges;
} & ({ status: 'confirmed' } | { status: 'waitlisted'; place: number });

const signUpInput = z.object({
  communityId: z.number().int(),
  projectNumber: z.number().int(),
  shiftLabel: z.string().optional(),
  personId: z.number().int(),
});

/** A project as the sign-up reads it: one query, no lock. */
interface ProjectRow {
  number: number;
  title: string;
  status: string;
  claimType: string;
  reminderOffsets: string;
  quietHours: string | null;
  silentReportMinutes: number;
  timezone: string;
  /** Scheduled shifts by label; `mine`: the person holds an active sign-up on it. */
  shifts: Array<{ id: number; label: string; startsAt: number; endsAt: number; place: string; capacity: number; confirmedCount: number; mine: boolean }>;
}

/**
 * `报名 N [班次]`: signs a person up for a shift of project N. Without a shift letter: the first
 * shift with room, else the first shift (waitlist). A cancelled sign-up may sign up again. A
 * confirmed place gets its reminders planned (Reminder rows); `reminders` are the jobs to add.
 *
 * Validate first (one read: the project, its scheduled shifts, the community's reminder settings,
 * the person's active sign-ups), refusing PROJECT_NOT_FOUND, PROJECT_CLOSED, PROJECT_NOT_OPEN,
 * NOT_CLAIMABLE, SHIFT_NOT_FOUND, ALREADY_SIGNED_UP; then the write is ONE SQL statement
 * (writeSignUp, the rush after a broadcast): it decides the place (confirmed, or the waitlist
 * number) and plans the reminders in SQL, under the shift's row lock. In a rush, the sign-ups that
 * arrive while others are being written go together, in one statement and one commit.
 *
 * The write commits durably, like every other write: a person told they have a place has it even
 * if PostgreSQL crashes the next moment.
 */
export async function signUp(ctx: CoreContext, input: z.input<typeof signUpInput>): Promise<SignUpResult> {
  const i = signUpInput.parse(input);
  const [project] = await ctx.prisma.$queryRaw<ProjectRow[]>`
    SELECT p.number, p.title, p.status::text AS status, p."claimType"::text AS "claimType",
           c."reminderOffsets", c."quietHours", c.timezone, c."silentReportMinutes",
           COALESCE((
             SELECT json_agg(json_build_object(
                      'id', s.id, 'label', s.label, 'place', s.place, 'capacity', s.capacity, 'confirmedCount', s."confirmedCount",
                      'startsAt', (EXTRACT(EPOCH FROM s."startsAt") * 1000)::float8,
                      'endsAt', (EXTRACT(EPOCH FROM s."endsAt") * 1000)::float8,
                      'mine', EXISTS (SELECT 1 FROM "SignUp" u WHERE u."shiftId" = s.id AND u."personId" = ${i.personId} AND u.status IN ('confirmed', 'waitlisted'))
                    ) ORDER BY s.label)
             FROM "Shift" s WHERE s."projectId" = p.id AND s.status = 'scheduled'
           ), '[]'::json) AS shifts
    FROM "Project" p JOIN "Community" c ON c.id = p."communityId"
    WHERE p."communityId" = ${i.communityId} AND p.number = ${i.projectNumber}`;
  if (!project) throw new AppError('PROJECT_NOT_FOUND', { number: i.projectNumber });
  if (!(openStatuses as readonly string[]).includes(project.status)) {
    throw new AppError(project.status === 'closed' || project.status === 'evaluated' ? 'PROJECT_CLOSED' : 'PROJECT_NOT_OPEN', { number: project.number });
  }
  if (project.claimType === 'organization') throw new AppError('NOT_CLAIMABLE', { number: project.number, kind: 'volunteers' });
  const now = ctx.clock.now();
  const upcoming = project.shifts.filter((s) => s.endsAt > now.getTime());
  if (upcoming.length === 0) throw new AppError('PROJECT_CLOSED', { number: project.number });

  let candidates = upcoming;
  if (i.shiftLabel) {
    const wanted = resolveShift(project.shifts, i.shiftLabel);
    if (!wanted || wanted.endsAt <= now.getTime()) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: i.shiftLabel });
    candidates = [wanted];
  } else {
    candidates = upcoming.filter((s) => !s.mine);
    if (candidates.length === 0) throw new AppError('ALREADY_SIGNED_UP', { number: project.number });
  }
  const target = candidates.find((s) => s.confirmedCount < s.capacity) ?? candidates[0];
  if (!target) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: i.shiftLabel ?? '' });
  if (target.mine) throw new AppError('ALREADY_SIGNED_UP', { number: project.number, shift: target.label });

  // The reminders a confirmed place gets: pure, from the shift's start and the community's settings.
  const settings = reminderSettingsOf(project);
  const planned = planReminderTimes(new Date(target.startsAt), settings, now);
  const kinds = planned.map((p) => p.kind);
  const dueMs = planned.map((p) => p.dueAt.getTime());
  const offsetKinds = settings.offsets.map((o) => o.kind);

  const row = await writeSignUp(ctx, { shiftId: target.id, personId: i.personId, at: now, kinds, dueMs, offsetKinds });
  // The shift was cancelled between the read and the write.
  if (!row?.found) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: i.shiftLabel ?? target.label });
  // The same person's sign-up from another account, a moment earlier: the first one won.
  if (row.id === null || row.status === null) throw new AppError('ALREADY_SIGNED_UP', { number: project.number, shift: target.label });

  const shift = { id: target.id, label: target.label, startsAt: new Date(target.startsAt), endsAt: new Date(target.endsAt), place: target.place };
  const base = { projectNumber: project.number, projectTitle: project.title, shift };
  if (row.status === 'confirmed') {
    const reminders: ReminderChanges = {
      add: (row.add ?? []).map((a) => ({ reminderId: a.reminderId, jobId: a.jobId, dueAt: new Date(a.dueAt) })),
      remove: [...new Set(row.remove ?? [])],
    };
    // The shift's check for volunteers gone quiet, as planReminders plans it for a confirmed place.
    const check = silenceCheckAt(shift.startsAt, project.silentReportMinutes);
    if (check && check > now) reminders.checks = [{ shiftId: shift.id, at: check }];
    return { ...base, status: 'confirmed', reminders };
  }
  return { ...base, status: 'waitlisted', place: row.place ?? 0, reminders: { add: [], remove: [] } };
}

/** A shift by its letter (`B`) or its number (`2`, the second shift). */
export function resolveShift<T extends { label: string }>(shifts: T[], wanted: string): T | undefined {
  const w = wanted.trim().toUpperCase();
  if (/^\d+$/.test(w)) return shifts[Number(w) - 1];
  return shifts.find((s) => s.label === w);
}
