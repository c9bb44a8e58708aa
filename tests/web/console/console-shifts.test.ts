// The console's shift form (date, start, end) reads times by the rule every entry point shares
// (src/lib/time.ts): an end earlier than the start is on the next day. A real server (web role)
// on the real Postgres and Redis; times are counted from today, never a calendar date.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createConsoleUser } from '../../../src/core/console-users/console-users.ts';

const zone = 'Asia/Shanghai';
const today = DateTime.now().setZone(zone).startOf('day');
const day = (n: number) => today.plus({ days: n }).toFormat('yyyy-MM-dd');
const at = (n: number, hm: string) => DateTime.fromFormat(`${day(n)} ${hm}`, 'yyyy-MM-dd HH:mm', { zone }).toJSDate();
const zhDay = (n: number, weekday = true) => {
  const d = today.plus({ days: n });
  return `${d.month}月${d.day}日${weekday ? ` ${['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'][d.weekday]}` : ''}`;
};

describe('console shift form: overnight shifts', () => {
  let h: Harness;
  let c: ConsoleClient;
  let ht01 = 0;

  beforeAll(async () => {
    h = await createHarness({ roles: ['web'] });
    ht01 = (await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' })).id;
    await createConsoleUser(h.app.ctx, { login: 'wang', name: '王书记', password: 'wang-secret-2026', grants: [{ role: 'worker', scope: { community: 'HT01' } }], actorId: null, via: 'cli' });
    c = new ConsoleClient(h.app.url ?? '');
    await c.login('wang', 'wang-secret-2026');
  });
  afterAll(async () => h?.close());

  const shifts = () =>
    h.app.ctx.prisma.shift.findMany({ where: { project: { communityId: ht01, number: 1 } }, orderBy: { label: 'asc' }, select: { label: true, startsAt: true, endsAt: true } });

  test('regression: 23:56 to 00:56 was refused as ending before it starts; it ends at 00:56 the next day', async () => {
    await c.get('/console/c/HT01/projects/new');
    const created = await c.post('/console/c/HT01/projects', {
      title: '夜间巡逻',
      claimType: 'volunteers',
      shift_date: day(2),
      shift_start: '23:56',
      shift_end: '00:56',
      shift_capacity: '3',
      shift_place: '5号楼门口',
    });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/console/c/HT01/projects/1');
    expect(await shifts()).toEqual([{ label: 'A', startsAt: at(2, '23:56'), endsAt: at(3, '00:56') }]);

    // A second overnight shift through the project page's form.
    await c.get('/console/c/HT01/projects/1');
    await c.post('/console/c/HT01/projects/1/shifts', { shift_date: day(3), shift_start: '22:00', shift_end: '06:00', shift_capacity: '2', shift_place: '门卫室' });
    expect(await c.flash('/console/c/HT01/projects/1')).toBe('已添加班次 B');
    expect((await shifts())[1]).toEqual({ label: 'B', startsAt: at(3, '22:00'), endsAt: at(4, '06:00') });

    // What the worker sees on the project page: the end's day written out.
    const detail = await c.get('/console/c/HT01/projects/1');
    expect(detail.text).toContain(`${zhDay(2)} 23:56-${zhDay(3, false)} 00:56`);
    expect(detail.text).toContain(`${zhDay(3)} 22:00-${zhDay(4, false)} 06:00`);
    // And the form says how to write one.
    expect((await c.get('/console/c/HT01/projects/new')).text).toContain('结束早于开始的是跨夜班次，到第二天结束');
  });

  test('an end equal to the start is refused, saying an earlier end would be the next day; nothing is added', async () => {
    await c.get('/console/c/HT01/projects/1');
    await c.post('/console/c/HT01/projects/1/shifts', { shift_date: day(3), shift_start: '08:00', shift_end: '08:00', shift_capacity: '2', shift_place: '' });
    expect(await c.flash('/console/c/HT01/projects/1')).toContain('班次的结束时间不能和开始时间相同（早于开始时间的算第二天）');
    await c.post('/console/c/HT01/projects/1/shifts', { shift_date: day(3), shift_start: '', shift_end: '08:00', shift_capacity: '2', shift_place: '' });
    expect(await c.flash('/console/c/HT01/projects/1')).toContain('班次的日期和时间要填完整');
    expect(await shifts()).toHaveLength(2);
  });
});
