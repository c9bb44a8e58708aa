import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';

export interface NeedSummary {
  id: number;
  number: number;
  text: string;
  category: string;
  supportCount: number;
}

const needSummary = { id: true, number: true, text: true, category: true, supportCount: true, status: true, mergedIntoId: true } as const;

/**
 * Adds one person's support to a need, once. Returns the new count and whether this person had
 * already supported it. Must run inside the caller's transaction.
 */
export async function addSupport(tx: Db, needId: number, personId: number): Promise<{ supportCount: number; added: boolean }> {
  const inserted = await tx.needSupport.createMany({ data: [{ needId, personId }], skipDuplicates: true });
  if (inserted.count === 0) {
    const need = await tx.need.findUniqueOrThrow({ where: { id: needId }, select: { supportCount: true } });
    return { supportCount: need.supportCount, added: false };
  }
  const need = await tx.need.update({ where: { id: needId }, data: { supportCount: { increment: 1 } }, select: { supportCount: true } });
  return { supportCount: need.supportCount, added: true };
}

/**
 * `+1 N`: the sender supports need N of their community. A merged need passes the support on to
 * the need it was merged into. Refuses unknown, resolved or rejected needs and a second +1.
 */
export async function supportNeed(
  ctx: CoreContext,
  input: { communityId: number; number: number; personId: number },
): Promise<{ need: NeedSummary; supportCount: number }> {
  return ctx.prisma.$transaction(async (tx) => {
    let need = await tx.need.findUnique({
      where: { communityId_number: { communityId: input.communityId, number: input.number } },
      select: needSummary,
    });
    if (!need) throw new AppError('NEED_NOT_FOUND', { number: input.number });
    for (let hops = 0; need.status === 'merged' && need.mergedIntoId !== null && hops < 5; hops++) {
      need = await tx.need.findUniqueOrThrow({ where: { id: need.mergedIntoId }, select: needSummary });
    }
    if (need.status === 'resolved' || need.status === 'rejected' || need.status === 'merged') {
      throw new AppError('NEED_CLOSED', { number: need.number });
    }
    const { supportCount, added } = await addSupport(tx, need.id, input.personId);
    if (!added) throw new AppError('ALREADY_SUPPORTED', { number: need.number, count: supportCount });
    return { need: { ...need, supportCount }, supportCount };
  });
}
