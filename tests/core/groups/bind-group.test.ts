// Who may bind a group that already belongs to a community. Bug covered: a worker of HT01 could
// send `绑定 HT01` in HT02's group and the group moved to HT01. Rebinding a bound group needs a
// worker of its current community too (or street / district staff over both); both communities'
// audit logs record a move. Driven through the web chat adapter and the real pipeline.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import { grantScopedRole } from '../../../src/core/roles/grant-scoped-role.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';

describe('bindGroup: moving a bound group', () => {
  let h: Harness;
  let n = 0;
  let lastId = 0;
  const ids: Record<string, number> = {};

  /** `persona` says `text` in web group `conversation`; the bot's lines that followed. */
  const say = async (persona: string, conversation: string, text: string): Promise<string[]> => {
    await h.app.webChat.receive({ conversation, persona, text, clientId: `b-${persona}-${++n}` }, persona);
    await h.drain();
    const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { senderId: null, id: { gt: lastId } }, orderBy: { id: 'asc' } });
    lastId = rows.at(-1)?.id ?? lastId;
    return rows.map((r) => r.text);
  };
  const groupOf = async (chat: string) => {
    const g = await h.app.ctx.prisma.group.findUniqueOrThrow({ where: { platform_externalId: { platform: 'web', externalId: chat } }, include: { community: true } });
    return { id: g.id, community: g.community?.code };
  };
  const audits = (groupId: number) =>
    h.app.ctx.prisma.auditLog.findMany({ where: { entity: 'Group', entityId: String(groupId) }, orderBy: { id: 'asc' }, include: { community: { select: { code: true } } } });

  beforeAll(async () => {
    h = await createHarness();
    const ctx = h.app.ctx;
    await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' });
    await createCommunity(ctx, { code: 'HT02', name: '回天二社区', street: '霍营街道', district: '昌平区' });
    await createCommunity(ctx, { code: 'SH01', name: '沙河一社区', street: '沙河镇', district: '昌平区' });
    const grants = [
      ['w-ht01', { community: 'HT01' }],
      ['w-ht02', { community: 'HT02' }],
      ['w-sh01', { community: 'SH01' }],
      ['w-street', { street: '霍营街道' }],
      ['w-district', { district: '昌平区' }],
    ] as const;
    for (const [persona, scope] of grants) {
      ids[persona] = await h.persona(persona);
      await grantScopedRole(ctx, { personId: ids[persona] ?? 0, role: 'worker', scope, actorId: null, via: 'cli' });
    }
    // Both of them: HT02's own worker who also works for SH01.
    ids['w-both'] = await h.persona('w-both');
    await grantScopedRole(ctx, { personId: ids['w-both'] ?? 0, role: 'worker', scope: { community: 'HT02' }, actorId: null, via: 'cli' });
    await grantScopedRole(ctx, { personId: ids['w-both'] ?? 0, role: 'worker', scope: { community: 'SH01' }, actorId: null, via: 'cli' });
    ids['w-en'] = await h.persona('w-en');
    await grantScopedRole(ctx, { personId: ids['w-en'] ?? 0, role: 'worker', scope: { community: 'HT01' }, actorId: null, via: 'cli' });
    await ctx.prisma.person.update({ where: { id: ids['w-en'] ?? 0 }, data: { locale: 'en' } });
    for (const chat of ['g-ht02', 'g-move', 'g-both', 'g-cli', 'g-en']) await bindGroup(ctx, { community: 'HT02', platform: 'web', chat });
  });
  afterAll(async () => h?.close());

  test('regression: a worker of HT01 cannot take HT02’s group with 绑定 HT01', async () => {
    const group = await groupOf('g-ht02');
    const before = await audits(group.id);
    expect(await say('w-ht01', 'g-ht02', '绑定 HT01')).toEqual([
      '@w-ht01 本群已绑定到 回天二社区，只有 回天二社区 的工作人员（或同时管辖两个社区的街道、区级工作人员）可以改绑',
    ]);
    expect(await groupOf('g-ht02')).toEqual(group); // still HT02's
    expect(await audits(group.id)).toEqual(before); // and nothing recorded
    expect(group.community).toBe('HT02');
  });

  test('the refusal is in the person’s language', async () => {
    expect(await say('w-en', 'g-en', '绑定 HT01')).toEqual([
      '@w-en This group belongs to 回天二社区; only a worker of 回天二社区 (or street or district staff over both communities) can move it',
    ]);
    expect((await groupOf('g-en')).community).toBe('HT02');
  });

  test('a worker of another street’s community cannot take it either, nor HT02’s worker give it to a community not theirs', async () => {
    expect(await say('w-sh01', 'g-ht02', '绑定 SH01')).toEqual([expect.stringContaining('本群已绑定到 回天二社区')]);
    expect(await say('w-ht02', 'g-ht02', '绑定 HT01')).toEqual(['@w-ht02 只有本社区的工作人员可以这样做。如需帮助，请联系居委会']);
    expect((await groupOf('g-ht02')).community).toBe('HT02');
  });

  test('the current community’s worker may rebind within it (a building), recorded once', async () => {
    const group = await groupOf('g-ht02');
    const before = (await audits(group.id)).length;
    expect(await say('w-ht02', 'g-ht02', '绑定 HT02 3号楼')).toEqual([expect.stringContaining('本群已绑定到 回天二社区（3号楼）')]);
    const rows = await audits(group.id);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ action: 'group.bind', actorId: ids['w-ht02'], community: { code: 'HT02' } });
  });

  test('street staff over both communities move it; both audit logs record the move', async () => {
    const group = await groupOf('g-move');
    const before = (await audits(group.id)).length;
    expect(await say('w-street', 'g-move', '绑定 HT01')).toEqual([expect.stringContaining('本群已绑定到 回天一社区')]);
    expect((await groupOf('g-move')).community).toBe('HT01');
    const rows = (await audits(group.id)).slice(before);
    const [ht01, ht02] = await Promise.all(['HT01', 'HT02'].map((code) => h.app.ctx.prisma.community.findUniqueOrThrow({ where: { code } })));
    expect(rows.map((r) => ({ action: r.action, community: r.community?.code, actorId: r.actorId, via: r.via }))).toEqual([
      { action: 'group.bind', community: 'HT01', actorId: ids['w-street'], via: 'chat' },
      { action: 'group.unbind', community: 'HT02', actorId: ids['w-street'], via: 'chat' },
    ]);
    for (const r of rows) expect(r).toMatchObject({ before: { communityId: ht02?.id }, after: { communityId: ht01?.id } });
    // District staff over both move it on (SH01 is on another street of the same district).
    expect(await say('w-district', 'g-move', '绑定 SH01')).toEqual([expect.stringContaining('本群已绑定到 沙河一社区')]);
    expect((await groupOf('g-move')).community).toBe('SH01');
  });

  test('a worker of both the current and the new community may move it', async () => {
    expect(await say('w-both', 'g-both', '绑定 SH01')).toEqual([expect.stringContaining('本群已绑定到 沙河一社区')]);
    expect((await groupOf('g-both')).community).toBe('SH01');
  });

  test('the CLI (an operator) may still move a group; both communities record it', async () => {
    const group = await groupOf('g-cli');
    const before = (await audits(group.id)).length;
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: 'g-cli' });
    expect((await groupOf('g-cli')).community).toBe('HT01');
    const rows = (await audits(group.id)).slice(before);
    expect(rows.map((r) => `${r.action} ${r.community?.code} ${r.via} ${r.actorId}`)).toEqual(['group.bind HT01 cli null', 'group.unbind HT02 cli null']);
  });
});
