import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

describe('substitute golden transcript, web chat', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ clock: new TestClock('2026-11-30T10:00+08:00') });
  });
  afterAll(async () => h?.close());

  test('substitute.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, webDriver(h), loadTranscript('substitute.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
    if (process.env.TRANSCRIPT_RECORD) return;
    // What the database holds: both requests taken, by whom; the places moved.
    const requests = await h.app.ctx.prisma.substituteRequest.findMany({ orderBy: { id: 'asc' }, include: { from: true, takenBy: true, shift: true } });
    expect(requests.map((r) => [r.shift.label, r.status, r.from.displayName, r.takenBy?.displayName, r.toGroupsAt !== null])).toEqual([
      ['A', 'taken', '小一', '小三', false],
      ['B', 'taken', '小一', '小四', true],
    ]);
    const signUps = await h.app.ctx.prisma.signUp.findMany({ include: { person: true, shift: true }, orderBy: [{ shiftId: 'asc' }, { id: 'asc' }] });
    expect(signUps.map((s) => [s.shift.label, s.person.displayName, s.status])).toEqual([
      ['A', '小一', 'cancelled'],
      ['A', '小二', 'waitlisted'],
      ['A', '小三', 'confirmed'],
      ['B', '小一', 'cancelled'],
      ['B', '小四', 'confirmed'],
    ]);
    const shifts = await h.app.ctx.prisma.shift.findMany({ orderBy: { label: 'asc' } });
    expect(shifts.map((s) => s.confirmedCount)).toEqual([1, 1]);
  });
});
