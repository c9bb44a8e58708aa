import type { Db } from '../../db/prisma.ts';
import { planReminderTimes, reminderSettingsOf } from './reminder-times.ts';

/** A reminder job to add: BullMQ job id, the row it sends, and when. JSON-safe apart from the Date. */
export interface ReminderJob {
  reminderId: number;
  jobId: string;
  dueAt: Date;
}

/**
 * What a use case changed about reminders, for its caller to carry out after the commit: jobs to
 * add (delayed until due) and job ids to remove. Carrying them out is safe to repeat, and a lost
 * change is harmless: a job checks its Reminder row before sending, and the sweeper re-adds the
 * job of a row that is overdue.
 */
export interface ReminderChanges {
  add: ReminderJob[];
  remove: string[];
  /** When to look for volunteers of a shift who went quiet (Community.silentReportMinutes before it). */
  checks?: SilenceCheck[];
}

/** One look at a shift's volunteers who have not answered their last reminder, due at `at`. */
export interface SilenceCheck {
  shiftId: number;
  at: Date;
}

export const noReminderChanges = (): ReminderChanges => ({ add: [], remove: [] });

export function mergeReminderChanges(...all: ReminderChanges[]): ReminderChanges {
  const merged: ReminderChanges = { add: all.flatMap((c) => c.add), remove: [...new Set(all.flatMap((c) => c.remove))] };
  const checks = uniqueChecks(all.flatMap((c) => c.checks ?? []));
  if (checks.length) merged.checks = checks;
  return merged;
}

function uniqueChecks(checks: SilenceCheck[]): SilenceCheck[] {
  const seen = new Map<string, SilenceCheck>();
  for (const c of checks) seen.set(`${c.shiftId}:${new Date(c.at).getTime()}`, c);
  return [...seen.values()];
}

/** When a shift's silence check is due: `minutes` before it starts; null when the setting is off. */
export function silenceCheckAt(startsAt: Date, minutes: number): Date | null {
  return minutes > 0 ? new Date(startsAt.getTime() - minutes * 60_000) : null;
}

/**
 * The BullMQ job id of one plan of one reminder: deterministic in (sign-up, offset, plan version),
 * so adding it twice adds one job, and a re-planned reminder (a moved shift) gets a new job while
 * the old one, should it survive, finds it is no longer its row's job and sends nothing.
 */
export function reminderJobId(signUpId: number, kind: string, version: number): string {
  return `rem-${signUpId}-${kind}-v${version}`;
}

/** Why a reminder ended without being sent (Reminder.skippedReason). */
export type SkipReason = 'opted_out' | 'shift_cancelled' | 'signup_cancelled' | 'too_late' | 'no_account' | 'offsets_changed' | 'not_confirmed';

/** Cancels the still-scheduled reminders of these sign-ups; returns their job ids (to remove). */
export async function cancelReminders(db: Db, signUpIds: number[], reason: SkipReason): Promise<string[]> {
  if (signUpIds.length === 0) return [];
  const rows = await db.reminder.updateManyAndReturn({
    where: { signUpId: { in: signUpIds }, status: 'scheduled' },
    data: { status: 'cancelled', skippedReason: reason },
    select: { jobId: true },
  });
  return rows.flatMap((r) => (r.jobId ? [r.jobId] : []));
}

/**
 * Makes the reminders of these sign-ups match their state and their community's settings
 * (Community.reminderOffsets, quietHours, timezone): a confirmed sign-up on a scheduled shift gets
 * one Reminder row per offset whose time is still ahead; any other sign-up's scheduled reminders
 * are cancelled. Call it inside the transaction that changed the sign-ups.
 *
 * `reset` (a new or promoted sign-up, a moved shift): every reminder still ahead is planned afresh
 * (status scheduled, a new version and job), whatever it was before. Without it (settings changed)
 * only reminders still scheduled are moved; ones sent, answered or skipped stay as they are.
 * Manual re-sends (`提醒 N`, kind "manual") are left alone except when a sign-up stops being active.
 */
export async function planReminders(db: Db, signUpIds: number[], opts: { now: Date; reset: boolean }): Promise<ReminderChanges> {
  const changes = noReminderChanges();
  if (signUpIds.length === 0) return changes;
  const signUps = await db.signUp.findMany({
    where: { id: { in: signUpIds } },
    select: {
      id: true,
      status: true,
      shift: {
        select: {
          id: true,
          startsAt: true,
          status: true,
          project: { select: { community: { select: { reminderOffsets: true, quietHours: true, timezone: true, silentReportMinutes: true } } } },
        },
      },
      reminders: { select: { id: true, kind: true, status: true, dueAt: true, version: true, jobId: true } },
    },
  });
  const inactive: number[] = [];
  const shiftCancelled: number[] = [];
  const creates: Array<{ signUpId: number; kind: string; dueAt: Date; version: number; jobId: string }> = [];
  const checks: SilenceCheck[] = [];
  for (const s of signUps) {
    if (s.shift.status !== 'scheduled') {
      shiftCancelled.push(s.id);
      continue;
    }
    if (s.status !== 'confirmed') {
      inactive.push(s.id);
      continue;
    }
    const settings = reminderSettingsOf(s.shift.project.community);
    const check = silenceCheckAt(s.shift.startsAt, s.shift.project.community.silentReportMinutes);
    if (check && check > opts.now) checks.push({ shiftId: s.shift.id, at: check });
    const planned = planReminderTimes(s.shift.startsAt, settings, opts.now);
    const offsetKinds = new Set(settings.offsets.map((o) => o.kind));
    for (const r of s.reminders) {
      if (r.kind === 'manual' || r.status !== 'scheduled' || planned.some((p) => p.kind === r.kind)) continue;
      await db.reminder.updateMany({
        where: { id: r.id, status: 'scheduled' },
        data: { status: 'cancelled', skippedReason: offsetKinds.has(r.kind) ? 'too_late' : 'offsets_changed' },
      });
      if (r.jobId) changes.remove.push(r.jobId);
    }
    for (const p of planned) {
      const r = s.reminders.find((x) => x.kind === p.kind);
      if (!r) {
        creates.push({ signUpId: s.id, kind: p.kind, dueAt: p.dueAt, version: 1, jobId: reminderJobId(s.id, p.kind, 1) });
        continue;
      }
      if (r.status === 'scheduled' && r.dueAt.getTime() === p.dueAt.getTime() && r.jobId) continue; // as planned already
      if (!opts.reset && r.status !== 'scheduled') continue;
      const version = r.version + 1;
      const jobId = reminderJobId(s.id, p.kind, version);
      await db.reminder.update({
        where: { id: r.id },
        data: { status: 'scheduled', dueAt: p.dueAt, version, jobId, sentAt: null, answer: null, skippedReason: null },
      });
      if (r.status === 'scheduled' && r.jobId) changes.remove.push(r.jobId);
      changes.add.push({ reminderId: r.id, jobId, dueAt: p.dueAt });
    }
  }
  if (creates.length) {
    const rows = await db.reminder.createManyAndReturn({ data: creates, select: { id: true, jobId: true, dueAt: true } });
    for (const r of rows) changes.add.push({ reminderId: r.id, jobId: r.jobId ?? '', dueAt: r.dueAt });
  }
  changes.remove.push(...(await cancelReminders(db, inactive, 'signup_cancelled')));
  changes.remove.push(...(await cancelReminders(db, shiftCancelled, 'shift_cancelled')));
  if (checks.length) changes.checks = uniqueChecks(checks);
  return changes;
}
