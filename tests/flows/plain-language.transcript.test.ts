import { afterAll, beforeAll, describe, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

/** Sunday 2026-11-22 10:00 in Beijing; the transcript's shifts are on the Saturday and Sunday after. */
const clock = new TestClock('2026-11-22T10:00+08:00');

describe('plain-language golden transcript, web chat: no command words', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ clock });
  });
  afterAll(async () => h?.close());

  test('plain-language.txt plays exactly', { timeout: 120_000 }, async () => {
    await runTranscript(h.app.ctx, webDriver(h), loadTranscript('plain-language.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
  });
});
