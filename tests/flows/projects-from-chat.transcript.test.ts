import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

describe('projects from the chat golden transcript, web chat', () => {
  let h: Harness;
  const clock = new TestClock('2026-11-25T10:00+08:00');
  beforeAll(async () => {
    h = await createHarness({ clock });
  });
  afterAll(async () => h?.close());

  test('projects-from-chat.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, webDriver(h), loadTranscript('projects-from-chat.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
    if (process.env.TRANSCRIPT_RECORD) return;
    const project = await h.app.ctx.prisma.project.findFirstOrThrow({ include: { needs: { include: { need: true } }, shifts: { orderBy: { label: 'asc' } } } });
    expect(project.needs.map((n) => n.need.number).sort()).toEqual([1, 2]);
    expect(project.shifts.map((s) => [s.label, s.startsAt.toISOString(), s.endsAt.toISOString(), s.capacity, s.status])).toEqual([
      ['A', '2026-12-06T06:00:00.000Z', '2026-12-06T08:00:00.000Z', 3, 'scheduled'],
      ['B', '2026-12-04T14:00:00.000Z', '2026-12-04T22:00:00.000Z', 2, 'cancelled'],
    ]);
    // The moved shift's reminders were planned again; the cancelled one's were cancelled.
    const reminders = await h.app.ctx.prisma.reminder.findMany({ include: { signUp: { include: { shift: true } } }, orderBy: { id: 'asc' } });
    expect(reminders.filter((r) => r.signUp.shift.label === 'B').every((r) => r.status === 'cancelled')).toBe(true);
    expect(reminders.filter((r) => r.signUp.shift.label === 'A').map((r) => [r.version, r.status])).toEqual([
      [2, 'scheduled'],
      [2, 'scheduled'],
    ]);
  });
});
