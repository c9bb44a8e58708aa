import type { CoreContext } from '../context.ts';
import type { NeedSummary } from './support-need.ts';

/** `需求清单`: the community's open needs, most supported first, and how many there are in all. */
export async function listOpenNeeds(
  ctx: CoreContext,
  input: { communityId: number; limit?: number },
): Promise<{ needs: NeedSummary[]; total: number }> {
  // One statement: the page and the count of all (the window counts before the LIMIT).
  const rows = await ctx.prisma.$queryRaw<Array<NeedSummary & { total: number }>>`
    SELECT id, number, text, category::text AS category, "supportCount", (count(*) OVER ())::int AS total
    FROM "Need" WHERE "communityId" = ${input.communityId} AND status = 'open'
    ORDER BY "supportCount" DESC, number ASC
    LIMIT ${input.limit ?? 10}`;
  const total = rows[0]?.total ?? 0;
  return { needs: rows.map(({ total: _, ...n }) => n), total };
}
