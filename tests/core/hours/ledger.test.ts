// The hours ledger (公益银行) is append-only, enforced by the database itself (a trigger in the
// `volunteering` migration), not only by the code: an approved entry can be neither changed nor
// deleted, by Prisma or by plain SQL; the one change any entry allows is its decision, once; a
// mistake is corrected by a new entry pointing at the one it corrects.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { creditShiftHours } from '../../../src/core/hours/credit-hours.ts';
import { correctHoursEntry, decideHoursEntry, approvePendingHours } from '../../../src/core/hours/approve-hours.ts';
import { personHours } from '../../../src/core/hours/hours-summary.ts';
import { grantRole } from '../../../src/core/roles/grant-role.ts';

describe('the hours ledger is append-only', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let communityId: number;
  let projectId: number;
  let shiftId: number;
  let alice: number;
  let bob: number;
  let worker: number;
  const clock = new TestClock('2026-12-05T12:00+08:00');

  const credit = (personId: number, minutes: number) =>
    ctx.prisma.$transaction((tx) =>
      creditShiftHours(tx, { personId, projectId, shiftId, minutes, rule: { roundMinutes: 30, minMinutes: 15 }, reason: 'attended', createdById: null, now: clock.now() }),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    const c = await createCommunity(ctx, { code: 'HT01', name: '回天一社区' });
    communityId = c.id;
    const { project } = await createProject(ctx, {
      communityId,
      title: '楼道灯维修',
      shifts: [{ startsAt: new Date('2026-12-05T09:00+08:00'), endsAt: new Date('2026-12-05T11:00+08:00'), capacity: 5 }],
    });
    projectId = project.id;
    shiftId = project.shifts[0]!.id;
    alice = await ensurePerson(ctx, 'web', 'alice', '小一');
    bob = await ensurePerson(ctx, 'web', 'bob', '小二');
    worker = (await grantRole(ctx, { community: 'HT01', role: 'worker', platform: 'web', user: 'wang', name: '王书记' })).personId;
  });
  afterAll(async () => db?.drop());

  test('one original entry per person and shift; the stay is rounded (2 h 05 → 2 h); under 15 minutes credits nothing', async () => {
    const e = await credit(alice, 125);
    expect(Number(e!.hours)).toBe(2);
    expect(e!.status).toBe('pending');
    expect(await credit(alice, 300)).toBeNull(); // already credited for this shift
    expect(await credit(bob, 14)).toBeNull();
  });

  test('an approved entry cannot be changed or deleted, by Prisma or by SQL: only corrected', async () => {
    const entry = (await ctx.prisma.hoursEntry.findFirst({ where: { personId: alice } }))!;
    const approved = await decideHoursEntry(ctx, { communityId, entryId: entry.id, approve: true, actorId: worker, via: 'console' });
    expect(approved).toMatchObject({ status: 'approved', approvedById: worker });

    // Prisma: hours, person, shift, even the status.
    await expect(ctx.prisma.hoursEntry.update({ where: { id: entry.id }, data: { hours: '10.00' } })).rejects.toThrow(/cannot be changed, only corrected/);
    await expect(ctx.prisma.hoursEntry.update({ where: { id: entry.id }, data: { personId: bob } })).rejects.toThrow(/cannot be changed/);
    await expect(ctx.prisma.hoursEntry.update({ where: { id: entry.id }, data: { shiftId: null } })).rejects.toThrow(/cannot be changed/);
    await expect(ctx.prisma.hoursEntry.update({ where: { id: entry.id }, data: { status: 'rejected' } })).rejects.toThrow(/cannot be changed/);
    await expect(ctx.prisma.hoursEntry.delete({ where: { id: entry.id } })).rejects.toThrow(/cannot be deleted/);
    // Plain SQL, as a person with database access would try.
    await expect(db.pool.query(`UPDATE "HoursEntry" SET hours = 10 WHERE id = $1`, [entry.id])).rejects.toThrow(/cannot be changed, only corrected/);
    await expect(db.pool.query(`UPDATE "HoursEntry" SET reason = 'edited' WHERE id = $1`, [entry.id])).rejects.toThrow(/cannot be changed/);
    await expect(db.pool.query(`DELETE FROM "HoursEntry" WHERE id = $1`, [entry.id])).rejects.toThrow(/cannot be deleted/);
    // Deciding it again is refused by the use case too.
    await expect(decideHoursEntry(ctx, { communityId, entryId: entry.id, approve: false, actorId: worker, via: 'console' })).rejects.toMatchObject({ code: 'HOURS_DECIDED' });

    const after = await ctx.prisma.hoursEntry.findUniqueOrThrow({ where: { id: entry.id } });
    expect({ hours: Number(after.hours), personId: after.personId, shiftId: after.shiftId, status: after.status, reason: after.reason }).toEqual({
      hours: 2,
      personId: alice,
      shiftId,
      status: 'approved',
      reason: 'attended',
    });

    // The way to change it: a correction, a new entry pointing at it, holding the difference.
    const c = await correctHoursEntry(ctx, { communityId, entryId: entry.id, hours: 1.5, reason: 'left early', actorId: worker, via: 'console' });
    expect(c.correction).toMatchObject({ correctsId: entry.id, personId: alice, status: 'approved', approvedById: worker });
    expect(Number(c.correction.hours)).toBe(-0.5);
    expect((await personHours(ctx, alice)).approved).toBe(1.5);
    // A correction of the correction corrects the original, to the amount asked.
    const c2 = await correctHoursEntry(ctx, { communityId, entryId: c.correction.id, hours: 3, reason: 'stayed to clean up', actorId: worker, via: 'console' });
    expect(c2.correction.correctsId).toBe(entry.id);
    expect(Number(c2.correction.hours)).toBe(1.5);
    expect((await personHours(ctx, alice)).approved).toBe(3);
    expect(Number((await ctx.prisma.hoursEntry.findUniqueOrThrow({ where: { id: entry.id } })).hours)).toBe(2); // untouched
    expect(await ctx.prisma.auditLog.count({ where: { action: 'hours.correct' } })).toBe(2);
  });

  test('a pending entry allows only its decision, once; nothing else about it changes', async () => {
    const e = (await credit(bob, 60))!;
    await expect(db.pool.query(`UPDATE "HoursEntry" SET hours = 5 WHERE id = $1`, [e.id])).rejects.toThrow(/only be approved or rejected|only its decision/);
    await expect(db.pool.query(`UPDATE "HoursEntry" SET status = 'approved', hours = 5 WHERE id = $1`, [e.id])).rejects.toThrow(/only its decision/);
    await expect(db.pool.query(`DELETE FROM "HoursEntry" WHERE id = $1`, [e.id])).rejects.toThrow(/cannot be deleted/);
    const r = await approvePendingHours(ctx, { communityId, number: 1, actorId: worker, via: 'chat' });
    expect(r.entries).toEqual([{ id: e.id, personId: bob, hours: 1 }]);
    expect((await approvePendingHours(ctx, { communityId, number: 1, actorId: worker, via: 'chat' })).entries).toEqual([]);
    expect(await personHours(ctx, bob)).toMatchObject({ approved: 1, pending: 0, stars: 0, next: { hours: 99, stars: 1 } });
  });

  test('the database refuses a correction of a pending entry or of someone else’s', async () => {
    const pending = await ctx.prisma.hoursEntry.create({ data: { personId: bob, projectId, shiftId: null, hours: '1.00', reason: 'manual' } });
    await expect(ctx.prisma.hoursEntry.create({ data: { personId: bob, projectId, hours: '-1.00', correctsId: pending.id } })).rejects.toThrow(/approved entry of the same person/);
    const alices = (await ctx.prisma.hoursEntry.findFirst({ where: { personId: alice, correctsId: null } }))!;
    await expect(ctx.prisma.hoursEntry.create({ data: { personId: bob, projectId, hours: '1.00', correctsId: alices.id, status: 'approved' } })).rejects.toThrow(/same person/);
    await expect(correctHoursEntry(ctx, { communityId, entryId: pending.id, hours: 0, reason: 'x', actorId: worker, via: 'console' })).rejects.toMatchObject({ code: 'HOURS_NOT_APPROVED' });
    // Only workers approve.
    await expect(decideHoursEntry(ctx, { communityId, entryId: pending.id, approve: true, actorId: alice, via: 'console' })).rejects.toMatchObject({ code: 'NOT_A_WORKER' });
  });
});
