import type { CoreContext } from '../context.ts';
import { createCommunity } from '../communities/create-community.ts';
import { grantRole } from '../roles/grant-role.ts';
import { bindGroup } from '../groups/bind-group.ts';
import { ensurePerson } from '../people/resolve-person.ts';
import { reportNeed } from '../needs/report-need.ts';
import { supportNeed } from '../needs/support-need.ts';
import { demoCommunities, demoGroups, demoNeeds, demoPersonas } from './demo-data.ts';

/**
 * The demo: two communities of 回天, three web groups, six personas (a worker, residents, a
 * volunteer, organization members) and a few needs. Safe to run again: nothing is duplicated.
 */
export async function loadDemo(ctx: CoreContext, opts: { botName: string }): Promise<{ created: boolean }> {
  for (const c of demoCommunities) await createCommunity(ctx, c);
  const persons = new Map<string, number>();
  for (const p of demoPersonas) persons.set(p.id, await ensurePerson(ctx, 'web', p.id, p.name));
  await grantRole(ctx, { community: 'HT01', role: 'worker', platform: 'web', user: 'wang-shuji' });
  for (const g of demoGroups) {
    await bindGroup(ctx, { community: g.community, platform: 'web', chat: g.id, title: g.title, building: g.building });
  }
  const ht01 = await ctx.prisma.community.findUniqueOrThrow({ where: { code: 'HT01' } });
  await ctx.prisma.person.updateMany({ where: { id: { in: [...persons.values()] } }, data: { homeCommunityId: ht01.id } });
  const org = await ctx.prisma.organization.upsert({
    where: { communityId_name: { communityId: ht01.id, name: '夕阳天使志愿服务队' } },
    create: { communityId: ht01.id, name: '夕阳天使志愿服务队', kind: 'resident_team', serves: ['elderly', 'health'] },
    update: {},
  });
  const chen = persons.get('chen-laoshi');
  if (chen) {
    await ctx.prisma.organizationMember.upsert({
      where: { organizationId_personId: { organizationId: org.id, personId: chen } },
      create: { organizationId: org.id, personId: chen, role: 'leader' },
      update: {},
    });
  }

  if ((await ctx.prisma.need.count({ where: { communityId: ht01.id } })) > 0) return { created: false };
  for (const n of demoNeeds) {
    const group = await ctx.prisma.group.findUniqueOrThrow({ where: { platform_externalId: { platform: 'web', externalId: n.group } } });
    const r = await reportNeed(ctx, { communityId: ht01.id, authorId: persons.get(n.by) ?? 0, groupId: group.id, text: n.text });
    for (const who of n.plus) await supportNeed(ctx, { communityId: ht01.id, number: r.need.number, personId: persons.get(who) ?? 0 });
  }
  for (const g of demoGroups) {
    await ctx.prisma.webChatMessage.create({
      data: {
        conversation: g.id,
        senderId: null,
        senderName: opts.botName,
        text: `大家好，我是${opts.botName}。有什么需要社区帮忙的，发「需求 内容」告诉我；看大家的需求发「需求清单」；发「帮助」看全部用法。`,
      },
    });
  }
  return { created: true };
}
