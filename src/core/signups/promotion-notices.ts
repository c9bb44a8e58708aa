import { formatShiftTime } from '../../lib/time.ts';
import type { CoreContext } from '../context.ts';
import type { Notice } from '../effects.ts';

/**
 * The notices to people promoted from a waitlist ("好消息：有人取消了…"). `keySuffix` makes the key
 * deterministic for one cause (the inbound message that freed the place), so a redelivery tells once.
 */
export async function promotionNotices(
  ctx: CoreContext,
  promoted: ReadonlyArray<{ personId: number; shiftId: number }>,
  project: { number: number; title: string },
  keySuffix: string,
): Promise<Notice[]> {
  if (promoted.length === 0) return [];
  const shifts = await ctx.prisma.shift.findMany({
    where: { id: { in: promoted.map((p) => p.shiftId) } },
    select: { id: true, label: true, startsAt: true, endsAt: true, project: { select: { community: { select: { timezone: true } } } } },
  });
  return promoted.map((p) => {
    const s = shifts.find((x) => x.id === p.shiftId);
    return {
      personId: p.personId,
      key: `promoted:${p.shiftId}:${p.personId}:${keySuffix}`,
      message: 'promoted',
      params: { number: project.number, title: project.title, label: s?.label ?? '', time: s ? formatShiftTime(s.startsAt, s.endsAt, s.project.community.timezone) : '' },
    };
  });
}
