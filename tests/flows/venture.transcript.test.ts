import { afterAll, beforeAll, describe, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

describe('微创投 golden transcript, web chat', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  test('venture.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, webDriver(h), loadTranscript('venture.txt'), { effects: h.app.effects });
  });
});
