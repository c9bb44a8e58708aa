// 找人替班 / 接班 in core (src/core/substitutes): the place moves in one transaction, and of many
// acceptors at once exactly one takes it; the others are told it is taken. A cancelled sign-up's
// offer is withdrawn. Real Postgres; a fixed clock (no date on the real clock).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { changeProjectStatus } from '../../../src/core/projects/change-status.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { cancelSignUp } from '../../../src/core/signups/cancel-sign-up.ts';
import { signUp } from '../../../src/core/signups/sign-up.ts';
import { askSubstitute } from '../../../src/core/substitutes/ask-substitute.ts';
import { takeOver } from '../../../src/core/substitutes/take-over.ts';
import { AppError } from '../../../src/lib/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';

const clock = { now: () => new Date('2026-11-22T02:00:00Z') };
const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' && r.reason instanceof AppError ? r.reason.code : r.status);

describe('substitutes (real Postgres)', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let communityId: number;
  let people: number[];

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    communityId = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    await db.prisma.person.createMany({ data: Array.from({ length: 22 }, (_, i) => ({ displayName: `居民${i}` })) });
    people = (await db.prisma.person.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
    await createProject(ctx, {
      communityId,
      title: '社区大扫除',
      shifts: [
        { startsAt: new Date('2026-12-05T01:00:00Z'), endsAt: new Date('2026-12-05T03:00:00Z'), capacity: 1 },
        { startsAt: new Date('2026-12-06T01:00:00Z'), endsAt: new Date('2026-12-06T03:00:00Z'), capacity: 1 },
      ],
    });
    await changeProjectStatus(ctx, { communityId, number: 1, to: 'published', actorId: null, via: 'cli' });
  });
  afterAll(async () => db?.drop());

  test('20 acceptors at once: one takes the place, 19 are told it is taken; the count is unchanged', async () => {
    const [asker, ...others] = people;
    await signUp(ctx, { communityId, projectNumber: 1, shiftLabel: 'A', personId: asker! });
    const waiting = others[0]!;
    await signUp(ctx, { communityId, projectNumber: 1, shiftLabel: 'A', personId: waiting }); // waitlisted
    const asked = await askSubstitute(ctx, { communityId, projectNumber: 1, personId: asker! });
    expect(asked.kind).toBe('asked');
    if (asked.kind !== 'asked') return;
    expect(asked.effects).toEqual([
      { kind: 'notify', notices: [expect.objectContaining({ personId: waiting, message: 'substituteOffer' })] },
      { kind: 'substituteToGroups', requestId: asked.requestId, at: new Date(clock.now().getTime() + 30 * 60_000) },
    ]);

    const acceptors = others.slice(0, 20);
    const results = await Promise.allSettled(acceptors.map((personId, i) => takeOver(ctx, { communityId, projectNumber: 1, personId, personName: `居民${i + 1}` })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.map(codeOf).filter((c) => c !== 'fulfilled')).toEqual(Array.from({ length: 19 }, () => 'SUBSTITUTE_TAKEN'));
    const winner = acceptors[results.findIndex((r) => r.status === 'fulfilled')]!;

    const request = await db.prisma.substituteRequest.findUniqueOrThrow({ where: { id: asked.requestId } });
    expect([request.status, request.takenById]).toEqual(['taken', winner]);
    const rows = await db.prisma.signUp.findMany({ where: { shift: { label: 'A' } }, select: { personId: true, status: true } });
    expect(rows.filter((r) => r.status === 'confirmed').map((r) => r.personId)).toEqual([winner]);
    expect(rows.find((r) => r.personId === asker)?.status).toBe('cancelled');
    expect((await db.prisma.shift.findFirstOrThrow({ where: { label: 'A' } })).confirmedCount).toBe(1);
    // The winner's reminders are planned; the asker's are cancelled.
    const reminders = await db.prisma.reminder.findMany({ select: { status: true, signUp: { select: { personId: true } } } });
    expect(reminders.filter((r) => r.signUp.personId === winner).map((r) => r.status)).toEqual(['scheduled', 'scheduled']);
    expect(reminders.filter((r) => r.signUp.personId === asker).every((r) => r.status === 'cancelled')).toBe(true);
  });

  test('an offer is withdrawn when its sign-up is cancelled; then there is nothing to take', async () => {
    const asker = people[21]!;
    await signUp(ctx, { communityId, projectNumber: 1, shiftLabel: 'B', personId: asker });
    const asked = await askSubstitute(ctx, { communityId, projectNumber: 1, personId: asker });
    expect(asked.kind).toBe('asked');
    await expect(takeOver(ctx, { communityId, projectNumber: 1, personId: asker, personName: '自己' })).rejects.toMatchObject({ code: 'OWN_SUBSTITUTE' });
    await cancelSignUp(ctx, { communityId, projectNumber: 1, personId: asker });
    expect((await db.prisma.substituteRequest.findFirstOrThrow({ where: { fromId: asker } })).status).toBe('withdrawn');
    await expect(takeOver(ctx, { communityId, projectNumber: 1, shiftLabel: 'B', personId: people[20]!, personName: '居民20' })).rejects.toMatchObject({ code: 'NO_SUBSTITUTE' });
    // Someone with no place cannot ask.
    await expect(askSubstitute(ctx, { communityId, projectNumber: 1, personId: people[20]! })).rejects.toMatchObject({ code: 'NOT_SIGNED_UP' });
  });
});
