// Plain language through the real pipeline with an injected understander (as an LLM one would be
// plugged in): what it says is data; the command it maps to runs through the registry's handler.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import type { Understander, Understanding } from '../../src/core/understanding/understanding.ts';
import { t } from '../../src/flows/messages.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

describe('plain language with an injected understander', () => {
  let h: Harness;
  let next: Understanding = { intent: 'chatter', confidence: 1, slots: {}, source: 'llm' };
  const asked: string[] = [];
  const understander: Understander = {
    async understand(text) {
      asked.push(text);
      return next;
    },
  };
  let n = 0;
  let lastId = 0;
  const say = async (persona: string, conversation: string, text: string): Promise<string[]> => {
    await h.app.webChat.receive({ conversation, persona, text, clientId: `u-${persona}-${++n}` }, persona);
    await h.drain();
    const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { senderId: null, id: { gt: lastId } }, orderBy: { id: 'asc' } });
    lastId = rows.at(-1)?.id ?? lastId;
    return rows.map((r) => r.text);
  };

  beforeAll(async () => {
    h = await createHarness({ understander });
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: 'g1' });
  });
  afterAll(async () => h?.close());

  test('a clear report runs as 需求 would: the same reply, one need recorded', async () => {
    next = { intent: 'report_need', confidence: 0.9, slots: { category: 'repair' }, source: 'llm' };
    const plain = await say('张阿姨', 'g1', '@邻里助手 三楼的灯又不亮了');
    expect(plain).toEqual(['@张阿姨 已登记需求 #1（物业维修）。邻居们可以回复「+1 1」表示同求']);
    expect(asked.at(-1)).toBe('三楼的灯又不亮了'); // the mention is not part of what is understood
    expect(await h.app.ctx.prisma.need.count()).toBe(1);
  });

  test('unsure: one yes-or-no question; 2 does nothing, 1 runs it', async () => {
    next = { intent: 'support_need', confidence: 0.4, slots: { number: 1 }, source: 'llm' };
    expect(await say('刘大爷', 'g1', '@邻里助手 我家这边也这样')).toEqual(['@刘大爷 你是想为需求 #1 +1吗？回复 1 是，2 不是']);
    expect(await say('刘大爷', 'g1', '2')).toEqual([`@刘大爷 ${t('zh-Hans', 'understandDeclined')}`]);
    expect((await h.app.ctx.prisma.need.findFirstOrThrow()).supportCount).toBe(1);
    expect(await say('刘大爷', 'g1', '@邻里助手 我家这边也这样')).toHaveLength(1);
    expect(await say('刘大爷', 'g1', '1')).toEqual(['@刘大爷 已为需求 #1 +1，现在 2 人同求']);
    expect((await h.app.ctx.prisma.need.findFirstOrThrow()).supportCount).toBe(2);
    // Answered: a later bare 1 in the group is chatter again.
    expect(await say('刘大爷', 'g1', '1')).toEqual([]);
  });

  test('refusals are the command’s own: signing up for a project that does not exist', async () => {
    next = { intent: 'sign_up', confidence: 0.95, slots: { number: 9 }, source: 'llm' };
    expect(await say('张阿姨', 'g1', '@邻里助手 九号那个我去')).toEqual(['@张阿姨 没有找到项目 #9，发送「项目」查看编号']);
  });

  test('unaddressed group chatter is never understood', async () => {
    const before = asked.length;
    expect(await say('张阿姨', 'g1', '今天天气真好，大家出来晒太阳')).toEqual([]);
    expect(asked.length).toBe(before);
  });
});
