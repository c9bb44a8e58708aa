// `group bind --platform wechat --chat <room id>` with the id the puppet reports (…@chatroom),
// then a resident @s the bot in that room (wechaty-puppet-mock): the need is recorded in the
// community the room was bound to.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WechatAdapter } from '../../../src/bots/wechat/wechat-adapter.ts';
import { runCli } from '../../../src/cli.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { createWechatMock, loginWechatMock, wechatDriver, type WechatDriver } from '../../helpers/wechat-driver.ts';

describe('group bind with a WeChat room id, then an @ in that room', () => {
  const m = createWechatMock();
  const adapter = new WechatAdapter(m.bot, { print: () => undefined });
  let h: Harness;
  let driver: WechatDriver;

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const warned: string[] = [];
    await runCli(argv, h.app.ctx, (l) => out.push(l), { warn: (l) => warned.push(l) });
    return { out, warned };
  };

  beforeAll(async () => {
    h = await createHarness({ adapters: [adapter] });
    await loginWechatMock(m, adapter);
    driver = wechatDriver(h, m, adapter);
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
  });
  afterAll(async () => h?.close());

  test('the room id binds the room the bot answers in, and the need is recorded', async () => {
    const room = driver.room('20987654321').id;
    expect(room).toBe('20987654321@chatroom');
    const bound = await cli('group', 'bind', '--community', 'HT01', '--platform', 'wechat', '--chat', ` ${room} `);
    expect(bound.out).toEqual([`group wechat:${room} bound to HT01 回天一社区`]);
    expect(bound.warned.join('\n')).toContain(`the bot has not seen wechat chat ${room} yet`);

    await driver.deliver('张阿姨', '20987654321', '@邻里助手 需求 3号楼楼道灯坏了');
    const sent = await driver.collectMessages();
    expect(sent.map((s) => `${s.conv}: ${s.text}`)).toEqual([expect.stringMatching(/^20987654321: .*已登记需求 #1（物业维修）/)]);
    const need = await h.app.ctx.prisma.need.findFirstOrThrow({ include: { community: true, group: true } });
    expect(need).toMatchObject({ text: '3号楼楼道灯坏了', community: { code: 'HT01' }, group: { platform: 'wechat', externalId: room } });
    expect((await cli('group', 'bind', '--community', 'HT01', '--platform', 'wechat', '--chat', room)).warned).toEqual([]);
  });

  test('a person’s wxid is refused and binds nothing', async () => {
    const before = await h.app.ctx.prisma.group.count();
    await expect(cli('group', 'bind', '--community', 'HT01', '--platform', 'wechat', '--chat', 'wxid_p1')).rejects.toThrow(/a person's WeChat id/);
    expect(await h.app.ctx.prisma.group.count()).toBe(before);
  });
});
