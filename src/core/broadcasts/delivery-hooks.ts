import type { CoreContext } from '../context.ts';

/**
 * The broadcast bookkeeping the outbound worker calls for each delivery job: skip a delivery whose
 * broadcast was cancelled, record each group's result, and mark the broadcast done when its last
 * delivery has an outcome.
 */
export function deliveryHooks(ctx: CoreContext) {
  const finishIfDone = async (deliveryId: number) => {
    await ctx.prisma.$executeRaw`
      UPDATE "Broadcast" b SET status = 'done', "finishedAt" = ${ctx.clock.now()}
      FROM "Delivery" d
      WHERE d.id = ${deliveryId} AND b.id = d."broadcastId" AND b.status = 'running'
        AND NOT EXISTS (SELECT 1 FROM "Delivery" p WHERE p."broadcastId" = b.id AND p.status = 'pending')`;
  };
  return {
    async shouldSend(deliveryId: number): Promise<boolean> {
      const d = await ctx.prisma.delivery.findUnique({ where: { id: deliveryId }, select: { status: true, broadcast: { select: { status: true } } } });
      if (!d || d.status !== 'pending') return false;
      if (d.broadcast.status === 'cancelled') {
        await ctx.prisma.delivery.updateMany({ where: { id: deliveryId, status: 'pending' }, data: { status: 'cancelled' } });
        return false;
      }
      return true;
    },
    async sent(deliveryId: number): Promise<void> {
      await ctx.prisma.delivery.updateMany({
        where: { id: deliveryId, status: 'pending' },
        data: { status: 'sent', sentAt: ctx.clock.now(), attempts: { increment: 1 } },
      });
      await finishIfDone(deliveryId);
    },
    async failed(deliveryId: number, error: string, final: boolean): Promise<void> {
      await ctx.prisma.delivery.updateMany({
        where: { id: deliveryId, status: 'pending' },
        data: { attempts: { increment: 1 }, error, ...(final ? { status: 'failed' } : {}) },
      });
      if (final) await finishIfDone(deliveryId);
    },
  };
}
