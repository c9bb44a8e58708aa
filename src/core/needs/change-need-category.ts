import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { isNeedCategory } from './categories.ts';

/**
 * A worker changes a need's category (domain.md: "the worker can change it"); `categoryBy` becomes
 * "worker". A call that changes nothing writes nothing. Audited with before and after. Safe to retry.
 */
export async function changeNeedCategory(
  ctx: CoreContext,
  input: { communityId: number; number: number; category: string; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' },
) {
  if (!isNeedCategory(input.category)) throw new AppError('INVALID_INPUT', { field: 'category' });
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    const need = await tx.need.findUnique({ where: { communityId_number: { communityId: input.communityId, number: input.number } } });
    if (!need) throw new AppError('NEED_NOT_FOUND', { number: input.number });
    if (need.category === input.category) return { changed: false };
    await tx.need.update({ where: { id: need.id }, data: { category: input.category, categoryBy: 'worker' } });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'need.category',
      entity: 'Need',
      entityId: need.id,
      before: { number: need.number, category: need.category, categoryBy: need.categoryBy },
      after: { number: need.number, category: input.category, categoryBy: 'worker' },
    });
    return { changed: true };
  });
}
