// The combined WeCom adapter (which part sends what) and the WeCom configuration.
import { describe, expect, test } from 'vitest';
import { parseRobotWebhooks, wecomAppConfig, wecomBotConfig } from '../../../src/bots/wecom/config.ts';
import { createWecomAdapter, wecomChannelFor } from '../../../src/bots/wecom/wecom-adapter.ts';

const both = { bot: true, app: true };
const direct = (chatId: string) => ({ platform: 'wecom' as const, chatId, kind: 'direct' as const });
const group = (chatId: string) => ({ platform: 'wecom' as const, chatId, kind: 'group' as const });

describe('wecomChannelFor', () => {
  test('groups go by their prefix', () => {
    expect(wecomChannelFor(group('bot:wrkSFfCgAA1'), {}, both)).toBe('bot');
    expect(wecomChannelFor(group('hook:楼栋群A'), {}, both)).toBe('app');
  });

  test('a private reply goes back the way the message came; other private messages through the app', () => {
    expect(wecomChannelFor(direct('zhangsan'), { replyTo: 'bot:CAIQ1' }, both)).toBe('bot');
    expect(wecomChannelFor(direct('zhangsan'), { replyTo: 'app:4561255354251345929' }, both)).toBe('app');
    expect(wecomChannelFor(direct('zhangsan'), {}, both)).toBe('app');
    expect(wecomChannelFor(direct('zhangsan'), {}, { bot: true, app: false })).toBe('bot');
    expect(wecomChannelFor(direct('zhangsan'), { replyTo: 'app:1' }, { bot: true, app: false })).toBe('bot');
  });

  test('an explicit bot: or app: private chat is honoured', () => {
    expect(wecomChannelFor(direct('bot:zhangsan'), { replyTo: 'app:1' }, both)).toBe('bot');
    expect(wecomChannelFor(direct('app:zhangsan'), { replyTo: 'bot:1' }, both)).toBe('app');
  });
});

describe('WeCom configuration', () => {
  const appEnv = {
    WECOM_CORP_ID: 'ww1436e0e65a779aee',
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 'sec',
    WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
    WECOM_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  };

  test('nothing configured: no adapter', () => {
    expect(wecomBotConfig({})).toBeNull();
    expect(wecomAppConfig({})).toBeNull();
    expect(createWecomAdapter({ env: {}, botName: '邻里助手' })).toBeNull();
  });

  test('the bot alone: sends from its session', () => {
    const env = { WECOM_BOT_ID: 'aib1', WECOM_BOT_SECRET: 's', WECOM_WS_URL: 'wss://openws.example.internal' };
    expect(wecomBotConfig(env)).toEqual({ botId: 'aib1', secret: 's', wsUrl: 'wss://openws.example.internal', botName: undefined });
    const adapter = createWecomAdapter({ env, botName: '邻里助手' });
    expect(adapter?.sendsFrom).toBe('session');
    expect(adapter?.app).toBeUndefined();
    expect([...(adapter?.capabilities ?? [])].sort()).toEqual(['buttons', 'direct', 'mention']);
  });

  test('the app, with robot webhooks and the default API base', () => {
    const cfg = wecomAppConfig({ ...appEnv, WECOM_ROBOT_WEBHOOKS: '楼栋群A=key-1, 楼栋群B=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=key-2' });
    expect(cfg).toMatchObject({ corpId: appEnv.WECOM_CORP_ID, agentId: 1000002, apiBase: 'https://qyapi.weixin.qq.com' });
    expect([...(cfg?.webhooks ?? [])]).toEqual([
      ['楼栋群A', 'key-1'],
      ['楼栋群B', 'key-2'],
    ]);
    const adapter = createWecomAdapter({ env: appEnv, botName: '邻里助手' });
    expect(adapter?.sendsFrom).toBe('anywhere');
  });

  test('a part configured only in part stops start-up, naming the variables', () => {
    expect(() => wecomBotConfig({ WECOM_BOT_ID: 'aib1' })).toThrow(/^Linli: invalid configuration[\s\S]*WECOM_BOT_SECRET: required/);
    expect(() => wecomAppConfig({ ...appEnv, WECOM_AES_KEY: 'short' })).toThrow(/WECOM_AES_KEY: must be the 43-character EncodingAESKey/);
    expect(() => wecomAppConfig({ WECOM_CORP_ID: 'ww1' })).toThrow(/WECOM_AGENT_ID[\s\S]*WECOM_SECRET/);
    expect(() => parseRobotWebhooks('楼栋群A')).toThrow(/not name=key/);
    expect(() => parseRobotWebhooks('a=k1,a=k2')).toThrow(/appears twice/);
  });
});
