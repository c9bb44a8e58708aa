import type { CoreContext } from '../context.ts';
import type { NeedSummary } from './support-need.ts';

/** `需求清单`: the community's open needs, most supported first, and how many there are in all. */
export async function listOpenNeeds(
  ctx: CoreContext,
  input: { communityId: number; limit?: number },
): Promise<{ needs: NeedSummary[]; total: number }> {
  const where = { communityId: input.communityId, status: 'open' as const };
  const [needs, total] = await Promise.all([
    ctx.prisma.need.findMany({
      where,
      orderBy: [{ supportCount: 'desc' }, { number: 'asc' }],
      take: input.limit ?? 10,
      select: { id: true, number: true, text: true, category: true, supportCount: true },
    }),
    ctx.prisma.need.count({ where }),
  ]);
  return { needs, total };
}
