// The console's 报表 page: tickets' response rate, resolution rate and satisfaction (the 接诉即办
// figures) per community, and rolled up for the street, from ticket rows this test writes. A real
// server (web role) on the real Postgres and Redis, with a test clock (no date on the real clock).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createConsoleUser } from '../../../src/core/console-users/console-users.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { TestClock } from '../../helpers/clock.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';

const at = (iso: string) => new Date(iso);

/** The tickets table's rows as their cells' text. */
function ticketRows(page: string): string[][] {
  const table = /<table class="table" data-testid="tickets-table">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].slice(1).map((r) => [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()));
}
const kpi = (page: string, id: string) => new RegExp(`data-testid="${id}">([^<]*)<`).exec(page)?.[1];

describe('console reports: tickets', () => {
  let h: Harness;
  let street: ConsoleClient;
  let one: ConsoleClient;
  let a = 0;
  let b = 0;

  beforeAll(async () => {
    h = await createHarness({ roles: ['web'], clock: new TestClock('2026-12-20T12:00+08:00') });
    const ctx = h.app.ctx;
    a = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '回龙观街道' })).id;
    b = (await createCommunity(ctx, { code: 'HT02', name: '回天二社区', street: '回龙观街道' })).id;
    const person = await ensurePerson(ctx, 'web', '张阿姨', '张阿姨');
    let n = 0;
    const ticket = (communityId: number, createdAt: string, t: { answeredAfterMin?: number; closed?: boolean; rating?: number } = {}) =>
      ctx.prisma.ticket.create({
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
    // 回天一社区: 4 tickets, 3 answered (10, 30, 20 minutes), 2 closed and rated 5 and 3.
    await ticket(a, '2026-12-01T09:00+08:00', { answeredAfterMin: 10, closed: true, rating: 5 });
    await ticket(a, '2026-12-02T09:00+08:00', { answeredAfterMin: 30, closed: true, rating: 3 });
    await ticket(a, '2026-12-03T09:00+08:00', { answeredAfterMin: 20 });
    await ticket(a, '2026-12-04T09:00+08:00');
    // 回天二社区: 1 ticket, answered in 40 minutes, closed, rated 2.
    await ticket(b, '2026-12-05T09:00+08:00', { answeredAfterMin: 40, closed: true, rating: 2 });
    // Before the period shown (the last 12 months): not counted.
    await ticket(a, '2025-06-20T09:00+08:00', { answeredAfterMin: 600, closed: true, rating: 1 });

    await createConsoleUser(ctx, { login: 'li', name: '李主任', password: 'li-secret-2026', grants: [{ role: 'worker', scope: { street: '回龙观街道' } }], actorId: null, via: 'cli' });
    await createConsoleUser(ctx, { login: 'wang', name: '王书记', password: 'wang-secret-2026', grants: [{ role: 'worker', scope: { community: 'HT02' } }], actorId: null, via: 'cli' });
    street = new ConsoleClient(h.app.url ?? '');
    await street.login('li', 'li-secret-2026');
    one = new ConsoleClient(h.app.url ?? '');
    await one.login('wang', 'wang-secret-2026');
  });
  afterAll(async () => h?.close());

  test('the street sees each community and the roll-up: response rate, resolution rate, satisfaction, first answer', async () => {
    const s = await h.app.ctx.prisma.street.findFirstOrThrow({ where: { name: '回龙观街道' } });
    const res = await street.get(`/console/reports?area=street:${s.id}`);
    expect(res.status).toBe(200);
    expect(ticketRows(res.text)).toEqual([
      ['回天一社区', '4', '75%', '50%', '4.0 / 5', '20'],
      ['回天二社区', '1', '100%', '100%', '2.0 / 5', '40'],
      ['回龙观街道', '5', '80%', '60%', '3.3 / 5', '25'],
    ]);
    expect([kpi(res.text, 'kpi-response-rate'), kpi(res.text, 'kpi-resolution-rate'), kpi(res.text, 'kpi-satisfaction')]).toEqual(['80%', '60%', '3.3 / 5']);
  });

  test('one community’s page shows its own figures only', async () => {
    const res = await street.get(`/console/reports?area=community:${a}`);
    expect(ticketRows(res.text)).toEqual([['回天一社区', '4', '75%', '50%', '4.0 / 5', '20']]);
    expect(kpi(res.text, 'kpi-response-rate')).toBe('75%');
    // A community worker sees their community, not the street's figures nor the other community.
    const mine = await one.get('/console/reports');
    expect(ticketRows(mine.text)).toEqual([['回天二社区', '1', '100%', '100%', '2.0 / 5', '40']]);
    expect((await one.get(`/console/reports?area=community:${a}`)).status).toBe(404);
  });
});
