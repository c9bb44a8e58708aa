import type { Platform } from '../chat.ts';
import type { CoreContext } from '../context.ts';
import { Prisma } from '../../db/prisma.ts';

export interface InboundKey {
  platform: Platform;
  messageId: string;
  chatId: string;
  userId: string;
}

/**
 * How long a claim is taken to be worked on by the process that made it. Processing a message
 * takes milliseconds; a claim still incomplete after this is one whose process died, and the
 * message's next delivery takes it over.
 */
export const inboundLeaseMs = 10_000;

/** The claim is the message's; `takenOver` when an earlier claim had died incomplete. */
export type InboundClaim = { claimed: true; takenOver: boolean } | { claimed: false };

/**
 * Claims a platform message for processing. The first delivery of a (platform, message id)
 * claims it; a redelivery of a completed message does not (the caller then does nothing).
 * A redelivery that finds the message claimed but not completed waits: when the claim completes
 * it is a duplicate, when the claim's lease runs out first (its process died between claiming
 * and completing) it takes the claim over and the message is processed afresh. Lease times are
 * the database's clock, so processes with skewed clocks agree. One statement when the message
 * is new. Safe to call concurrently: exactly one caller holds the claim at a time.
 */
export async function claimInbound(ctx: CoreContext, key: InboundKey, leaseMs = inboundLeaseMs): Promise<InboundClaim> {
  // A safety net only: the lease ends by the database's clock, long before this.
  const giveUpAt = Date.now() + leaseMs + 5_000;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    const rows = await ctx.prisma.$queryRaw<Array<{ inserted: boolean }>>`
      INSERT INTO "InboundMessage" (platform, "externalId", "chatId", "userId", "receivedAt", "claimedUntil")
      VALUES (${key.platform}::"Platform", ${key.messageId}, ${key.chatId}, ${key.userId}, ${ctx.clock.now()},
              (now() AT TIME ZONE 'UTC') + ${leaseMs}::int * interval '1 millisecond')
      ON CONFLICT (platform, "externalId") DO UPDATE SET "claimedUntil" = EXCLUDED."claimedUntil"
        WHERE "InboundMessage"."completedAt" IS NULL
          AND ("InboundMessage"."claimedUntil" IS NULL OR "InboundMessage"."claimedUntil" <= (now() AT TIME ZONE 'UTC'))
      RETURNING (xmax = 0) AS inserted`;
    const row = rows[0];
    if (row) return { claimed: true, takenOver: !row.inserted };

    const [state] = await ctx.prisma.$queryRaw<Array<{ done: boolean; leftMs: number | null }>>`
      SELECT "completedAt" IS NOT NULL AS done,
             (EXTRACT(EPOCH FROM ("claimedUntil" - (now() AT TIME ZONE 'UTC'))) * 1000)::float8 AS "leftMs"
      FROM "InboundMessage" WHERE platform = ${key.platform}::"Platform" AND "externalId" = ${key.messageId}`;
    if (state?.done || Date.now() > giveUpAt) return { claimed: false };
    // Released meanwhile (state undefined) or the lease just ran out: claim again at once.
    if (state && state.leftMs !== null && state.leftMs > 0) await sleep(Math.min(pause, state.leftMs + 5));
  }
}

/**
 * Marks a claimed message as done: its replies are queued. A redelivery after this is a
 * duplicate. One UPDATE; completing twice is harmless.
 */
export async function completeInbound(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>): Promise<void> {
  await ctx.prisma.$executeRaw`
    UPDATE "InboundMessage" SET "completedAt" = ${ctx.clock.now()}
    WHERE platform = ${key.platform}::"Platform" AND "externalId" = ${key.messageId}`;
}

/** Undoes a claim when processing failed before anything was recorded, so a redelivery can retry. */
export async function releaseInbound(ctx: CoreContext, key: InboundKey): Promise<void> {
  await ctx.prisma.inboundMessage.deleteMany({ where: { platform: key.platform, externalId: key.messageId } });
}

/**
 * Keeps a message's decided replies when they could not be queued, for its redelivery to queue,
 * and completes the claim (the message's changes are committed: it must not be processed again).
 */
export async function parkReplies(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>, replies: unknown[]): Promise<void> {
  await ctx.prisma.inboundMessage.updateMany({
    where: { platform: key.platform, externalId: key.messageId },
    data: { pendingReplies: replies as Prisma.InputJsonValue, completedAt: ctx.clock.now() },
  });
}

/** The parked replies of an already-processed message, if any, cleared as they are taken. */
export async function takeParkedReplies(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>): Promise<unknown[] | null> {
  const row = await ctx.prisma.inboundMessage.findUnique({
    where: { platform_externalId: { platform: key.platform, externalId: key.messageId } },
    select: { pendingReplies: true },
  });
  if (!Array.isArray(row?.pendingReplies)) return null;
  return row.pendingReplies;
}

/** Forgets parked replies once they are queued. */
export async function clearParkedReplies(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>): Promise<void> {
  await ctx.prisma.inboundMessage.updateMany({
    where: { platform: key.platform, externalId: key.messageId },
    data: { pendingReplies: Prisma.DbNull },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
