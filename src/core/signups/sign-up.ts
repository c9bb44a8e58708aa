import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { openStatuses } from '../projects/find-project.ts';
import { silenceCheckAt, type ReminderChanges } from '../reminders/plan-reminders.ts';
import { planReminderTimes, reminderSettingsOf } from '../reminders/reminder-times.ts';

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

interface WriteRow {
  /** The shift row was found (still scheduled) and locked. */
  found: boolean;
  id: number | null;
  status: 'confirmed' | 'waitlisted' | null;
  waitlistPosition: number | null;
  /** People on the shift's waitlist with this sign-up: its place. */
  waitlistCount: number | null;
  add: Array<{ reminderId: number; jobId: string; dueAt: number }> | null;
  remove: string[] | null;
}

/**
 * `报名 N [班次]`: signs a person up for a shift of project N. Without a shift letter: the first
 * shift with room, else the first shift (waitlist). A cancelled sign-up may sign up again. A
 * confirmed place gets its reminders planned (Reminder rows); `reminders` are the jobs to add.
 *
 * Validate first (one read: the project, its scheduled shifts, the community's reminder settings,
 * the person's active sign-ups), refusing PROJECT_NOT_FOUND, PROJECT_CLOSED, PROJECT_NOT_OPEN,
 * NOT_CLAIMABLE, SHIFT_NOT_FOUND, ALREADY_SIGNED_UP; then the write is ONE SQL statement, with no
 * interactive transaction (the rush after a broadcast, issue 15):
 *
 * - `s` locks the shift row (`FOR UPDATE`). Under READ COMMITTED a row lock returns the row's
 *   latest committed version, so `confirmedCount < capacity` and `waitlistSeq + 1` are decided
 *   against every sign-up that committed before, whatever the statement's snapshot; concurrent
 *   sign-ups for one shift queue on that row for the length of one statement and no longer.
 * - `ins` inserts the sign-up (or revives the person's cancelled one: ON CONFLICT … WHERE not
 *   active). ON CONFLICT sees the latest row too, so the same person's second sign-up racing in
 *   from another account returns no row and nothing else changes: ALREADY_SIGNED_UP.
 * - `bump` adds the sign-up to the shift's counters, only when `ins` returned its row. The place
 *   a waitlisted person is told is the shift's `waitlistCount` after it (everyone already on the
 *   waitlist is ahead), so no row is counted while the shift is locked.
 * - The reminder plan: the times are pure (shift start, the community's offsets, quiet hours and
 *   time zone, now: planReminderTimes), computed before and passed in; `stale`, `replan` and
 *   `fresh` do what planReminders(…, { reset: true }) does for one confirmed sign-up (cancel the
 *   scheduled ones no longer planned, plan afresh the others, insert the missing ones).
 *
 * The statement commits durably, like every other write: a person told they have a place has
 * it even if PostgreSQL crashes the next moment. The shift's row lock is therefore held across the
 * commit's WAL flush, which bounds one shift's sign-ups per second by the disk's flush time.
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

  const [row] = await ctx.prisma.$queryRaw<WriteRow[]>`
    WITH s AS (
      SELECT id, capacity, "confirmedCount", "waitlistSeq", "waitlistCount" FROM "Shift" WHERE id = ${target.id} AND status = 'scheduled' FOR UPDATE
    ), ins AS (
      INSERT INTO "SignUp" ("shiftId", "personId", status, "waitlistPosition", "createdAt")
      SELECT s.id, ${i.personId},
             (CASE WHEN s."confirmedCount" < s.capacity THEN 'confirmed' ELSE 'waitlisted' END)::"SignUpStatus",
             CASE WHEN s."confirmedCount" < s.capacity THEN NULL ELSE s."waitlistSeq" + 1 END,
             ${now}
      FROM s
      ON CONFLICT ("shiftId", "personId") DO UPDATE
        SET status = EXCLUDED.status, "waitlistPosition" = EXCLUDED."waitlistPosition", "cancelledAt" = NULL, "confirmedAt" = NULL, "createdAt" = EXCLUDED."createdAt"
        WHERE "SignUp".status NOT IN ('confirmed', 'waitlisted')
      RETURNING id, status::text AS status, "waitlistPosition"
    ), bump AS (
      UPDATE "Shift" sh
      SET "confirmedCount" = sh."confirmedCount" + (ins.status = 'confirmed')::int,
          "waitlistSeq" = sh."waitlistSeq" + (ins.status = 'waitlisted')::int,
          "waitlistCount" = sh."waitlistCount" + (ins.status = 'waitlisted')::int
      FROM ins WHERE sh.id = ${target.id}
      RETURNING sh."waitlistCount"
    ), plan AS (
      SELECT x.kind, (to_timestamp(x.ms / 1000.0) AT TIME ZONE 'UTC')::timestamp(3) AS "dueAt"
      FROM unnest(${kinds}::text[], ${dueMs}::float8[]) AS x(kind, ms)
    ), old AS (
      SELECT r.id, r."signUpId", r.kind, r.status::text AS status, r."dueAt", r.version, r."jobId"
      FROM "Reminder" r JOIN ins ON r."signUpId" = ins.id WHERE ins.status = 'confirmed'
    ), stale AS (
      UPDATE "Reminder" r
      SET status = 'cancelled', "skippedReason" = CASE WHEN o.kind = ANY(${offsetKinds}::text[]) THEN 'too_late' ELSE 'offsets_changed' END
      FROM old o
      WHERE r.id = o.id AND o.kind <> 'manual' AND o.status = 'scheduled' AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.kind = o.kind)
      RETURNING o."jobId"
    ), replan AS (
      UPDATE "Reminder" r
      SET status = 'scheduled', "dueAt" = p."dueAt", version = o.version + 1,
          "jobId" = 'rem-' || o."signUpId" || '-' || o.kind || '-v' || (o.version + 1),
          "sentAt" = NULL, answer = NULL, "skippedReason" = NULL
      FROM old o JOIN plan p ON p.kind = o.kind
      WHERE r.id = o.id AND NOT (o.status = 'scheduled' AND o."dueAt" = p."dueAt" AND o."jobId" IS NOT NULL)
      RETURNING r.id, r."jobId", r."dueAt", CASE WHEN o.status = 'scheduled' THEN o."jobId" END AS "oldJobId"
    ), fresh AS (
      INSERT INTO "Reminder" ("signUpId", kind, "dueAt", version, "jobId")
      SELECT ins.id, p.kind, p."dueAt", 1, 'rem-' || ins.id || '-' || p.kind || '-v1'
      FROM ins, plan p
      WHERE ins.status = 'confirmed' AND NOT EXISTS (SELECT 1 FROM old o WHERE o.kind = p.kind)
      RETURNING id, "jobId", "dueAt"
    ), added AS (
      SELECT id, "jobId", "dueAt" FROM replan UNION ALL SELECT id, "jobId", "dueAt" FROM fresh
    )
    SELECT EXISTS (SELECT 1 FROM s) AS found,
           (SELECT id FROM ins) AS id,
           (SELECT status FROM ins) AS status,
           (SELECT "waitlistPosition" FROM ins) AS "waitlistPosition",
           (SELECT "waitlistCount" FROM bump) AS "waitlistCount",
           (SELECT json_agg(json_build_object('reminderId', id, 'jobId', "jobId", 'dueAt', (EXTRACT(EPOCH FROM "dueAt") * 1000)::float8) ORDER BY "dueAt") FROM added) AS add,
           (SELECT json_agg(j) FROM (SELECT "jobId" AS j FROM stale UNION ALL SELECT "oldJobId" FROM replan) x WHERE j IS NOT NULL) AS remove`;
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
  return { ...base, status: 'waitlisted', place: row.waitlistCount ?? 0, reminders: { add: [], remove: [] } };
}

/** A shift by its letter (`B`) or its number (`2`, the second shift). */
export function resolveShift<T extends { label: string }>(shifts: T[], wanted: string): T | undefined {
  const w = wanted.trim().toUpperCase();
  if (/^\d+$/.test(w)) return shifts[Number(w) - 1];
  return shifts.find((s) => s.label === w);
}
