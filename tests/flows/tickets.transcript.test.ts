import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

describe('tickets golden transcript, web chat', () => {
  let h: Harness;
  const clock = new TestClock('2026-12-03T10:00+08:00');
  beforeAll(async () => {
    h = await createHarness({ clock });
  });
  afterAll(async () => h?.close());

  test('tickets.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, webDriver(h), loadTranscript('tickets.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
    if (process.env.TRANSCRIPT_RECORD) return;
    // What the database holds: masked text, response and resolution times, the rating, the escalation.
    const tickets = await h.app.ctx.prisma.ticket.findMany({ orderBy: { number: 'asc' }, include: { messages: { orderBy: { id: 'asc' } } } });
    expect(tickets.map((t) => [t.number, t.urgent, t.status, t.rating, t.inGroup])).toEqual([
      [1, false, 'closed', 5, true],
      [2, true, 'open', null, true],
      [3, true, 'answered', null, true],
    ]);
    const [t1, t2, t3] = tickets;
    expect(t1!.text).toBe('我家老伴腿脚不便,想申请上门助浴,电话138****5678'); // normalised, then masked
    expect(t1!.firstResponseAt).toEqual(new Date('2026-12-03T10:00+08:00'));
    expect(t1!.closedAt).toEqual(new Date('2026-12-03T10:00+08:00'));
    expect(t1!.messages.map((m) => m.fromWorker)).toEqual([false, true, false]);
    expect(t2!.messages).toHaveLength(2); // the second message joined the first
    expect(t2!.escalatedAt).toEqual(new Date('2026-12-03T14:11+08:00'));
    expect(t3!.escalatedAt).toBeNull();
  });
});
