import { afterAll, beforeAll, describe, test } from 'vitest';
import { WechatAdapter } from '../../../src/bots/wechat/wechat-adapter.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { loadTranscript } from '../../helpers/transcript.ts';
import { runTranscript } from '../../helpers/run-transcript.ts';
import { createWechatMock, loginWechatMock, wechatDriver } from '../../helpers/wechat-driver.ts';

const clock = { now: () => new Date('2026-11-22T02:00:00Z') };

describe('projects golden transcript, WeChat (wechaty-puppet-mock)', () => {
  const m = createWechatMock();
  const adapter = new WechatAdapter(m.bot, { print: () => undefined });
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ adapters: [adapter], clock });
    await loginWechatMock(m, adapter);
  });
  afterAll(async () => h?.close());

  test('projects.txt plays exactly', async () => {
    await runTranscript(h.app.ctx, wechatDriver(h, m, adapter), loadTranscript('projects.txt'), { effects: h.app.effects });
  });
});
