import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { isPast, parseShiftEnd, parseWhen, resolveShiftTimes, type ShiftTimeProblem } from '../../lib/time.ts';
import { isNeedCategory } from '../../core/needs/categories.ts';
import { communityCodeSchema } from '../../core/communities/create-community.ts';
import { cleanLine, cleanText } from '../../lib/clean-text.ts';
import { idNumber, idParam, maxId } from '../../lib/id-schema.ts';
import type { CustomIssue } from './errors.ts';

/** A custom zod issue whose message errors.ts words in the caller's language. */
function issue(key: CustomIssue, path: PropertyKey[] = []) {
  return { code: 'custom' as const, params: { key }, path, input: undefined };
}

/**
 * Free text in a body: cleaned at the door (NUL, control and bidi override characters, lone
 * surrogates removed: src/lib/clean-text.ts), then trimmed. `line` for one line, `text` for more.
 */
const line = () => z.string().overwrite(cleanLine).trim();
const text = () => z.string().overwrite(cleanText).trim();

/** The local form of an instant in a zone: "2026-12-05 09:00". */
export function formatLocal(d: Date, zone: string): string {
  return DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

const when = (zone: string) =>
  z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const d = parseWhen(s, zone);
      if (!d) {
        ctx.addIssue(issue('time'));
        return z.NEVER;
      }
      return d;
    });

// ---- path parameters -------------------------------------------------------------------------

export const communityParams = z.object({ code: communityCodeSchema });
export const projectParams = z.object({ number: idParam });
export const idParams = z.object({ id: idParam });

// ---- queries ---------------------------------------------------------------------------------

const projectStatuses = ['draft', 'review', 'published', 'in_progress', 'closed', 'evaluated', 'declined'] as const;
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));
const limit = (dflt: number, max: number) => z.coerce.number().int().min(1).max(max).default(dflt);

export const listProjectsQuery = z.object({
  /** One status or several, comma-separated: `?status=draft,review`. */
  status: csv(projectStatuses).optional(),
  limit: limit(100, 500),
  /** Projects numbered after this one (paging): the previous page's `next`. */
  after: z.coerce.number().int().min(0).max(maxId).default(0),
});

export const listClaimsQuery = z.object({
  status: csv(['pending', 'approved', 'declined', 'withdrawn'] as const).optional(),
  limit: limit(100, 500),
});

export const listNeedsQuery = z.object({
  status: csv(['open', 'merged', 'in_project', 'resolved', 'rejected', 'referred'] as const).default(['open']),
  limit: limit(50, 500),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

// ---- bodies ----------------------------------------------------------------------------------

/** The API's words for what the shared shift rule refuses (src/lib/time.ts resolveShiftTimes). */
const shiftIssues: Record<ShiftTimeProblem, CustomIssue> = {
  format: 'time',
  start: 'time',
  end: 'endTime',
  endNotAfterStart: 'endAfterStart',
  endBeforeStart: 'endBeforeStart',
  tooLong: 'shiftTooLong',
};

/**
 * A shift: `start` as {@link parseWhen} reads it; `end` the same, or a bare time ("06:00") on the
 * start's local day, the next day when it is not after the start, so 23:56 to "00:56" is an hour.
 * A full `end` before the start is refused (its writer gave the date); no shift is over 24 hours.
 */
const shiftBody = (zone: string) =>
  z
    .object({
      start: when(zone),
      end: z
        .string()
        .max(40)
        .transform((s, ctx) => {
          const e = parseShiftEnd(s, zone);
          if (!e) {
            ctx.addIssue(issue('endTime'));
            return z.NEVER;
          }
          return e;
        }),
      capacity: z.number().int().min(1).max(100_000),
      place: line().max(200).default(''),
      skills: z.array(line().min(1).max(50)).max(20).default([]),
    })
    .transform((s, ctx) => {
      const r = resolveShiftTimes(s.start, s.end, zone);
      if (!r.ok) {
        ctx.addIssue(issue(shiftIssues[r.problem], ['end']));
        return z.NEVER;
      }
      return { startsAt: r.start, endsAt: r.end, capacity: s.capacity, place: s.place, skills: s.skills };
    });

/** A shift as the API takes it; times in the community's zone (or ISO instants). */
export const addShiftBody = shiftBody;

/** POST projects. */
export const createProjectBody = (zone: string) =>
  z.object({
    title: line().min(1).max(100),
    description: text().max(2000).default(''),
    category: z
      .string()
      .superRefine((c, ctx) => {
        if (!isNeedCategory(c)) ctx.addIssue(issue('category'));
      })
      .optional(),
    needs: z.array(idNumber).max(50).default([]),
    claimType: z.enum(['volunteers', 'organization', 'both']).default('volunteers'),
    allowMultipleClaims: z.boolean().default(false),
    shifts: z.array(shiftBody(zone)).max(100).default([]),
  });

/** PATCH projects/:number: a status transition and/or title and description. */
export const patchProjectBody = z
  .object({
    status: z
      .enum(projectStatuses)
      .superRefine((s, ctx) => {
        if (s === 'published') ctx.addIssue(issue('publishVia'));
      })
      .optional(),
    title: line().min(1).max(100).optional(),
    description: text().max(2000).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.status === undefined && b.title === undefined && b.description === undefined) ctx.addIssue(issue('patchEmpty'));
  });

const cronPattern = /^(\S+\s+){4,5}\S+$/;
const cronField = /^[0-9A-Za-z*?/,\-#LW]+$/;

/** POST projects/:number/publish. */
export const publishBody = (zone: string, now: Date) =>
  z
    .object({
      /** Group titles or platform chat ids; absent or empty: every bound group of the community. */
      groups: z.array(line().min(1).max(200)).max(10_000).optional(),
      at: when(zone).optional(),
      cron: z
        .string()
        .trim()
        .max(100)
        .superRefine((c, ctx) => {
          if (!cronPattern.test(c) || !c.split(/\s+/).every((f) => cronField.test(f))) ctx.addIssue(issue('cron'));
        })
        .optional(),
      tz: z
        .string()
        .max(64)
        .superRefine((tz, ctx) => {
          if (!IANAZone.isValidZone(tz)) ctx.addIssue(issue('timezone'));
        })
        .optional(),
    })
    .superRefine((b, ctx) => {
      if (b.at && b.cron) ctx.addIssue(issue('atOrCron', ['cron']));
      // A minute's grace: "09:00" typed at 09:00:30 means now (the CLI's --at keeps the same rule).
      if (b.at && isPast(b.at, now)) ctx.addIssue(issue('pastTime', ['at']));
    });

/** POST claims/:id/decline. */
export const declineBody = z.object({ reason: line().max(200).default('') });
