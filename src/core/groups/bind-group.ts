import { z } from 'zod';
import { platforms } from '../chat.ts';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { communityCodeSchema } from '../communities/create-community.ts';
import { isWorker } from '../roles/is-worker.ts';

export const bindGroupInput = z.object({
  community: communityCodeSchema,
  platform: z.enum(platforms),
  chat: z.string().trim().min(1).max(200),
  title: z.string().trim().max(200).optional(),
  building: z.string().trim().max(50).optional(),
  /** The worker binding from the chat; absent for the CLI (an operator). */
  byPersonId: z.number().int().optional(),
  via: z.enum(['chat', 'cli', 'api', 'console']).default('cli'),
});
export type BindGroupInput = z.input<typeof bindGroupInput>;

/**
 * Binds a group chat to a community (and optionally a building). From the chat only a worker of
 * that community may do it. Binding again moves the group and is recorded.
 */
export async function bindGroup(ctx: CoreContext, input: BindGroupInput) {
  const parsed = bindGroupInput.safeParse(input);
  if (!parsed.success) throw new AppError('INVALID_INPUT', { field: String(parsed.error.issues[0]?.path[0] ?? '') });
  const i = parsed.data;
  const community = await ctx.prisma.community.findUnique({ where: { code: i.community } });
  if (!community) throw new AppError('COMMUNITY_NOT_FOUND', { code: i.community });
  if (i.byPersonId !== undefined && !(await isWorker(ctx, i.byPersonId, community.id))) {
    throw new AppError('NOT_A_WORKER', { community: community.name });
  }
  return ctx.prisma.$transaction(async (tx) => {
    const before = await tx.group.findUnique({ where: { platform_externalId: { platform: i.platform, externalId: i.chat } } });
    const data = {
      communityId: community.id,
      building: i.building ?? null,
      boundById: i.byPersonId ?? null,
      boundAt: ctx.clock.now(),
      ...(i.title ? { title: i.title } : {}),
    };
    const group = await tx.group.upsert({
      where: { platform_externalId: { platform: i.platform, externalId: i.chat } },
      create: { platform: i.platform, externalId: i.chat, ...data },
      update: data,
    });
    await writeAudit(tx, {
      communityId: community.id,
      actorId: i.byPersonId,
      via: i.via,
      action: 'group.bind',
      entity: 'Group',
      entityId: group.id,
      before: before ? { communityId: before.communityId, building: before.building } : undefined,
      after: { communityId: community.id, building: group.building, platform: i.platform, chat: i.chat },
    });
    return { group, community };
  });
}
