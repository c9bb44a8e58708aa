import { isAppError } from '../lib/errors.ts';
import type { CoreContext } from '../core/context.ts';
import { closeProject } from '../core/evaluation/close-project.ts';
import { createBroadcast } from '../core/broadcasts/create-broadcast.ts';
import type { OutboundItem } from '../../jobs/outbound.ts';
import { isLocale, t } from './messages.ts';
import { privateMessages, type Notice } from './notify.ts';
import { shiftCancelledNotice } from './shift-changes.ts';

/**
 * Closes project N (closeProject) and, the first time, asks the residents of the groups it was
 * published to for feedback: a broadcast (recorded here; the caller schedules its fan-out) of
 * `评价 N 1-5分`. Returns the private notices to queue: volunteers of shifts cancelled by the close,
 * and the supporters of its needs (projectClosedToSupporter, informational).
 */
export async function closeAndAskForFeedback(
  ctx: CoreContext,
  input: { communityId: number; number: number; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' },
): Promise<{ closed: Awaited<ReturnType<typeof closeProject>>; broadcast: { id: number } | null; groupCount: number; notices: OutboundItem[] }> {
  const closed = await closeProject(ctx, input);
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId }, select: { locale: true, timezone: true } });
  const locale = isLocale(community.locale) ? community.locale : 'zh-Hans';
  let broadcast: { id: number } | null = null;
  let groupCount = 0;
  if (closed.newlyClosed) {
    const published = await ctx.prisma.broadcast.findMany({ where: { projectId: closed.project.id, parentId: null }, select: { groupIds: true } });
    if (published.length) {
      const everywhere = published.some((b) => b.groupIds.length === 0);
      const groupIds = everywhere ? [] : [...new Set(published.flatMap((b) => b.groupIds))];
      try {
        broadcast = await createBroadcast(ctx, {
          communityId: input.communityId,
          projectId: closed.project.id,
          text: t(locale, 'closeFeedbackAsk', { number: closed.project.number, title: closed.project.title }),
          groupIds,
          actorId: input.actorId,
          via: input.via,
        });
        groupCount = groupIds.length || (await ctx.prisma.group.count({ where: { communityId: input.communityId } }));
      } catch (e) {
        // Its groups were unbound since: nobody to ask.
        if (!isAppError(e, 'NO_GROUPS')) throw e;
      }
    }
  }
  const notices: Notice[] = [];
  for (const s of closed.cancelledShifts) for (const personId of s.volunteers) notices.push(shiftCancelledNotice(personId, closed.project, s, community.timezone));
  for (const s of closed.supporters) {
    notices.push({
      personId: s.personId,
      key: `projectclosed:${closed.project.id}:${s.personId}`,
      message: 'projectClosedToSupporter',
      params: { need: s.needNumber, number: closed.project.number, title: closed.project.title },
      informational: true,
    });
  }
  return { closed, broadcast, groupCount, notices: await privateMessages(ctx, notices, locale) };
}
