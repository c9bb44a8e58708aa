// Capacity is enforced by the database in one statement, never by reading and then writing:
// 500 people signing up at once for 20 places give exactly 20 confirmed and 480 waitlisted,
// waitlist places 1..480 with no gap and no duplicate, each person told the place stored for them.
// (The 5,000-person rush and its speed are in the benchmark: `npm run bench -- signups`.)
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { changeProjectStatus } from '../../../src/core/projects/change-status.ts';
import { signUp, type SignUpResult } from '../../../src/core/signups/sign-up.ts';
import { cancelSignUp } from '../../../src/core/signups/cancel-sign-up.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';

const day = 86_400_000;

describe('sign-ups under contention (real Postgres)', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let communityId: number;
  let people: number[];
  const clock = new TestClock(new Date(Date.now() - 30 * day));

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    communityId = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    await db.prisma.person.createMany({ data: Array.from({ length: 600 }, (_, i) => ({ displayName: `居民${i}` })) });
    people = (await db.prisma.person.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
    // Afternoon shifts in Asia/Shanghai (06:00 UTC), so the default 24h and 2h reminders both stay.
    const start = new Date(Math.floor((clock.now().getTime() + 7 * day) / day) * day + 6 * 3_600_000);
    await createProject(ctx, { communityId, title: '社区大扫除', shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), capacity: 20 }] });
    await createProject(ctx, {
      communityId,
      title: '三个班次',
      shifts: [0, 1, 2].map((k) => ({ startsAt: new Date(start.getTime() + k * day), endsAt: new Date(start.getTime() + k * day + 7_200_000), capacity: 2 })),
    });
    for (const number of [1, 2]) await changeProjectStatus(ctx, { communityId, number, to: 'published', actorId: null, via: 'cli' });
  });
  afterAll(async () => db?.drop());

  const shiftOf = (number: number, label = 'A') => db.prisma.shift.findFirstOrThrow({ where: { label, project: { communityId, number } } });

  test('500 concurrent sign-ups for 20 places', { timeout: 60_000 }, async () => {
    const crowd = people.slice(0, 500);
    const results = await Promise.allSettled(crowd.map((personId) => signUp(ctx, { communityId, projectNumber: 1, personId })));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.map((f) => String((f as PromiseRejectedResult).reason)).slice(0, 3)).toEqual([]);

    const rows = await db.prisma.signUp.findMany({ where: { shift: { project: { number: 1 } } }, select: { id: true, status: true, waitlistPosition: true, personId: true } });
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.personId)).size).toBe(500);
    const confirmedRows = rows.filter((r) => r.status === 'confirmed');
    expect(confirmedRows).toHaveLength(20);
    const places = rows.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition ?? -1).sort((a, b) => a - b);
    expect(places).toEqual(Array.from({ length: 480 }, (_, i) => i + 1));
    const shift = await shiftOf(1);
    expect({ confirmed: shift.confirmedCount, seq: shift.waitlistSeq, waitlist: shift.waitlistCount }).toEqual({ confirmed: 20, seq: 480, waitlist: 480 });

    // What each person was told matches what was recorded, reminders included.
    const told = new Map(crowd.map((personId, i) => [personId, (results[i] as PromiseFulfilledResult<SignUpResult>).value]));
    for (const r of rows) {
      const t = told.get(r.personId)!;
      expect(t.status).toBe(r.status);
      if (t.status === 'waitlisted') expect(t.place).toBe(r.waitlistPosition);
    }
    const reminders = await db.prisma.reminder.findMany({ where: { signUpId: { in: confirmedRows.map((r) => r.id) } }, select: { id: true, jobId: true, status: true } });
    expect(reminders).toHaveLength(40); // 24h and 2h for each confirmed place, none for the waitlist
    const planned = [...told.values()].flatMap((t) => t.reminders.add.map((a) => a.jobId)).sort();
    expect(planned).toEqual(reminders.map((r) => r.jobId!).sort());
    expect(await db.prisma.reminder.count({ where: { signUpId: { notIn: confirmedRows.map((r) => r.id) } } })).toBe(0);
  });

  test('10 cancellations at once promote the first 10 of the waitlist, each exactly once', { timeout: 60_000 }, async () => {
    const confirmed = await db.prisma.signUp.findMany({ where: { status: 'confirmed', shift: { project: { number: 1 } } }, take: 10, select: { personId: true } });
    const first10 = await db.prisma.signUp.findMany({ where: { status: 'waitlisted', shift: { project: { number: 1 } } }, orderBy: { waitlistPosition: 'asc' }, take: 10, select: { personId: true } });
    const results = await Promise.all(confirmed.map((c) => cancelSignUp(ctx, { communityId, projectNumber: 1, personId: c.personId })));
    const promoted = results.flatMap((r) => r.promoted.map((p) => p.personId)).sort((a, b) => a - b);
    expect(promoted).toEqual(first10.map((f) => f.personId).sort((a, b) => a - b));
    const shift = await shiftOf(1);
    expect(shift.confirmedCount).toBe(20);
    expect(shift.waitlistCount).toBe(470);
    expect(await db.prisma.signUp.count({ where: { status: 'confirmed', shift: { project: { number: 1 } } } })).toBe(20);
  });

  test('after people leave the waitlist, a newcomer is told the places actually ahead of them', async () => {
    const leaving = await db.prisma.signUp.findMany({ where: { status: 'waitlisted', shift: { project: { number: 1 } } }, orderBy: { waitlistPosition: 'asc' }, take: 5, select: { personId: true } });
    for (const l of leaving) await cancelSignUp(ctx, { communityId, projectNumber: 1, personId: l.personId });
    const r = await signUp(ctx, { communityId, projectNumber: 1, personId: people[500]! });
    const active = await db.prisma.signUp.count({ where: { status: 'waitlisted', shift: { project: { number: 1 } } } });
    expect(r).toMatchObject({ status: 'waitlisted', place: active });
    expect(active).toBe(466); // 480 − 10 promoted − 5 who left + the newcomer
  });

  test("the same person's two sign-ups at once (two accounts): one place, the other is told they are already signed up", async () => {
    const twice = await Promise.allSettled([0, 1, 2].map(() => signUp(ctx, { communityId, projectNumber: 2, shiftLabel: 'A', personId: people[510]! })));
    expect(twice.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of twice) if (r.status === 'rejected') expect(isAppError(r.reason, 'ALREADY_SIGNED_UP')).toBe(true);
    const shift = await shiftOf(2, 'A');
    expect({ confirmed: shift.confirmedCount, seq: shift.waitlistSeq, waitlist: shift.waitlistCount }).toEqual({ confirmed: 1, seq: 0, waitlist: 0 });
    expect(await db.prisma.signUp.count({ where: { personId: people[510]! } })).toBe(1);
  });

  test('without a shift letter: the first shift with room; signed up on every shift, refused', async () => {
    const who = people[520]!;
    const seen: string[] = [];
    for (let k = 0; k < 3; k++) seen.push((await signUp(ctx, { communityId, projectNumber: 2, personId: who })).shift.label);
    expect(seen).toEqual(['A', 'B', 'C']);
    await expect(signUp(ctx, { communityId, projectNumber: 2, personId: who })).rejects.toMatchObject({ code: 'ALREADY_SIGNED_UP' });
    await expect(signUp(ctx, { communityId, projectNumber: 2, shiftLabel: 'B', personId: who })).rejects.toMatchObject({ code: 'ALREADY_SIGNED_UP' });
    // Shift A now has two (full): a newcomer without a letter gets B.
    expect((await signUp(ctx, { communityId, projectNumber: 2, personId: people[521]! })).shift.label).toBe('B');
  });

  test('signing up again after cancelling: the same row, its reminders planned afresh (a new version, the old jobs gone)', async () => {
    const who = people[530]!;
    const first = await signUp(ctx, { communityId, projectNumber: 2, shiftLabel: 'C', personId: who });
    expect(first.status).toBe('confirmed');
    expect(first.reminders.add.map((a) => a.jobId)).toEqual([expect.stringMatching(/^rem-\d+-24h-v1$/), expect.stringMatching(/^rem-\d+-2h-v1$/)]);
    const cancelled = await cancelSignUp(ctx, { communityId, projectNumber: 2, personId: who });
    expect(cancelled.reminders.remove.sort()).toEqual(first.reminders.add.map((a) => a.jobId).sort());
    const again = await signUp(ctx, { communityId, projectNumber: 2, shiftLabel: 'C', personId: who });
    expect(again.status).toBe('confirmed');
    expect(again.reminders.add.map((a) => a.jobId)).toEqual([expect.stringMatching(/^rem-\d+-24h-v2$/), expect.stringMatching(/^rem-\d+-2h-v2$/)]);
    expect(again.reminders.remove).toEqual([]);
    const rows = await db.prisma.reminder.findMany({ where: { signUp: { personId: who } }, orderBy: { kind: 'asc' } });
    expect(rows.map((r) => [r.kind, r.status, r.version, r.jobId])).toEqual([
      ['24h', 'scheduled', 2, again.reminders.add[0]!.jobId],
      ['2h', 'scheduled', 2, again.reminders.add[1]!.jobId],
    ]);
    expect(await db.prisma.signUp.count({ where: { personId: who } })).toBe(1);
  });
});
