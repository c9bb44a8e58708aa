// Sign-ups that arrive together are written together (src/core/signups/write-sign-ups.ts): one
// statement decides a batch in arrival order. These tests hand batches to writeSignUpBatch directly,
// with what each request met in the database, and read back what was stored.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { changeProjectStatus } from '../../../src/core/projects/change-status.ts';
import { signUp } from '../../../src/core/signups/sign-up.ts';
import { cancelSignUp } from '../../../src/core/signups/cancel-sign-up.ts';
import { writeSignUpBatch, type SignUpWrite } from '../../../src/core/signups/write-sign-ups.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { openDatabase, type DatabaseHandle } from '../../../src/db/prisma.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';

const day = 86_400_000;

describe('a batch of sign-ups in one statement (real Postgres)', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let communityId: number;
  let people: number[];
  const clock = new TestClock(new Date(Date.now() - 30 * day));
  const start = new Date(Math.floor((clock.now().getTime() + 7 * day) / day) * day + 6 * 3_600_000);
  let project = 0;

  /** A published project with one shift of `capacity` places: its shift id. */
  async function shiftWith(capacity: number): Promise<number> {
    project++;
    await createProject(ctx, { communityId, title: `班次${project}`, shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), capacity }] });
    await changeProjectStatus(ctx, { communityId, number: project, to: 'published', actorId: null, via: 'cli' });
    return (await db.prisma.shift.findFirstOrThrow({ where: { project: { communityId, number: project } } })).id;
  }
  const write = (shiftId: number, personId: number): SignUpWrite => ({
    shiftId,
    personId,
    at: clock.now(),
    kinds: ['24h', '2h'],
    dueMs: [start.getTime() - day, start.getTime() - 2 * 3_600_000],
    offsetKinds: ['24h', '2h'],
  });
  const stored = (shiftId: number) =>
    db.prisma.signUp.findMany({ where: { shiftId }, orderBy: { id: 'asc' }, select: { personId: true, status: true, waitlistPosition: true, _count: { select: { reminders: { where: { status: 'scheduled' } } } } } });
  const counters = async (shiftId: number) => {
    const s = await db.prisma.shift.findUniqueOrThrow({ where: { id: shiftId } });
    return { confirmed: s.confirmedCount, seq: s.waitlistSeq, waitlist: s.waitlistCount };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    communityId = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    await db.prisma.person.createMany({ data: Array.from({ length: 60 }, (_, i) => ({ displayName: `居民${i}` })) });
    people = (await db.prisma.person.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
  });
  afterAll(async () => db?.drop());

  test('in arrival order: the first ones take the places, the rest wait 1, 2, 3; a second request of the same person is refused', async () => {
    const shiftId = await shiftWith(2);
    const [a, b, c, d, e] = people as [number, number, number, number, number];
    const out = await writeSignUpBatch(db.prisma, [write(shiftId, a), write(shiftId, b), write(shiftId, a), write(shiftId, c), write(shiftId, d), write(shiftId, e)]);
    expect(out.map((o) => [o.status, o.place])).toEqual([
      ['confirmed', null],
      ['confirmed', null],
      [null, null], // a again: already signed up
      ['waitlisted', 1],
      ['waitlisted', 2],
      ['waitlisted', 3],
    ]);
    expect(out[2]).toMatchObject({ found: true, id: null });
    expect(out[0]!.add!.map((r) => r.jobId)).toEqual([`rem-${out[0]!.id}-24h-v1`, `rem-${out[0]!.id}-2h-v1`]);
    expect(out[3]!.add).toBeNull();
    const rows = await stored(shiftId);
    expect(rows.map((r) => [r.personId, r.status, r.waitlistPosition, r._count.reminders])).toEqual([
      [a, 'confirmed', null, 2],
      [b, 'confirmed', null, 2],
      [c, 'waitlisted', 1, 0],
      [d, 'waitlisted', 2, 0],
      [e, 'waitlisted', 3, 0],
    ]);
    expect(await counters(shiftId)).toEqual({ confirmed: 2, seq: 3, waitlist: 3 });
  });

  test('people who cancelled come back in a batch: their own rows, reminders planned afresh as version 2; the waitlist goes on after the last number', async () => {
    const shiftId = await shiftWith(3);
    const [a, b, c, d] = people.slice(10) as [number, number, number, number];
    const project_ = project;
    for (const p of [a, b, c]) await signUp(ctx, { communityId, projectNumber: project_, personId: p });
    await signUp(ctx, { communityId, projectNumber: project_, personId: d }); // waitlisted 1
    await cancelSignUp(ctx, { communityId, projectNumber: project_, personId: a }); // d promoted
    await cancelSignUp(ctx, { communityId, projectNumber: project_, personId: b }); // a free place
    const out = await writeSignUpBatch(db.prisma, [write(shiftId, b), write(shiftId, a)]);
    expect(out.map((o) => [o.status, o.place])).toEqual([['confirmed', null], ['waitlisted', 1]]);
    expect(out[0]!.add!.map((r) => r.jobId)).toEqual([`rem-${out[0]!.id}-24h-v2`, `rem-${out[0]!.id}-2h-v2`]);
    const rows = await stored(shiftId);
    expect(rows).toHaveLength(4); // no new rows: a and b revived their own
    expect(Object.fromEntries(rows.map((r) => [r.personId, [r.status, r.waitlistPosition]]))).toEqual({
      [a]: ['waitlisted', 2], // after d's number 1, which is never given again
      [b]: ['confirmed', null],
      [c]: ['confirmed', null],
      [d]: ['confirmed', null], // promoted when a left
    });
    expect(await counters(shiftId)).toMatchObject({ confirmed: 3, waitlist: 1 });
  });

  test('a batch across shifts, one of them cancelled meanwhile: that request is told the shift is gone, the others are written', async () => {
    const open = await shiftWith(1);
    const gone = await shiftWith(1);
    await db.prisma.shift.update({ where: { id: gone }, data: { status: 'cancelled' } });
    const [a, b, c] = people.slice(20) as [number, number, number];
    const out = await writeSignUpBatch(db.prisma, [write(gone, a), write(open, b), write(open, c)]);
    expect(out.map((o) => [o.found, o.status, o.place])).toEqual([[false, null, null], [true, 'confirmed', null], [true, 'waitlisted', 1]]);
    expect(await db.prisma.signUp.count({ where: { shiftId: gone } })).toBe(0);
    expect(await counters(open)).toEqual({ confirmed: 1, seq: 1, waitlist: 1 });
  });

  test("another process signs the same person up while the batch waits for the shift's lock: the batch is undone and each sign-up written alone, with no gap in the waitlist", async () => {
    const shiftId = await shiftWith(1);
    const [x, y, z] = people.slice(30) as [number, number, number];
    // "Another process": a second connection pool on the same schema, holding the shift's row
    // lock while it signs x up, and committing only once the batch is waiting behind it.
    const other: DatabaseHandle = openDatabase(db.url, { schema: db.schema, max: 2 });
    const conn = await other.pool.connect();
    try {
      await conn.query('BEGIN');
      await conn.query(`UPDATE "Shift" SET "confirmedCount" = "confirmedCount" + 1 WHERE id = $1`, [shiftId]);
      await conn.query(`INSERT INTO "SignUp" ("shiftId", "personId", status, "createdAt") VALUES ($1, $2, 'confirmed', now())`, [shiftId, x]);
      const batch = writeSignUpBatch(db.prisma, [write(shiftId, x), write(shiftId, y), write(shiftId, z)]);
      for (let i = 0; i < 200; i++) {
        const waiting = await conn.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%jsonb_to_recordset%'`);
        if (waiting.rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await conn.query('COMMIT');
      const out = await batch;
      expect(out.map((o) => [o.found, o.id === null, o.status, o.place])).toEqual([
        [true, true, null, null], // x: the other process's sign-up won
        [true, false, 'waitlisted', 1],
        [true, false, 'waitlisted', 2],
      ]);
    } finally {
      conn.release();
      await other.close();
    }
    const rows = await stored(shiftId);
    expect(rows.map((r) => [r.personId, r.status, r.waitlistPosition])).toEqual([
      [x, 'confirmed', null],
      [y, 'waitlisted', 1],
      [z, 'waitlisted', 2],
    ]);
    expect(await counters(shiftId)).toEqual({ confirmed: 1, seq: 2, waitlist: 2 });
  });
});
