import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';

export const mergeNeedsInput = z.object({
  communityId: z.number().int(),
  /** The need that stays (its number, as residents see it). */
  into: z.number().int().positive(),
  /** The duplicates that are folded into it. */
  from: z.array(z.number().int().positive()).min(1).max(50),
  actorId: z.number().int().nullable(),
  via: z.enum(['chat', 'cli', 'api', 'console']),
});
export type MergeNeedsInput = z.input<typeof mergeNeedsInput>;

/**
 * Merges duplicate needs into one (需求合并). Each duplicate's supporters become supporters of the
 * target, each person once (a resident who +1'd both counts one), and the target's count is
 * recounted from its supporter rows; the duplicates become `merged` with `mergedIntoId` set (their
 * own supporter rows stay as history, and a later `+1` on them reaches the target); needs earlier
 * merged into a duplicate now point at the target. The target keeps its category; it takes a
 * duplicate's contact phone when it has none. Only open duplicates may be merged, into an open or
 * in-project need (NEED_CLOSED otherwise). One transaction, rows locked; one AuditLog row with
 * before and after. Not idempotent: a second call finds the duplicates merged (NEED_CLOSED).
 */
export async function mergeNeeds(ctx: CoreContext, input: MergeNeedsInput) {
  const i = mergeNeedsInput.parse(input);
  const from = [...new Set(i.from)].filter((n) => n !== i.into);
  if (from.length === 0) throw new AppError('INVALID_INPUT', { field: 'from' });
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, i.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    const numbers = [i.into, ...from];
    const found = await tx.need.findMany({
      where: { communityId: i.communityId, number: { in: numbers } },
      select: { id: true, number: true, status: true, supportCount: true, contactPhone: true, category: true },
    });
    const missing = numbers.find((n) => !found.some((x) => x.number === n));
    if (missing !== undefined) throw new AppError('NEED_NOT_FOUND', { number: missing });
    // Lock in id order so two merges over the same needs queue instead of deadlocking.
    const ids = found.map((n) => n.id).sort((a, b) => a - b);
    await tx.$queryRaw`SELECT id FROM "Need" WHERE id = ANY(${ids}::int[]) ORDER BY id FOR UPDATE`;
    const rows = await tx.need.findMany({
      where: { id: { in: ids } },
      select: { id: true, number: true, status: true, supportCount: true, contactPhone: true, category: true },
    });
    const target = rows.find((n) => n.number === i.into);
    if (!target) throw new AppError('NEED_NOT_FOUND', { number: i.into });
    if (target.status !== 'open' && target.status !== 'in_project') throw new AppError('NEED_CLOSED', { number: target.number });
    const sources = from.map((n) => rows.find((r) => r.number === n)).filter((r): r is NonNullable<typeof r> => r !== undefined);
    const closed = sources.find((s) => s.status !== 'open');
    if (closed) throw new AppError('NEED_CLOSED', { number: closed.number });

    const sourceIds = sources.map((s) => s.id);
    const supporters = await tx.needSupport.findMany({
      where: { needId: { in: sourceIds } },
      orderBy: [{ createdAt: 'asc' }],
      select: { personId: true, createdAt: true },
    });
    const firstSeen = new Map<number, Date>();
    for (const s of supporters) if (!firstSeen.has(s.personId)) firstSeen.set(s.personId, s.createdAt);
    const added = await tx.needSupport.createMany({
      data: [...firstSeen].map(([personId, createdAt]) => ({ needId: target.id, personId, createdAt })),
      skipDuplicates: true,
    });
    const supportCount = await tx.needSupport.count({ where: { needId: target.id } });
    const phone = target.contactPhone ?? sources.find((s) => s.contactPhone)?.contactPhone ?? null;
    await tx.need.update({ where: { id: target.id }, data: { supportCount, contactPhone: phone } });
    await tx.need.updateMany({ where: { id: { in: sourceIds } }, data: { status: 'merged', mergedIntoId: target.id } });
    const repointed = await tx.need.updateMany({ where: { mergedIntoId: { in: sourceIds } }, data: { mergedIntoId: target.id } });

    await writeAudit(tx, {
      communityId: i.communityId,
      actorId: i.actorId,
      via: i.via,
      action: 'need.merge',
      entity: 'Need',
      entityId: target.id,
      before: {
        into: { number: target.number, status: target.status, supportCount: target.supportCount, contactPhone: target.contactPhone !== null },
        from: sources.map((s) => ({ number: s.number, status: s.status, supportCount: s.supportCount })),
      },
      after: {
        into: { number: target.number, status: target.status, supportCount, contactPhone: phone !== null },
        from: sources.map((s) => ({ number: s.number, status: 'merged', mergedInto: target.number })),
        supportersAdded: added.count,
        repointed: repointed.count,
      },
    });
    return { into: { id: target.id, number: target.number, supportCount }, merged: sources.map((s) => s.number), supportersAdded: added.count };
  });
}
