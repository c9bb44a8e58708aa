// Capacity is enforced by the database in one transaction, never by reading and then writing:
// 1,000 people signing up at once for 50 places give exactly 50 confirmed and 950 waitlisted,
// waitlist places 1..950 with no gap and no duplicate.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { changeProjectStatus } from '../../../src/core/projects/change-status.ts';
import { signUp } from '../../../src/core/signups/sign-up.ts';
import { cancelSignUp } from '../../../src/core/signups/cancel-sign-up.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

const clock = { now: () => new Date('2026-11-22T02:00:00Z') };

describe('sign-ups under contention (real Postgres)', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let communityId: number;
  let people: number[];

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    communityId = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    await db.prisma.person.createMany({ data: Array.from({ length: 1000 }, (_, i) => ({ displayName: `居民${i}` })) });
    people = (await db.prisma.person.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
    await createProject(ctx, {
      communityId,
      title: '社区大扫除',
      shifts: [{ startsAt: new Date('2026-12-05T01:00:00Z'), endsAt: new Date('2026-12-05T03:00:00Z'), capacity: 50 }],
    });
    await changeProjectStatus(ctx, { communityId, number: 1, to: 'published', actorId: null, via: 'cli' });
  });
  afterAll(async () => db?.drop());

  test('1,000 concurrent sign-ups for 50 places', { timeout: 120_000 }, async () => {
    const results = await Promise.allSettled(people.map((personId) => signUp(ctx, { communityId, projectNumber: 1, personId })));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.map((f) => String((f as PromiseRejectedResult).reason)).slice(0, 3)).toEqual([]);

    const rows = await db.prisma.signUp.findMany({ select: { status: true, waitlistPosition: true, personId: true } });
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.personId)).size).toBe(1000);
    expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(50);
    const places = rows.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition ?? -1).sort((a, b) => a - b);
    expect(places).toEqual(Array.from({ length: 950 }, (_, i) => i + 1));
    const shift = await db.prisma.shift.findFirstOrThrow();
    expect(shift.confirmedCount).toBe(50);

    // What each person was told matches what was recorded.
    const told = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(told.filter((r) => r.status === 'confirmed')).toHaveLength(50);
    expect(told.flatMap((r) => (r.status === 'waitlisted' ? [r.place] : [])).sort((a, b) => a - b)).toEqual(places);
  });

  test('10 cancellations at once promote the first 10 of the waitlist, each exactly once', { timeout: 60_000 }, async () => {
    const confirmed = await db.prisma.signUp.findMany({ where: { status: 'confirmed' }, take: 10, select: { personId: true } });
    const first10 = await db.prisma.signUp.findMany({ where: { status: 'waitlisted' }, orderBy: { waitlistPosition: 'asc' }, take: 10, select: { personId: true } });
    const results = await Promise.all(confirmed.map((c) => cancelSignUp(ctx, { communityId, projectNumber: 1, personId: c.personId })));
    const promoted = results.flatMap((r) => r.promoted.map((p) => p.personId)).sort((a, b) => a - b);
    expect(promoted).toEqual(first10.map((f) => f.personId).sort((a, b) => a - b));
    const shift = await db.prisma.shift.findFirstOrThrow();
    expect(shift.confirmedCount).toBe(50);
    expect(await db.prisma.signUp.count({ where: { status: 'confirmed' } })).toBe(50);
  });
});
