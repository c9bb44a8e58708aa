import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { describeNeedFlow } from '../../src/flows/need-intake.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

/** Says something in a web group and returns the bot's replies after delivery. */
function chat(h: Harness) {
  let n = 0;
  let lastId = 0;
  return async (persona: string, conversation: string, text: string): Promise<string[]> => {
    await h.app.webChat.receive({ conversation, persona, text, clientId: `c-${persona}-${++n}` }, persona);
    await h.drain();
    const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { senderId: null, id: { gt: lastId } }, orderBy: { id: 'asc' } });
    lastId = rows.at(-1)?.id ?? lastId;
    return rows.map((r) => r.text);
  };
}

describe('need intake edge cases', () => {
  let h: Harness;
  let say: ReturnType<typeof chat>;
  let communityId: number;
  beforeAll(async () => {
    h = await createHarness({ personRatePerMinute: 5 });
    const c = await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    communityId = c.id;
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: 'g1' });
    say = chat(h);
  });
  afterAll(async () => h?.close());

  test('a need longer than 500 characters is cut at 500 and the person is told', async () => {
    const long = `需求 ${'楼道灯坏了，'.repeat(120)}`; // 720 characters of need
    const replies = await say('p1', 'g1', long);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('已登记需求 #1');
    expect(replies[0]).toContain('内容超过 500 字，只记下了前 500 字');
    const need = await h.app.ctx.prisma.need.findFirstOrThrow({ where: { communityId, number: 1 } });
    expect(Array.from(need.text)).toHaveLength(500);
  });

  test('a message over 2,000 characters is refused and records nothing', async () => {
    const before = await h.app.ctx.prisma.need.count();
    const replies = await say('p2', 'g1', `需求 ${'很长'.repeat(1500)}`);
    expect(replies).toEqual(['@p2 消息太长了（最多 2000 字），请分几条发']);
    expect(await h.app.ctx.prisma.need.count()).toBe(before);
  });

  test('a resolved need cannot be supported; a merged one passes the +1 on', async () => {
    await say('p3', 'g1', '需求 小区东门门禁坏了');
    await say('p3', 'g1', '需求 垃圾桶太少了');
    const [gate, bins] = await Promise.all([
      h.app.ctx.prisma.need.findFirstOrThrow({ where: { communityId, text: '小区东门门禁坏了' } }),
      h.app.ctx.prisma.need.findFirstOrThrow({ where: { communityId, text: '垃圾桶太少了' } }),
    ]);
    await h.app.ctx.prisma.need.update({ where: { id: gate.id }, data: { status: 'resolved' } });
    expect(await say('p4', 'g1', `+1 ${gate.number}`)).toEqual([`@p4 需求 #${gate.number} 已经办结或关闭，不能再 +1`]);

    await say('p4', 'g1', '需求 孩子放学后没人看');
    const dup = await h.app.ctx.prisma.need.findFirstOrThrow({ where: { communityId, text: '孩子放学后没人看' } });
    await h.app.ctx.prisma.need.update({ where: { id: dup.id }, data: { status: 'merged', mergedIntoId: bins.id } });
    expect(await say('p5', 'g1', `+1 ${dup.number}`)).toEqual([`@p5 已为需求 #${bins.number} +1，现在 2 人同求`]);
  });

  // Regression: every throttled message used to get its own public "说得太快了".
  test('a person talking too fast is told so once, then the rest is ignored quietly', async () => {
    const replies: string[] = [];
    for (let i = 0; i < 8; i++) replies.push(...(await say('fast', 'g1', '需求清单')));
    expect(replies.filter((r) => r === '@fast 说得太快了，请稍后再试')).toHaveLength(1);
    expect(replies.filter((r) => r.includes('待解决需求'))).toHaveLength(5);
    expect(replies).toHaveLength(6);
  });

  test('a stored flow session of another version is dropped, not misread', async () => {
    const key = { platform: 'web' as const, chatId: 'g1', userId: 'p6' };
    await h.app.router.sessions.set(key, {
      flow: describeNeedFlow.name,
      version: describeNeedFlow.version,
      step: 'text',
      answers: {},
      expiresAt: new Date(Date.now() + 60_000),
    });
    await h.app.ctx.prisma.flowSession.updateMany({ where: key, data: { version: describeNeedFlow.version + 1 } });
    expect(await h.app.router.sessions.get(key)).toBeNull();
    expect(await h.app.ctx.prisma.flowSession.count({ where: key })).toBe(0);
    // and the chatter that follows is not taken for a need
    expect(await say('p6', 'g1', '今天天气不错')).toEqual([]);
  });

  test('sessions are per person: a neighbour speaking meanwhile is not swallowed', async () => {
    expect(await say('p7', 'g1', '需求')).toEqual(['@p7 请在「需求」后面写上具体内容，例如：需求 3号楼楼道灯坏了']);
    expect(await say('p8', 'g1', '楼下好吵')).toEqual([]);
    const replies = await say('p7', 'g1', '健身器材坏了');
    expect(replies[0]).toMatch(/^@p7 已登记需求 #\d+（文化体育）/);
    expect(await h.app.ctx.prisma.need.count({ where: { text: '楼下好吵' } })).toBe(0);
  });
});
