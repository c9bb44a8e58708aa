import type { PrismaClient } from '../../db/prisma.ts';
import { MicroBatch } from '../../lib/micro-batch.ts';
import type { CoreContext } from '../context.ts';

/** One sign-up, validated by signUp: the shift it goes on, and its reminder plan if confirmed. */
export interface SignUpWrite {
  shiftId: number;
  personId: number;
  at: Date;
  /** The reminders a confirmed place gets (planReminderTimes): kinds and due times, in step. */
  kinds: string[];
  dueMs: number[];
  /** The community's offset kinds: a stale reminder of one of these is `too_late`, else `offsets_changed`. */
  offsetKinds: string[];
}

/** What the database decided for one sign-up. */
export interface SignUpWritten {
  /** The shift was found still scheduled (and locked). */
  found: boolean;
  /** null with `found`: the person already holds an active sign-up on the shift. */
  id: number | null;
  status: 'confirmed' | 'waitlisted' | null;
  /** A waitlisted person's place: how many are on the shift's waitlist with them. */
  place: number | null;
  add: Array<{ reminderId: number; jobId: string; dueAt: number }> | null;
  remove: string[] | null;
}

/**
 * Writes a validated sign-up. In a rush, the sign-ups that arrive while earlier ones are being
 * written go together, in one statement and one commit (a MicroBatch per database client): a
 * shift's row lock is then held across one WAL flush for a whole batch instead of one per person,
 * so a popular shift is no longer limited to one sign-up per disk flush.
 */
export function writeSignUp(ctx: CoreContext, w: SignUpWrite): Promise<SignUpWritten> {
  let batcher = batchers.get(ctx.prisma);
  if (!batcher) {
    const prisma = ctx.prisma;
    batcher = new MicroBatch((items: SignUpWrite[]) => writeSignUpBatch(prisma, items), 200, 4);
    batchers.set(ctx.prisma, batcher);
  }
  return batcher.add(w);
}

const batchers = new WeakMap<PrismaClient, MicroBatch<SignUpWrite, SignUpWritten>>();

/** The batch statement found that a sign-up it ranked was not inserted: its decisions are void. */
class BatchRaced extends Error {}

/** Writes sign-ups together (one alone: writeOne). Exported for the tests that race a batch. */
export async function writeSignUpBatch(prisma: PrismaClient, items: SignUpWrite[]): Promise<SignUpWritten[]> {
  if (items.length === 1) return [await writeOne(prisma, items[0]!)];
  try {
    return await prisma.$transaction((tx) => writeMany(tx as unknown as PrismaClient, items));
  } catch {
    // A race the batch cannot decide for itself (BatchRaced, below), a deadlock, a lost
    // connection: nothing of the batch was written. Each sign-up goes again alone, through the
    // statement that decides one sign-up whatever raced it.
    const out: SignUpWritten[] = [];
    for (const w of items) out.push(await writeOne(prisma, w));
    return out;
  }
}

interface ManyRow {
  k: number;
  found: boolean;
  id: number | null;
  status: 'confirmed' | 'waitlisted' | null;
  place: number | null;
  add: SignUpWritten['add'];
  remove: string[] | null;
  decided: number;
  inserted: number;
}

/**
 * Many sign-ups in one statement, decided in SQL as writeOne decides one, in arrival order (k):
 *
 * - `s` locks every shift of the batch, in id order (two batches never wait on each other in a
 *   circle), and reads their latest committed counters.
 * - `ok`: one request per person and shift (a person's second request in the same batch is
 *   ALREADY_SIGNED_UP), without an active sign-up there.
 * - `decided`: the n-th of a shift's requests is confirmed while n ≤ the shift's free places; the
 *   others are waitlisted after everyone already waiting, in the order they came.
 * - `ins` writes them (or revives a cancelled sign-up); `bump` adds what was written to the
 *   counters; the reminder plan is writeOne's, per sign-up.
 *
 * `ok` reads the statement's snapshot. The one thing it cannot see is the same person's sign-up
 * on the same shift from another process, committed after this statement began: ON CONFLICT sees
 * it and writes nothing for that request, and the places after it would be numbered wrong. Then
 * `inserted` < `decided`, the transaction is rolled back (BatchRaced), and writeSignUpBatch
 * writes each sign-up alone.
 */
async function writeMany(tx: PrismaClient, items: SignUpWrite[]): Promise<SignUpWritten[]> {
  const json = JSON.stringify(items.map((w, k) => ({ k, shift: w.shiftId, person: w.personId, at: w.at.getTime(), kinds: w.kinds, due: w.dueMs, offsets: w.offsetKinds })));
  const rows = await tx.$queryRaw<ManyRow[]>`
    WITH req AS (
      SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS r(k int, shift int, person int, at float8, kinds text[], due float8[], offsets text[])
    ), s AS (
      SELECT id, capacity, "confirmedCount", "waitlistSeq", "waitlistCount" FROM "Shift"
      WHERE id IN (SELECT shift FROM req) AND status = 'scheduled' ORDER BY id FOR UPDATE
    ), ok AS (
      SELECT DISTINCT ON (r.shift, r.person) r.* FROM req r JOIN s ON s.id = r.shift
      WHERE NOT EXISTS (SELECT 1 FROM "SignUp" u WHERE u."shiftId" = r.shift AND u."personId" = r.person AND u.status IN ('confirmed', 'waitlisted'))
      ORDER BY r.shift, r.person, r.k
    ), decided AS (
      SELECT o.*, (o.n <= s.room) AS confirmed, o.n - s.room AS wn, s."waitlistSeq", s."waitlistCount"
      FROM (SELECT ok.*, row_number() OVER (PARTITION BY ok.shift ORDER BY ok.k)::int AS n FROM ok) o
      JOIN (SELECT id, GREATEST(capacity - "confirmedCount", 0) AS room, "waitlistSeq", "waitlistCount" FROM s) s ON s.id = o.shift
    ), ins AS (
      INSERT INTO "SignUp" ("shiftId", "personId", status, "waitlistPosition", "createdAt")
      SELECT shift, person,
             (CASE WHEN confirmed THEN 'confirmed' ELSE 'waitlisted' END)::"SignUpStatus",
             CASE WHEN confirmed THEN NULL ELSE "waitlistSeq" + wn END,
             (to_timestamp(at / 1000.0) AT TIME ZONE 'UTC')::timestamp(3)
      FROM decided ORDER BY shift, n
      ON CONFLICT ("shiftId", "personId") DO UPDATE
        SET status = EXCLUDED.status, "waitlistPosition" = EXCLUDED."waitlistPosition", "cancelledAt" = NULL, "confirmedAt" = NULL, "createdAt" = EXCLUDED."createdAt"
        WHERE "SignUp".status NOT IN ('confirmed', 'waitlisted')
      RETURNING id, "shiftId", "personId", status::text AS status
    ), bump AS (
      UPDATE "Shift" sh
      SET "confirmedCount" = sh."confirmedCount" + c.confirmed,
          "waitlistSeq" = sh."waitlistSeq" + c.waitlisted,
          "waitlistCount" = sh."waitlistCount" + c.waitlisted
      FROM (SELECT "shiftId", count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted
            FROM ins GROUP BY "shiftId") c
      WHERE sh.id = c."shiftId"
      RETURNING sh.id
    ), mine AS (
      SELECT i.id, i.status, d.k, d.wn, d."waitlistCount", d.kinds, d.due, d.offsets
      FROM ins i JOIN decided d ON d.shift = i."shiftId" AND d.person = i."personId"
    ), plan AS (
      SELECT m.id AS "signUpId", x.kind, (to_timestamp(x.ms / 1000.0) AT TIME ZONE 'UTC')::timestamp(3) AS "dueAt"
      FROM mine m CROSS JOIN LATERAL unnest(m.kinds, m.due) AS x(kind, ms)
      WHERE m.status = 'confirmed'
    ), old AS (
      SELECT r.id, r."signUpId", r.kind, r.status::text AS status, r."dueAt", r.version, r."jobId", m.offsets
      FROM "Reminder" r JOIN mine m ON r."signUpId" = m.id WHERE m.status = 'confirmed'
    ), stale AS (
      UPDATE "Reminder" r
      SET status = 'cancelled', "skippedReason" = CASE WHEN o.kind = ANY(o.offsets) THEN 'too_late' ELSE 'offsets_changed' END
      FROM old o
      WHERE r.id = o.id AND o.kind <> 'manual' AND o.status = 'scheduled'
        AND NOT EXISTS (SELECT 1 FROM plan p WHERE p."signUpId" = o."signUpId" AND p.kind = o.kind)
      RETURNING o."signUpId", o."jobId"
    ), replan AS (
      UPDATE "Reminder" r
      SET status = 'scheduled', "dueAt" = p."dueAt", version = o.version + 1,
          "jobId" = 'rem-' || o."signUpId" || '-' || o.kind || '-v' || (o.version + 1),
          "sentAt" = NULL, answer = NULL, "skippedReason" = NULL
      FROM old o JOIN plan p ON p."signUpId" = o."signUpId" AND p.kind = o.kind
      WHERE r.id = o.id AND NOT (o.status = 'scheduled' AND o."dueAt" = p."dueAt" AND o."jobId" IS NOT NULL)
      RETURNING r."signUpId", r.id, r."jobId", r."dueAt", CASE WHEN o.status = 'scheduled' THEN o."jobId" END AS "oldJobId"
    ), fresh AS (
      INSERT INTO "Reminder" ("signUpId", kind, "dueAt", version, "jobId")
      SELECT p."signUpId", p.kind, p."dueAt", 1, 'rem-' || p."signUpId" || '-' || p.kind || '-v1'
      FROM plan p
      WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o."signUpId" = p."signUpId" AND o.kind = p.kind)
      RETURNING "signUpId", id, "jobId", "dueAt"
    ), added AS (
      SELECT "signUpId", json_agg(json_build_object('reminderId', id, 'jobId', "jobId", 'dueAt', (EXTRACT(EPOCH FROM "dueAt") * 1000)::float8) ORDER BY "dueAt") AS add
      FROM (SELECT "signUpId", id, "jobId", "dueAt" FROM replan UNION ALL SELECT "signUpId", id, "jobId", "dueAt" FROM fresh) a
      GROUP BY "signUpId"
    ), removed AS (
      SELECT "signUpId", json_agg(j) AS remove
      FROM (SELECT "signUpId", "jobId" AS j FROM stale UNION ALL SELECT "signUpId", "oldJobId" FROM replan) x
      WHERE j IS NOT NULL GROUP BY "signUpId"
    )
    SELECT r.k, (r.shift IN (SELECT id FROM s)) AS found, m.id, m.status,
           CASE WHEN m.status = 'waitlisted' THEN m."waitlistCount" + m.wn END AS place,
           a.add, rm.remove,
           (SELECT count(*) FROM decided)::int AS decided, (SELECT count(*) FROM ins)::int AS inserted
    FROM req r
    LEFT JOIN mine m ON m.k = r.k
    LEFT JOIN added a ON a."signUpId" = m.id
    LEFT JOIN removed rm ON rm."signUpId" = m.id
    ORDER BY r.k`;
  if (rows.length !== items.length) throw new Error(`the sign-up batch answered ${rows.length} of ${items.length}`);
  if (rows[0]!.inserted !== rows[0]!.decided) throw new BatchRaced();
  return rows.map((r) => ({ found: r.found, id: r.id, status: r.status, place: r.place, add: r.add, remove: r.remove }));
}

/**
 * One sign-up in one statement (autocommit, no interactive transaction):
 *
 * - `s` locks the shift row (`FOR UPDATE`). Under READ COMMITTED a row lock returns the row's
 *   latest committed version, so `confirmedCount < capacity` and `waitlistSeq + 1` are decided
 *   against every sign-up that committed before, whatever the statement's snapshot.
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
 */
async function writeOne(prisma: PrismaClient, w: SignUpWrite): Promise<SignUpWritten> {
  const [row] = await prisma.$queryRaw<SignUpWritten[]>`
    WITH s AS (
      SELECT id, capacity, "confirmedCount", "waitlistSeq", "waitlistCount" FROM "Shift" WHERE id = ${w.shiftId} AND status = 'scheduled' FOR UPDATE
    ), ins AS (
      INSERT INTO "SignUp" ("shiftId", "personId", status, "waitlistPosition", "createdAt")
      SELECT s.id, ${w.personId},
             (CASE WHEN s."confirmedCount" < s.capacity THEN 'confirmed' ELSE 'waitlisted' END)::"SignUpStatus",
             CASE WHEN s."confirmedCount" < s.capacity THEN NULL ELSE s."waitlistSeq" + 1 END,
             ${w.at}
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
      FROM ins WHERE sh.id = ${w.shiftId}
      RETURNING sh."waitlistCount"
    ), plan AS (
      SELECT x.kind, (to_timestamp(x.ms / 1000.0) AT TIME ZONE 'UTC')::timestamp(3) AS "dueAt"
      FROM unnest(${w.kinds}::text[], ${w.dueMs}::float8[]) AS x(kind, ms)
    ), old AS (
      SELECT r.id, r."signUpId", r.kind, r.status::text AS status, r."dueAt", r.version, r."jobId"
      FROM "Reminder" r JOIN ins ON r."signUpId" = ins.id WHERE ins.status = 'confirmed'
    ), stale AS (
      UPDATE "Reminder" r
      SET status = 'cancelled', "skippedReason" = CASE WHEN o.kind = ANY(${w.offsetKinds}::text[]) THEN 'too_late' ELSE 'offsets_changed' END
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
           (SELECT "waitlistCount" FROM bump WHERE (SELECT status FROM ins) = 'waitlisted') AS place,
           (SELECT json_agg(json_build_object('reminderId', id, 'jobId', "jobId", 'dueAt', (EXTRACT(EPOCH FROM "dueAt") * 1000)::float8) ORDER BY "dueAt") FROM added) AS add,
           (SELECT json_agg(j) FROM (SELECT "jobId" AS j FROM stale UNION ALL SELECT "oldJobId" FROM replan) x WHERE j IS NOT NULL) AS remove`;
  if (!row) throw new Error('the sign-up statement returned no row');
  return row;
}
