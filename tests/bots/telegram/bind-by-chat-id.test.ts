// `group bind --platform telegram --chat <id>` with the id Telegram gives (-100…, or the t.me/c/…
// link of a message in the group), then a resident @s the bot there (telegram-test-api emulator):
// the need is recorded in the community the group was bound to.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TelegramAdapter } from '../../../src/bots/telegram/telegram-adapter.ts';
import { deriveWebhookSecret } from '../../../src/bots/telegram/config.ts';
import { runCli } from '../../../src/cli.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { startTelegramEmulator, telegramDriver, type TelegramDriver, type TelegramEmulator } from '../../helpers/telegram-driver.ts';

const token = '100002:bind-by-chat-id';

describe('group bind with a Telegram chat id, then an @ in that group', () => {
  let emulator: TelegramEmulator;
  let adapter: TelegramAdapter;
  let h: Harness;
  let driver: TelegramDriver;
  let line = 0;

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const warned: string[] = [];
    await runCli(argv, h.app.ctx, (l) => out.push(l), { warn: (l) => warned.push(l) });
    return { out, warned };
  };
  const say = async (person: string, conv: string, text: string) => {
    await driver.say({ kind: 'say', person, conv, text, reply: false, again: false, line: ++line, expected: [] });
    return driver.collect();
  };

  beforeAll(async () => {
    emulator = await startTelegramEmulator();
    adapter = new TelegramAdapter({ token, apiRoot: emulator.apiRoot, webhookSecret: deriveWebhookSecret(token) }, { log: silentLogger });
    h = await createHarness({ adapters: [adapter] });
    driver = telegramDriver(h, { emulator, adapter, token, botName: '邻里助手' });
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    await createCommunity(h.app.ctx, { code: 'HT02', name: '回天二社区' });
  });
  afterAll(async () => {
    await h?.close();
    await emulator?.stop();
  });

  test('the supergroup id as Telegram shows it', async () => {
    const id = driver.groupChatId('g1'); // -1001000000001
    expect(id).toMatch(/^-100\d+$/);
    const bound = await cli('group', 'bind', '--community', 'HT01', '--platform', 'telegram', '--chat', id);
    expect(bound.out).toEqual([`group telegram:${id} bound to HT01 回天一社区`]);
    expect(bound.warned.join('\n')).toContain(`the bot has not seen telegram chat ${id} yet`);

    const replies = await say('张阿姨', 'g1', '@邻里助手 需求 3号楼楼道灯坏了');
    expect(replies).toEqual([expect.stringMatching(/^bot @g1: .*已登记需求 #1（物业维修）/)]);
    const need = await h.app.ctx.prisma.need.findFirstOrThrow({ where: { text: '3号楼楼道灯坏了' }, include: { community: true, group: true } });
    expect(need).toMatchObject({ community: { code: 'HT01' }, group: { platform: 'telegram', externalId: id } });
    expect((await cli('group', 'bind', '--community', 'HT01', '--platform', 'telegram', '--chat', id)).warned).toEqual([]);
  });

  test('the t.me/c/… link of a message in a private supergroup', async () => {
    const id = driver.groupChatId('g2'); // -1001000000002
    const link = `https://t.me/c/${id.slice('-100'.length)}/17`;
    await cli('group', 'bind', '--community', 'HT02', '--platform', 'telegram', '--chat', link);
    const replies = await say('刘大爷', 'g2', '@邻里助手 需求 电梯坏了');
    expect(replies).toEqual([expect.stringMatching(/^bot @g2: .*已登记需求 #1/)]);
    const need = await h.app.ctx.prisma.need.findFirstOrThrow({ where: { text: '电梯坏了' }, include: { community: true } });
    expect(need.community.code).toBe('HT02');
  });

  test('a person’s id or a name is refused and binds nothing', async () => {
    const before = await h.app.ctx.prisma.group.count();
    await expect(cli('group', 'bind', '--community', 'HT01', '--platform', 'telegram', '--chat', '10001')).rejects.toThrow(/a person's id, not a group's/);
    await expect(cli('group', 'bind', '--community', 'HT01', '--platform', 'telegram', '--chat', '@huitian_group')).rejects.toThrow(/not a Telegram group id/);
    expect(await h.app.ctx.prisma.group.count()).toBe(before);
  });
});
