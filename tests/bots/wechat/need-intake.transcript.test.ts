import { afterAll, beforeAll, describe, test } from 'vitest';
import { WechatAdapter } from '../../../src/bots/wechat/wechat-adapter.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { createWechatMock, loginWechatMock, wechatDriver } from '../../helpers/wechat-driver.ts';

describe('need intake golden transcript, WeChat (wechaty-puppet-mock)', () => {
  const m = createWechatMock();
  const adapter = new WechatAdapter(m.bot, { print: () => undefined });
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ adapters: [adapter] });
    await loginWechatMock(m, adapter);
  });
  afterAll(async () => h?.close());

  test('need-intake.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, wechatDriver(h, m, adapter), loadTranscript('need-intake.txt'));
  });
});
