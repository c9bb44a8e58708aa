import type { CoreContext } from '../context.ts';

/** How long a finished InboundMessage row is kept: far longer than any platform redelivers. */
export const inboundKeepDays = 7;

/**
 * Deletes the InboundMessage rows of messages answered more than `keepDays` ago, in batches so
 * that no statement holds many locks or runs long. The rows are there to recognise a redelivery
 * (Telegram keeps an unconfirmed update a day, WeCom retries within seconds); nothing else reads
 * them, and one per message received would otherwise grow without end. A row still being
 * processed, or parked with replies to queue (completedAt null), is never touched. Returns how
 * many rows went.
 */
export async function pruneInbound(ctx: CoreContext, opts: { keepDays?: number; batch?: number } = {}): Promise<number> {
  const keepDays = opts.keepDays ?? inboundKeepDays;
  const batch = opts.batch ?? 5000;
  const before = new Date(ctx.clock.now().getTime() - keepDays * 86_400_000);
  let pruned = 0;
  for (;;) {
    const n = await ctx.prisma.$executeRaw`
      DELETE FROM "InboundMessage" WHERE id IN (
        SELECT id FROM "InboundMessage" WHERE "completedAt" IS NOT NULL AND "completedAt" < ${before}
        ORDER BY id LIMIT ${batch})`;
    pruned += n;
    if (n < batch) return pruned;
  }
}
