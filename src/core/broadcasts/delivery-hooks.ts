import type { CoreContext } from '../context.ts';

/** How long a broadcast's status is trusted before it is read again (a cancel shows within it). */
const statusTtlMs = 1000;

/**
 * The broadcast bookkeeping the outbound worker calls for each delivery job: skip the deliveries of
 * a cancelled broadcast, record each group's result, and mark the broadcast done when its last
 * delivery has an outcome. Built for 10,000-group broadcasts: the broadcast's status is read once a
 * second, not once a delivery.
 */
export function deliveryHooks(ctx: CoreContext) {
  const statuses = new Map<number, { cancelled: boolean; at: number }>();
  const cancelled = async (broadcastId: number): Promise<boolean> => {
    const hit = statuses.get(broadcastId);
    if (hit && Date.now() - hit.at < statusTtlMs) return hit.cancelled;
    const b = await ctx.prisma.broadcast.findUnique({ where: { id: broadcastId }, select: { status: true } });
    const entry = { cancelled: !b || b.status === 'cancelled', at: Date.now() };
    statuses.set(broadcastId, entry);
    if (statuses.size > 1000) statuses.delete(statuses.keys().next().value ?? broadcastId);
    return entry.cancelled;
  };
  /**
   * Records an outcome; then, in a statement of its own (so it sees every other delivery's committed
   * outcome: two last deliveries finishing at once cannot both miss it), finishes the broadcast
   * when nothing is pending any more.
   */
  const record = async (deliveryId: number, set: { status: 'sent' | 'failed' | null; error: string | null }) => {
    const now = ctx.clock.now();
    const rows = await ctx.prisma.$queryRaw<Array<{ broadcastId: number; status: string }>>`
      UPDATE "Delivery"
      SET status = COALESCE(${set.status}::"DeliveryStatus", status),
          "sentAt" = CASE WHEN ${set.status}::text = 'sent' THEN ${now} ELSE "sentAt" END,
          attempts = attempts + 1,
          error = COALESCE(${set.error}, error)
      WHERE id = ${deliveryId} AND status = 'pending'
      RETURNING "broadcastId", status::text AS status`;
    const d = rows[0];
    if (!d || d.status === 'pending') return;
    await ctx.prisma.$executeRaw`
      UPDATE "Broadcast" b SET status = 'done', "finishedAt" = ${now}
      WHERE b.id = ${d.broadcastId} AND b.status = 'running'
        AND NOT EXISTS (SELECT 1 FROM "Delivery" p WHERE p."broadcastId" = b.id AND p.status = 'pending')`;
  };
  return {
    async shouldSend(deliveryId: number, broadcastId?: number): Promise<boolean> {
      if (broadcastId !== undefined && !(await cancelled(broadcastId))) return true;
      const d = await ctx.prisma.delivery.findUnique({ where: { id: deliveryId }, select: { status: true, broadcast: { select: { status: true } } } });
      if (!d || d.status !== 'pending') return false;
      if (d.broadcast.status === 'cancelled') {
        await ctx.prisma.delivery.updateMany({ where: { id: deliveryId, status: 'pending' }, data: { status: 'cancelled' } });
        return false;
      }
      return true;
    },
    async sent(deliveryId: number): Promise<void> {
      await record(deliveryId, { status: 'sent', error: null });
    },
    async failed(deliveryId: number, error: string, final: boolean): Promise<void> {
      await record(deliveryId, { status: final ? 'failed' : null, error });
    },
  };
}
