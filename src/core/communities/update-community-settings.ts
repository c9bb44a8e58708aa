import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { formatQuietHours, isValidTimeZone, parseQuietHours, parseReminderOffsets } from '../reminders/reminder-times.ts';
import { planReminders, type ReminderChanges } from '../reminders/plan-reminders.ts';

export const communitySettingsInput = z.object({
  code: z.string().trim().toUpperCase(),
  /** "24h,2h", "5m": reminder offsets before a shift. */
  reminders: z.string().optional(),
  /** "22:00-08:00", or "off". */
  quiet: z.string().optional(),
  /** An IANA time zone, e.g. Asia/Shanghai. */
  timezone: z.string().optional(),
  checkinCodeSeconds: z.number().int().min(60).max(3600).optional(),
  hoursRoundMinutes: z.number().int().min(1).max(120).optional(),
  hoursMinMinutes: z.number().int().min(0).max(240).optional(),
  /** "2h", "90m" or "off": how long before a shift a volunteer silent after the last reminder is reported. */
  silentAfter: z.string().optional(),
  /** Whether a reported volunteer's place goes to the waitlist. */
  silentReleasesPlace: z.boolean().optional(),
  actorId: z.number().int().nullable().default(null),
  via: z.enum(['chat', 'cli', 'api', 'console']).default('cli'),
});
export type CommunitySettingsInput = z.input<typeof communitySettingsInput>;

/** "2h", "90m", "1h30m" or "off" (0: never report) as minutes, at most a week. Throws on anything else. */
export function parseSilentAfter(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === '0') return 0;
  const m = /^(?:(\d{1,3})h)?\s*(?:(\d{1,5})m)?$/.exec(t);
  if (!m || (m[1] === undefined && m[2] === undefined)) throw new Error(`silent-after "${text}": expected e.g. 2h, 90m or off`);
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  if (minutes < 1 || minutes > 7 * 24 * 60) throw new Error(`silent-after "${text}": between 1m and 168h, or off`);
  return minutes;
}

/** Minutes as `community set` shows them: "2h", "90m", "off". Pure. */
export function formatSilentAfter(minutes: number): string {
  if (minutes <= 0) return 'off';
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/**
 * Changes a community's reminder offsets, quiet hours, time zone (and check-in code period, hours
 * rounding, and when volunteers silent after the last reminder are reported, releasing their place
 * or not). Values are checked and stored in their canonical form ("24h,2h",
 * "22:00-08:00" or null); a bad one is INVALID_INPUT naming it. Reminders still scheduled for
 * shifts to come are planned again under the new settings (reminders already sent stay as they
 * are): the returned changes are the jobs to add and remove. Audited with before and after.
 */
export async function updateCommunitySettings(ctx: CoreContext, input: CommunitySettingsInput) {
  const i = communitySettingsInput.parse(input);
  const data: {
    reminderOffsets?: string;
    quietHours?: string | null;
    timezone?: string;
    checkinCodeSeconds?: number;
    hoursRoundMinutes?: number;
    hoursMinMinutes?: number;
    silentReportMinutes?: number;
    silentReleasesPlace?: boolean;
  } = {};
  try {
    if (i.reminders !== undefined) data.reminderOffsets = parseReminderOffsets(i.reminders).map((o) => o.kind).join(',');
    if (i.quiet !== undefined) data.quietHours = formatQuietHours(parseQuietHours(i.quiet));
    if (i.silentAfter !== undefined) data.silentReportMinutes = parseSilentAfter(i.silentAfter);
  } catch (e) {
    throw new AppError('INVALID_INPUT', { reason: e instanceof Error ? e.message : String(e) });
  }
  if (i.timezone !== undefined) {
    if (!isValidTimeZone(i.timezone)) throw new AppError('INVALID_INPUT', { reason: `time zone "${i.timezone}" is not an IANA zone such as Asia/Shanghai` });
    data.timezone = i.timezone;
  }
  for (const k of ['checkinCodeSeconds', 'hoursRoundMinutes', 'hoursMinMinutes'] as const) if (i[k] !== undefined) data[k] = i[k];
  if (i.silentReleasesPlace !== undefined) data.silentReleasesPlace = i.silentReleasesPlace;
  const community = await ctx.prisma.community.findUnique({ where: { code: i.code } });
  if (!community) throw new AppError('COMMUNITY_NOT_FOUND', { code: i.code });
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, community.id);
  return ctx.prisma.$transaction(
    async (tx) => {
      const updated = await tx.community.update({ where: { id: community.id }, data });
      const pick = (c: typeof community) => ({
        reminderOffsets: c.reminderOffsets,
        quietHours: c.quietHours,
        timezone: c.timezone,
        checkinCodeSeconds: c.checkinCodeSeconds,
        hoursRoundMinutes: c.hoursRoundMinutes,
        hoursMinMinutes: c.hoursMinMinutes,
        silentReportMinutes: c.silentReportMinutes,
        silentReleasesPlace: c.silentReleasesPlace,
      });
      await writeAudit(tx, {
        communityId: community.id,
        actorId: i.actorId,
        via: i.via,
        action: 'community.settings',
        entity: 'Community',
        entityId: community.id,
        before: pick(community),
        after: pick(updated),
      });
      let reminders: ReminderChanges = { add: [], remove: [] };
      // A new silence time plans new checks (the old checks' jobs find their time is not the shift's).
      if (data.reminderOffsets !== undefined || data.quietHours !== undefined || data.timezone !== undefined || data.silentReportMinutes !== undefined) {
        const signUps = await tx.signUp.findMany({
          where: { status: 'confirmed', shift: { status: 'scheduled', startsAt: { gt: ctx.clock.now() }, project: { communityId: community.id } } },
          select: { id: true },
        });
        reminders = await planReminders(tx, signUps.map((s) => s.id), { now: ctx.clock.now(), reset: false });
      }
      return { community: updated, reminders };
    },
    { timeout: 120_000 },
  );
}
