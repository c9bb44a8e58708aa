// Who has been seen in which community's groups (CommunityMember): written by the router the
// first time a person acts in a bound group, once per pair, and not again per message (an
// in-process cache); a private chat or an unbound group records nothing. Then a vote refused to
// a person seen only in another community, with its reason, through the chat.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { CommunityMembers } from '../../src/core/people/community-members.ts';
import type { CoreContext } from '../../src/core/context.ts';
import { createRound } from '../../src/core/ventures/create-round.ts';
import { changePhase } from '../../src/core/ventures/change-phase.ts';
import { submitProposal } from '../../src/core/ventures/submit-proposal.ts';
import { reviewProposal } from '../../src/core/ventures/review-proposal.ts';
import { ventureAnnouncer } from '../../src/notices/venture-announce.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

describe('people seen in a community’s groups', () => {
  let h: Harness;
  let n = 0;
  let lastId = 0;
  const ids = { ht01: 0, ht02: 0 };
  const say = async (persona: string, conversation: string, text: string): Promise<string[]> => {
    await h.app.webChat.receive({ conversation, persona, text, clientId: `cm-${persona}-${++n}` }, persona);
    await h.drain();
    const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { senderId: null, id: { gt: lastId } }, orderBy: { id: 'asc' } });
    lastId = rows.at(-1)?.id ?? lastId;
    return rows.map((r) => r.text);
  };
  const membersOf = async (persona: string) =>
    (
      await h.app.ctx.prisma.communityMember.findMany({
        where: { person: { identities: { some: { platform: 'web', externalId: persona } } } },
        include: { community: { select: { code: true } } },
        orderBy: { id: 'asc' },
      })
    ).map((m) => m.community.code);

  beforeAll(async () => {
    h = await createHarness();
    ids.ht01 = (await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' })).id;
    ids.ht02 = (await createCommunity(h.app.ctx, { code: 'HT02', name: '回天二社区' })).id;
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: 'g1' });
    await bindGroup(h.app.ctx, { community: 'HT02', platform: 'web', chat: 'g2' });
  });
  afterAll(async () => h?.close());

  test('first sight in a bound group is recorded once; private chats and unbound groups record nothing', async () => {
    await say('zhang', 'dm:zhang', '/help');
    await say('zhang', 'loose-group', '@邻里助手 提案清单');
    expect(await membersOf('zhang')).toEqual([]);
    await say('zhang', 'g1', '@邻里助手 提案清单');
    const first = await h.app.ctx.prisma.communityMember.findFirstOrThrow();
    await say('zhang', 'g1', '@邻里助手 提案清单');
    await say('zhang', 'g2', '@邻里助手 提案清单');
    expect(await membersOf('zhang')).toEqual(['HT01', 'HT02']);
    expect((await h.app.ctx.prisma.communityMember.findUniqueOrThrow({ where: { id: first.id } })).firstSeenAt).toEqual(first.firstSeenAt);
  });

  test('the cache: a pair already recorded costs no statement', async () => {
    let statements = 0;
    const prisma = h.app.ctx.prisma;
    // The real client, counting the raw statements the recorder sends through it.
    const counting = new Proxy(prisma, {
      get(target, key, receiver) {
        if (key === '$executeRaw') statements++;
        return Reflect.get(target, key, receiver);
      },
    });
    const members = new CommunityMembers({ prisma: counting, clock: h.app.ctx.clock } as CoreContext);
    const person = (await prisma.person.create({ data: { displayName: '李' } })).id;
    for (let i = 0; i < 5; i++) await members.seen(person, ids.ht01);
    await members.seen(person, ids.ht02);
    expect(statements).toBe(2);
    expect(await prisma.communityMember.count({ where: { personId: person } })).toBe(2);
  });

  test('a person seen only in another community until the vote opened is refused in the chat, with the reason', async () => {
    const ctx = h.app.ctx;
    await say('wang', 'g2', '@邻里助手 提案清单'); // wang is seen in HT02 only
    await createRound(ctx, { communityId: ids.ht01, title: '一社区微创投', budgetYuan: 3000, via: 'cli' });
    await changePhase(ctx, { communityId: ids.ht01, round: 1, to: 'collecting', actorId: null, via: 'cli' }, ventureAnnouncer);
    const author = (await ctx.prisma.person.create({ data: { displayName: '作者' } })).id;
    await submitProposal(ctx, { communityId: ids.ht01, personId: author, title: '图书角', requestedYuan: 1000 });
    await reviewProposal(ctx, { communityId: ids.ht01, number: 1, approve: true, actorId: null, via: 'cli' });
    await changePhase(ctx, { communityId: ids.ht01, round: 1, to: 'voting', actorId: null, via: 'cli' }, ventureAnnouncer);
    await say('zhang', 'g1', '@邻里助手 投票 1'); // zhang was seen in HT01 before the vote opened
    expect(await ctx.prisma.vote.count()).toBe(1);
    // wang writes in HT01's group for the first time now: seen there only after voting opened.
    const replies = await say('wang', 'g1', '@邻里助手 投票 1');
    expect(replies.join('\n')).toContain('投票开始后才来的新账号不能参加这一轮投票');
    expect(await ctx.prisma.vote.count()).toBe(1);
  });
});
