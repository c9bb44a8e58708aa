// Tickets in the reports (reportData): response rate, resolution rate, satisfaction and time to
// first answer per community and rolled up, from rows this test writes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { TestClock } from '../../helpers/clock.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { reportData } from '../../../src/core/reports/report-data.ts';

describe('ticket figures in the reports', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  const clock = new TestClock('2026-12-20T12:00+08:00');
  const at = (iso: string) => new Date(iso);
  let a: number;
  let b: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock };
    a = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    b = (await createCommunity(ctx, { code: 'HT02', name: '回天二社区' })).id;
    const person = await ensurePerson(ctx, 'web', '张阿姨', '张阿姨');
    let n = 0;
    const ticket = (communityId: number, createdAt: string, t: { answeredAfterMin?: number; closed?: boolean; rating?: number } = {}) =>
      db.prisma.ticket.create({
        data: {
          communityId,
          number: ++n,
          personId: person,
          platform: 'web',
          chatId: 'g1',
          userId: '张阿姨',
          inGroup: true,
          text: '想咨询',
          createdAt: at(createdAt),
          firstResponseAt: t.answeredAfterMin === undefined ? null : new Date(at(createdAt).getTime() + t.answeredAfterMin * 60_000),
          status: t.closed ? 'closed' : t.answeredAfterMin !== undefined ? 'answered' : 'open',
          closedAt: t.closed ? at('2026-12-10T12:00+08:00') : null,
          rating: t.rating ?? null,
        },
      });
    await ticket(a, '2026-12-01T09:00+08:00', { answeredAfterMin: 10, closed: true, rating: 5 });
    await ticket(a, '2026-12-02T09:00+08:00', { answeredAfterMin: 30, closed: true, rating: 3 });
    await ticket(a, '2026-12-03T09:00+08:00', { answeredAfterMin: 20 });
    await ticket(a, '2026-12-04T09:00+08:00');
    await ticket(b, '2026-12-05T09:00+08:00');
    // Outside the period: not counted.
    await ticket(a, '2026-11-20T09:00+08:00', { answeredAfterMin: 600, closed: true, rating: 1 });
  });
  afterAll(async () => db?.drop());

  test('per community and rolled up', async () => {
    const r = await reportData(ctx, { communityIds: [a, b], from: at('2026-12-01T00:00+08:00'), to: at('2027-01-01T00:00+08:00'), timezone: 'Asia/Shanghai' });
    const byCode = Object.fromEntries(r.perCommunity.map((c) => [c.code, c.tickets]));
    expect(byCode.HT01).toEqual({ count: 4, responded: 3, closed: 2, rated: 2, responseRate: 0.75, resolutionRate: 0.5, satisfaction: 4, avgResponseMinutes: 20 });
    expect(byCode.HT02).toEqual({ count: 1, responded: 0, closed: 0, rated: 0, responseRate: 0, resolutionRate: 0, satisfaction: null, avgResponseMinutes: null });
    expect(r.totals.tickets).toEqual({ count: 5, responded: 3, closed: 2, rated: 2, responseRate: 0.6, resolutionRate: 0.4, satisfaction: 4, avgResponseMinutes: 20 });
  });

  test('one community sees only its own tickets', async () => {
    const r = await reportData(ctx, { communityIds: [b], from: at('2026-12-01T00:00+08:00'), to: at('2027-01-01T00:00+08:00'), timezone: 'Asia/Shanghai' });
    expect(r.totals.tickets.count).toBe(1);
    expect(r.perCommunity.map((c) => c.code)).toEqual(['HT02']);
  });
});
