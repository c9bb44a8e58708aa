// `group bind --platform wecom --chat <chatid>` with the chatid WeCom gives, then a resident @s
// the 智能机器人 in that group. Bug covered: the CLI stored the chatid as typed (`wrGROUP1`) while
// the adapter knows the group as `bot:wrGROUP1`, so the bot answered "本群还没有绑定社区" in a
// group the CLI had reported bound.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WecomAdapter } from '../../../src/bots/wecom/wecom-adapter.ts';
import { WecomBotAdapter } from '../../../src/bots/wecom/wecom-bot-adapter.ts';
import { runCli } from '../../../src/cli.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { FakeWecomAibotServer } from '../../helpers/fakes/wecom-aibot-server.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';

const botName = '邻里助手';
const creds = { botId: 'aib-bind-test', secret: 'bind-secret' };
const chatid = 'wrkSFfCgAAGROUP1'; // as WeCom shows it: no Linli prefix

describe('group bind with a WeCom chatid, then an @ in that group', () => {
  let h: Harness;
  let server: FakeWecomAibotServer;
  let adapter: WecomAdapter;
  let seq = 0;

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const warned: string[] = [];
    await runCli(argv, h.app.ctx, (l) => out.push(l), { warn: (l) => warned.push(l) });
    return { out, warned };
  };
  /** zhangsan says `content` in group `chat`; the bot's answers there. */
  const say = async (chat: string, content: string) => {
    const msgid = `bind-${++seq}`;
    const before = server.sentMessages.length;
    const done = new Promise<void>((resolve) => {
      const off = adapter.bot!.onInbound((r) => {
        if (r.msgid !== msgid) return;
        off();
        resolve();
      });
    });
    await server.push({ chattype: 'group', chatid: chat, userid: 'zhangsan', content, msgid });
    await done;
    await h.drain();
    return server.sentMessages.slice(before).map((f) => ({ chatid: f.body.chatid, text: (f.body.markdown as { content?: string } | undefined)?.content }));
  };

  beforeAll(async () => {
    server = await FakeWecomAibotServer.start({ ...creds, botName });
    adapter = new WecomAdapter({ bot: new WecomBotAdapter({ ...creds, wsUrl: server.url, botName }) });
    h = await createHarness({ adapters: [adapter] });
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
  });

  test('regression: the chatid WeCom gives binds the group the bot answers in, and the need is recorded', async () => {
    const bound = await cli('group', 'bind', '--community', 'HT01', '--platform', 'wecom', '--chat', chatid, '--title', '3号楼群');
    expect(bound.out).toEqual([`group wecom:${chatid} bound to HT01 回天一社区`]);
    expect(await say(chatid, `@${botName} 需求 3号楼楼道灯坏了`)).toEqual([
      { chatid, text: '<@zhangsan> 已登记需求 #1（物业维修）。邻居们可以回复「+1 1」表示同求' },
    ]);
    const need = await h.app.ctx.prisma.need.findFirstOrThrow({ include: { community: true, group: true } });
    expect(need).toMatchObject({ text: '3号楼楼道灯坏了', community: { code: 'HT01' }, group: { title: '3号楼群' } });
    // Nobody had talked to the bot there when it was bound: bound anyway, with a warning to check the id.
    expect(bound.warned.join('\n')).toContain(`the bot has not seen wecom chat ${chatid} yet`);

    // Now the bot has seen the chat: binding it again (a building) warns no more.
    const again = await cli('group', 'bind', '--community', 'HT01', '--platform', 'wecom', '--chat', chatid, '--building', '3号楼');
    expect(again).toEqual({ out: [`group wecom:${chatid} bound to HT01 回天一社区 (3号楼)`], warned: [] });
    expect(await h.app.ctx.prisma.group.count()).toBe(1);
  });

  test('an id that is no WeCom group is refused and binds nothing', async () => {
    for (const chat of ['app:zhangsan', 'wr group', 'bot:']) {
      await expect(cli('group', 'bind', '--community', 'HT01', '--platform', 'wecom', '--chat', chat)).rejects.toThrow(/--chat .*(not a WeCom group id|private chat)/);
    }
    expect(await h.app.ctx.prisma.group.count()).toBe(1);
  });
});
