import type { Platform } from '../chat.ts';
import type { CoreContext } from '../context.ts';
import type { SkipReason } from './plan-reminders.ts';

/** Everything a reminder message says and where it goes. JSON-safe apart from the Dates. */
export interface ReminderToSend {
  reminderId: number;
  kind: string;
  signUpId: number;
  personId: number;
  projectNumber: number;
  projectTitle: string;
  shiftLabel: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  timezone: string;
  /** The person's chosen language, else the community's. */
  locale: string | null;
  /** The person's most recent account: the reminder goes to its private chat. */
  platform: Platform;
  externalId: string;
}

export type PreparedReminder =
  | { action: 'send'; reminder: ReminderToSend }
  | { action: 'skip'; reason: SkipReason | 'stale' | 'gone' | 'done' };

interface Row {
  id: number;
  status: string;
  jobId: string | null;
  kind: string;
  signUpId: number;
  signUpStatus: string;
  personId: number;
  shiftStatus: string;
  label: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  number: number;
  title: string;
  timezone: string;
  communityLocale: string;
  personLocale: string | null;
  optedOutAt: Date | null;
  platform: Platform | null;
  externalId: string | null;
}

/**
 * What the job `jobId` should do about reminder `reminderId`; see prepareReminders. Safe to retry.
 */
export async function prepareReminder(ctx: CoreContext, input: { reminderId: number; jobId: string }): Promise<PreparedReminder> {
  return (await prepareReminders(ctx, [input]))[0]!;
}

/**
 * What each job should do about its reminder, decided from the Reminder rows (the truth) and
 * claimed in the database, so a stale or repeated job is harmless:
 *
 * - the row is gone, or belongs to another job (the shift moved since), or is answered or cancelled:
 *   `skip`, nothing written;
 * - the sign-up is no longer confirmed, the shift was cancelled or has started, the person opted
 *   out (退订) or has no account to write to: the row becomes `cancelled` with the reason, `skip`;
 * - otherwise the row becomes `sent` (a conditional UPDATE: of two jobs racing, one wins) and the
 *   answer is `send`. A row already `sent` by this same job answers `send` again: the job failed
 *   after claiming it, and its message key makes queueing the message again a no-op.
 *
 * For any number of jobs at once (the reminder worker batches the jobs that arrive together): one
 * SELECT and at most two UPDATEs in all. Answers are in the order of `items`. Safe to retry.
 */
export async function prepareReminders(ctx: CoreContext, items: ReadonlyArray<{ reminderId: number; jobId: string }>): Promise<PreparedReminder[]> {
  if (items.length === 0) return [];
  const ids = [...new Set(items.map((i) => i.reminderId))];
  const rows = await ctx.prisma.$queryRaw<Row[]>`
    SELECT r.id, r.status::text AS status, r."jobId", r.kind, r."signUpId",
           su.status::text AS "signUpStatus", su."personId",
           sh.status::text AS "shiftStatus", sh.label, sh."startsAt", sh."endsAt", sh.place,
           p.number, p.title, c.timezone, c.locale AS "communityLocale",
           pe.locale AS "personLocale", pe."optedOutAt",
           i.platform::text AS platform, i."externalId"
    FROM "Reminder" r
    JOIN "SignUp" su ON su.id = r."signUpId"
    JOIN "Shift" sh ON sh.id = su."shiftId"
    JOIN "Project" p ON p.id = sh."projectId"
    JOIN "Community" c ON c.id = p."communityId"
    JOIN "Person" pe ON pe.id = su."personId"
    LEFT JOIN LATERAL (
      SELECT platform, "externalId" FROM "Identity" WHERE "personId" = su."personId" ORDER BY id DESC LIMIT 1
    ) i ON true
    WHERE r.id = ANY(${ids}::int[])`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const now = ctx.clock.now();
  const answers: PreparedReminder[] = [];
  const skips: Array<{ id: number; jobId: string; reason: SkipReason }> = [];
  const claims: Array<{ index: number; id: number; jobId: string }> = [];
  for (const [index, item] of items.entries()) {
    const row = byId.get(item.reminderId);
    if (!row) answers.push({ action: 'skip', reason: 'gone' });
    else if (row.jobId !== item.jobId) answers.push({ action: 'skip', reason: 'stale' });
    else if (row.status === 'sent') answers.push(row.platform && row.externalId ? { action: 'send', reminder: toSend(row) } : { action: 'skip', reason: 'no_account' });
    else if (row.status !== 'scheduled') answers.push({ action: 'skip', reason: 'done' });
    else {
      const reason = skipReason(row, now);
      if (reason) {
        skips.push({ id: row.id, jobId: item.jobId, reason });
        answers.push({ action: 'skip', reason });
      } else {
        claims.push({ index, id: row.id, jobId: item.jobId });
        answers.push({ action: 'send', reminder: toSend(row) });
      }
    }
  }
  if (skips.length) {
    await ctx.prisma.$executeRaw`
      UPDATE "Reminder" r SET status = 'cancelled', "skippedReason" = v.reason
      FROM unnest(${skips.map((s) => s.id)}::int[], ${skips.map((s) => s.jobId)}::text[], ${skips.map((s) => s.reason)}::text[]) AS v(id, job, reason)
      WHERE r.id = v.id AND r."jobId" = v.job AND r.status = 'scheduled'`;
  }
  if (claims.length) {
    const claimed = await ctx.prisma.$queryRaw<Array<{ id: number }>>`
      UPDATE "Reminder" r SET status = 'sent', "sentAt" = ${now}
      FROM unnest(${claims.map((c) => c.id)}::int[], ${claims.map((c) => c.jobId)}::text[]) AS v(id, job)
      WHERE r.id = v.id AND r."jobId" = v.job AND r.status = 'scheduled'
      RETURNING r.id`;
    const won = new Set(claimed.map((c) => c.id));
    // Lost to a concurrent change (a cancellation, another job of the same plan): nothing to send.
    for (const c of claims) if (!won.has(c.id)) answers[c.index] = { action: 'skip', reason: 'done' };
  }
  return answers;
}

function skipReason(row: Row, now: Date): SkipReason | null {
  if (row.shiftStatus !== 'scheduled') return 'shift_cancelled';
  if (row.signUpStatus !== 'confirmed') return 'not_confirmed';
  if (row.startsAt.getTime() <= now.getTime()) return 'too_late';
  if (row.optedOutAt) return 'opted_out';
  if (!row.platform || !row.externalId) return 'no_account';
  return null;
}

function toSend(row: Row): ReminderToSend {
  return {
    reminderId: row.id,
    kind: row.kind,
    signUpId: row.signUpId,
    personId: row.personId,
    projectNumber: row.number,
    projectTitle: row.title,
    shiftLabel: row.label,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    place: row.place,
    timezone: row.timezone,
    locale: row.personLocale ?? row.communityLocale,
    platform: row.platform as Platform,
    externalId: row.externalId as string,
  };
}
