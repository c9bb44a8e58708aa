// Regression (issue "One way through the middle", and the outside probe's defect 2): a publish that
// named another community's group answered NO_GROUPS, yet the project was already `published` —
// residents could 报名 a project that was never announced. Publishing is now one use case: every
// group is checked first, then status, broadcast and audit are written together or not at all.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import { grantRole } from '../../../src/core/roles/grant-role.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { publishProject } from '../../../src/core/projects/publish-project.ts';
import { announceProject } from '../../../src/notices/announce.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { groupIdCandidates } from '../../../src/bots/chat-ids.ts';

describe('publishProject is whole', () => {
  let h: Harness;
  let ht01 = 0;
  let worker = 0;
  let seq = 0;

  beforeAll(async () => {
    h = await createHarness();
    const ctx = h.app.ctx;
    ht01 = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    await createCommunity(ctx, { code: 'HT02', name: '回天二社区' });
    await bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'g-ht01', title: '一社区居民群' });
    await bindGroup(ctx, { community: 'HT02', platform: 'web', chat: 'g-ht02', title: '二社区居民群' });
    worker = (await grantRole(ctx, { community: 'HT01', role: 'worker', platform: 'web', user: '王书记', name: '王书记' })).personId;
    const start = new Date(Date.now() + 3 * 86400_000);
    await createProject(ctx, {
      communityId: ht01,
      title: '楼道灯维修',
      shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 2 * 3600_000), capacity: 3, place: '3号楼门口' }],
      actorId: worker,
      via: 'console',
    });
  });
  afterAll(async () => h?.close());

  const say = async (persona: string, text: string) => {
    await h.app.webChat.receive({ conversation: 'g-ht01', persona, text, clientId: `pub-${process.pid}-${++seq}` }, persona);
    await h.drain();
    const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { conversation: 'g-ht01', senderId: null }, orderBy: { id: 'desc' }, take: 1 });
    return rows[0]?.text ?? '';
  };
  const state = async () => {
    const ctx = h.app.ctx;
    const p = await ctx.prisma.project.findUniqueOrThrow({ where: { communityId_number: { communityId: ht01, number: 1 } } });
    return {
      status: p.status,
      publishedAt: p.publishedAt,
      broadcasts: await ctx.prisma.broadcast.count({ where: { communityId: ht01 } }),
      audits: await ctx.prisma.auditLog.count({ where: { communityId: ht01, action: { in: ['project.status', 'broadcast.create'] } } }),
      signUps: await ctx.prisma.signUp.count(),
    };
  };

  test("naming another community's group is refused and leaves the project exactly as it was", async () => {
    const before = await state();
    expect(before).toMatchObject({ status: 'draft', publishedAt: null, broadcasts: 0 });
    const refused = await publishProject(h.app.ctx, { communityId: ht01, number: 1, groups: ['g-ht01', 'g-ht02'], actorId: worker, via: 'api' }, announceProject).catch((e: unknown) => e);
    expect(isAppError(refused, 'NO_GROUPS')).toBe(true);
    expect(await state()).toEqual(before);
    // Nobody can sign up for a project that was never announced.
    expect(await say('刘大爷', '报名 1')).toContain('还没有开放报名');
    expect(await state()).toEqual(before);
  });

  test('the same publish to its own group: published, one broadcast, both audited; residents can sign up', async () => {
    const r = await publishProject(h.app.ctx, { communityId: ht01, number: 1, groups: ['g-ht01'], actorId: worker, via: 'api' }, announceProject);
    expect(r.groupCount).toBe(1);
    expect(r.effects.find((e) => e.kind === 'broadcastScheduled')).toEqual({ kind: 'broadcastScheduled', broadcast: { id: r.broadcast.id, sendAt: null, cron: null, timezone: null } });
    const after = await state();
    expect(after).toMatchObject({ status: 'published', broadcasts: 1, audits: 2 });
    expect(after.publishedAt).not.toBeNull();
    expect(r.broadcast.text).toContain('楼道灯维修');
    expect(await say('刘大爷', '报名 1')).toContain('报名成功');
  });

  test('a group named by the id its platform shows (a WeCom chatid, a Telegram id) is found; an unknown one is refused by name', async () => {
    const ctx = h.app.ctx;
    await ctx.prisma.group.create({ data: { platform: 'wecom', externalId: 'bot:wrGROUP1', title: '七号楼企业微信群', communityId: ht01 } });
    await ctx.prisma.group.create({ data: { platform: 'telegram', externalId: '-1001234567890', title: 'Telegram 群', communityId: ht01 } });
    const r = await publishProject(ctx, { communityId: ht01, number: 1, groups: ['wrGROUP1', '-1001234567890'].map(groupIdCandidates), actorId: worker, via: 'cli' }, announceProject);
    expect(r.groupCount).toBe(2);
    const stored = await ctx.prisma.broadcast.findUniqueOrThrow({ where: { id: r.broadcast.id } });
    const groups = await ctx.prisma.group.findMany({ where: { id: { in: stored.groupIds } }, select: { externalId: true } });
    expect(groups.map((g) => g.externalId).sort()).toEqual(['-1001234567890', 'bot:wrGROUP1']);
    const refused = await publishProject(ctx, { communityId: ht01, number: 1, groups: ['wrNOSUCH'].map(groupIdCandidates), actorId: worker, via: 'cli' }, announceProject).catch((e: unknown) => e);
    expect(isAppError(refused, 'NO_GROUPS') && refused.details).toEqual({ name: 'wrNOSUCH' });
  });
});
