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
 * Records that a platform message is being processed. True the first time, false for a
 * redelivery of the same (platform, message id): the caller then does nothing.
 */
export async function claimInbound(ctx: CoreContext, key: InboundKey): Promise<boolean> {
  const r = await ctx.prisma.$executeRaw`
    INSERT INTO "InboundMessage" (platform, "externalId", "chatId", "userId", "receivedAt")
    VALUES (${key.platform}::"Platform", ${key.messageId}, ${key.chatId}, ${key.userId}, ${ctx.clock.now()})
    ON CONFLICT (platform, "externalId") DO NOTHING`;
  return r === 1;
}

/** Undoes a claim when processing failed before anything was recorded, so a redelivery can retry. */
export async function releaseInbound(ctx: CoreContext, key: InboundKey): Promise<void> {
  await ctx.prisma.inboundMessage.deleteMany({ where: { platform: key.platform, externalId: key.messageId } });
}

/** Keeps a message's decided replies when they could not be queued, for its redelivery to queue. */
export async function parkReplies(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>, replies: unknown[]): Promise<void> {
  await ctx.prisma.inboundMessage.updateMany({
    where: { platform: key.platform, externalId: key.messageId },
    data: { pendingReplies: replies as Prisma.InputJsonValue },
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
