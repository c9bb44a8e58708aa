import type { Platform } from '../../bots/types.ts';
import type { CoreContext } from '../context.ts';

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
  const r = await ctx.prisma.inboundMessage.createMany({
    data: [{ platform: key.platform, externalId: key.messageId, chatId: key.chatId, userId: key.userId, receivedAt: ctx.clock.now() }],
    skipDuplicates: true,
  });
  return r.count === 1;
}

/** Undoes a claim when processing failed before anything was recorded, so a redelivery can retry. */
export async function releaseInbound(ctx: CoreContext, key: InboundKey): Promise<void> {
  await ctx.prisma.inboundMessage.deleteMany({ where: { platform: key.platform, externalId: key.messageId } });
}
