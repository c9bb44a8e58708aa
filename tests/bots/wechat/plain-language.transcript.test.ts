// The plain-language golden transcript, unchanged, on WeChat (wechaty-puppet-mock).
import { afterAll, beforeAll, describe, test } from 'vitest';
import { WechatAdapter } from '../../../src/bots/wechat/wechat-adapter.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { createWechatMock, loginWechatMock, wechatDriver } from '../../helpers/wechat-driver.ts';

describe('plain-language golden transcript, WeChat (wechaty-puppet-mock): no command words', () => {
  const m = createWechatMock();
  const adapter = new WechatAdapter(m.bot, { print: () => undefined });
  let h: Harness;
  beforeAll(async () => {
    /** Sunday 2026-11-22 10:00 in Beijing; the transcript's shifts are on the Saturday and Sunday after. */
    h = await createHarness({ adapters: [adapter], clock: new TestClock('2026-11-22T10:00+08:00') });
    await loginWechatMock(m, adapter);
  });
  afterAll(async () => h?.close());

  test('plain-language.txt plays exactly', { timeout: 120_000 }, async () => {
    await runTranscript(h.app.ctx, wechatDriver(h, m, adapter), loadTranscript('plain-language.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
  });
});
