import { afterAll, beforeAll, describe, test } from 'vitest';
import { WechatAdapter } from '../../../src/bots/wechat/wechat-adapter.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { createWechatMock, loginWechatMock, wechatDriver } from '../../helpers/wechat-driver.ts';

describe('微创投 golden transcript, WeChat (wechaty-puppet-mock)', () => {
  const m = createWechatMock();
  const adapter = new WechatAdapter(m.bot, { print: () => undefined });
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ adapters: [adapter], clock: new TestClock('2026-12-03T10:00+08:00') });
    await loginWechatMock(m, adapter);
  });
  afterAll(async () => h?.close());

  test('venture.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, wechatDriver(h, m, adapter), loadTranscript('venture.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
  });
});
