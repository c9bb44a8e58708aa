import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

describe('needs answered golden transcript, web chat', () => {
  let h: Harness;
  const clock = new TestClock('2026-12-03T10:00+08:00');
  beforeAll(async () => {
    h = await createHarness({ clock });
  });
  afterAll(async () => h?.close());

  test('needs-answered.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, webDriver(h), loadTranscript('needs-answered.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
    if (process.env.TRANSCRIPT_RECORD) return;
    const needs = await h.app.ctx.prisma.need.findMany({ orderBy: { number: 'asc' } });
    expect(needs.map((n) => [n.number, n.status, n.outcomeNote, n.referredTo, n.answeredAt?.toISOString() ?? null, n.resolvedAt?.toISOString() ?? null])).toEqual([
      [1, 'rejected', '共享单车由街道统一管理,已转告运营公司', null, '2026-12-03T02:00:00.000Z', null],
      [2, 'resolved', '电梯已更换控制板', null, '2026-12-03T02:00:00.000Z', '2026-12-05T08:00:00.000Z'],
    ]);
    const audit = await h.app.ctx.prisma.auditLog.findMany({ where: { action: 'need.outcome' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [(a.before as { status: string }).status, (a.after as { status: string }).status])).toEqual([
      ['open', 'rejected'],
      ['open', 'referred'],
      ['referred', 'resolved'],
    ]);
  });
});
