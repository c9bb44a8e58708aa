// Issue 12's golden transcripts, unchanged, on WeChat (wechaty-puppet-mock): projects and shifts
// from the chat, tickets, needs answered, substitutes. Each transcript gets its own mock, adapter
// and harness (a fresh database: the transcripts each make community HT01).
import { describe, test } from 'vitest';
import { WechatAdapter } from '../../../src/bots/wechat/wechat-adapter.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createHarness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { createWechatMock, loginWechatMock, wechatDriver } from '../../helpers/wechat-driver.ts';
import { workerTranscripts } from '../../helpers/worker-transcripts.ts';

describe('issue 12 golden transcripts, WeChat (wechaty-puppet-mock)', () => {
  test.each(workerTranscripts.map((t) => [t.file, t.start] as const))('%s plays exactly', async (file, start) => {
    const m = createWechatMock();
    const adapter = new WechatAdapter(m.bot, { print: () => undefined });
    const h = await createHarness({ adapters: [adapter], clock: new TestClock(start) });
    try {
      await loginWechatMock(m, adapter);
      await runTranscript(h.app.ctx, wechatDriver(h, m, adapter), loadTranscript(file), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
    } finally {
      await h.close();
    }
  });
});
