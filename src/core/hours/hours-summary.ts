import type { CoreContext } from '../context.ts';
import { nextStar, starsFor } from './stars.ts';

/**
 * A person's volunteer hours: approved (the sum of approved ledger entries, corrections included:
 * a correction is a signed difference), pending, and the stars the approved hours earn. Read-only.
 */
export async function personHours(ctx: CoreContext, personId: number) {
  const sums = await ctx.prisma.hoursEntry.groupBy({ by: ['status'], where: { personId }, _sum: { hours: true } });
  const of = (status: 'approved' | 'pending') => Number(sums.find((s) => s.status === status)?._sum.hours ?? 0);
  const approved = of('approved');
  return { approved, pending: of('pending'), stars: starsFor(approved), next: nextStar(approved) };
}
