import type { CoreContext } from '../context.ts';
import type { ConversationRef } from '../chat.ts';

export interface GroupOffer {
  requestId: number;
  project: { number: number; title: string };
  shift: { label: string; startsAt: Date; endsAt: Date; place: string };
  timezone: string;
  locale: string;
  /** The community's bound groups, on every platform. */
  groups: Array<{ id: number; to: ConversationRef }>;
}

/**
 * The offer of a substitute request to the community's groups, when its time comes: null when
 * nothing is left to offer (taken, withdrawn, the shift cancelled or begun). Marks the request as
 * offered (toGroupsAt) the first time; a repeated call returns the same offer, so a retried job
 * queues the same messages (their keys are the request's and the group's), never more.
 */
export async function offerSubstituteToGroups(ctx: CoreContext, requestId: number): Promise<GroupOffer | null> {
  const now = ctx.clock.now();
  const r = await ctx.prisma.substituteRequest.findUnique({
    where: { id: requestId },
    select: {
      id: true,
      status: true,
      toGroupsAt: true,
      shift: { select: { label: true, startsAt: true, endsAt: true, place: true, status: true, project: { select: { number: true, title: true, communityId: true, community: { select: { timezone: true, locale: true } } } } } },
    },
  });
  if (!r || r.status !== 'open' || r.shift.status !== 'scheduled' || r.shift.startsAt <= now) return null;
  if (!r.toGroupsAt) await ctx.prisma.substituteRequest.updateMany({ where: { id: r.id, toGroupsAt: null }, data: { toGroupsAt: now } });
  const groups = await ctx.prisma.group.findMany({ where: { communityId: r.shift.project.communityId }, orderBy: { id: 'asc' }, select: { id: true, platform: true, externalId: true } });
  return {
    requestId: r.id,
    project: { number: r.shift.project.number, title: r.shift.project.title },
    shift: r.shift,
    timezone: r.shift.project.community.timezone,
    locale: r.shift.project.community.locale,
    groups: groups.map((g) => ({ id: g.id, to: { platform: g.platform, chatId: g.externalId, kind: 'group' } })),
  };
}
