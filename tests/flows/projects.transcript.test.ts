import { afterAll, beforeAll, describe, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

/** 2026-11-22 10:00 in Beijing: the transcript's shifts are in the days after. */
const clock = { now: () => new Date('2026-11-22T02:00:00Z') };

describe('projects golden transcript, web chat', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ clock });
  });
  afterAll(async () => h?.close());

  test('projects.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, webDriver(h), loadTranscript('projects.txt'), { effects: h.app.effects });
  });
});
