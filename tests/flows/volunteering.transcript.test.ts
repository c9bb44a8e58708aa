import { afterAll, beforeAll, describe, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

/** Monday 2026-11-30 10:00 in Beijing; the transcript moves it with `!clock`. */
const clock = new TestClock('2026-11-30T10:00+08:00');

describe('volunteering golden transcript, web chat: reminders, check-in, hours, evaluation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ clock });
  });
  afterAll(async () => h?.close());

  test('volunteering.txt plays exactly', { timeout: 120_000 }, async () => {
    await runTranscript(h.app.ctx, webDriver(h), loadTranscript('volunteering.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
  });
});
