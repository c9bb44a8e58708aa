import { z } from 'zod';
import { platforms } from '../chat.ts';
import { isUniqueViolation } from '../../db/prisma.ts';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { communityCodeSchema } from '../communities/create-community.ts';
import { isWorker } from '../roles/is-worker.ts';

export const bindGroupInput = z.object({
  community: communityCodeSchema,
  platform: z.enum(platforms),
  /**
   * The chat as its adapter names it (`InboundEvent.chat.chatId`), not as the platform shows it:
   * callers that take an id a person typed map it first (`groupChatIdOf` in src/bots/chat-ids.ts).
   */
  chat: z.string().trim().min(1).max(200),
  title: z.string().trim().max(200).optional(),
  building: z.string().trim().max(50).optional(),
  /** The worker binding from the chat; absent for the CLI (an operator). */
  byPersonId: z.number().int().optional(),
  via: z.enum(['chat', 'cli', 'api', 'console']).default('cli'),
});
export type BindGroupInput = z.input<typeof bindGroupInput>;

/**
 * Binds a group chat to a community (and optionally a building). A person (`byPersonId`) must be
 * a worker of that community; a group that already belongs to another community moves only for a
 * person who is also a worker of that one (its own worker, or street or district staff over
 * both): GROUP_BOUND_ELSEWHERE otherwise, and nothing changes. The CLI (no person) may move any
 * group. A move is recorded in both communities' audit logs (`group.bind` under the new one,
 * `group.unbind` under the old one), in the transaction that makes it; a group bound meanwhile by
 * someone else is CONFLICT (try again). `chatSeen` says whether the bot has ever been addressed in
 * that chat (an InboundMessage from it): false is worth a warning to whoever typed the id.
 */
export async function bindGroup(ctx: CoreContext, input: BindGroupInput) {
  const parsed = bindGroupInput.safeParse(input);
  if (!parsed.success) throw new AppError('INVALID_INPUT', { field: String(parsed.error.issues[0]?.path[0] ?? '') });
  const i = parsed.data;
  const community = await ctx.prisma.community.findUnique({ where: { code: i.community } });
  if (!community) throw new AppError('COMMUNITY_NOT_FOUND', { code: i.community });
  const key = { platform_externalId: { platform: i.platform, externalId: i.chat } };
  const before = await ctx.prisma.group.findUnique({ where: key, include: { community: { select: { name: true } } } });
  const from = before?.communityId != null && before.communityId !== community.id ? { id: before.communityId, name: before.community?.name ?? '' } : null;
  if (i.byPersonId !== undefined) {
    if (!(await isWorker(ctx, i.byPersonId, community.id))) throw new AppError('NOT_A_WORKER', { community: community.name });
    if (from && !(await isWorker(ctx, i.byPersonId, from.id))) throw new AppError('GROUP_BOUND_ELSEWHERE', { community: from.name });
  }
  const chatSeen =
    i.via === 'chat' ||
    (await ctx.prisma.inboundMessage.findFirst({ where: { platform: i.platform, chatId: i.chat }, select: { id: true } })) !== null;
  const data = {
    communityId: community.id,
    building: i.building ?? null,
    boundById: i.byPersonId ?? null,
    boundAt: ctx.clock.now(),
    ...(i.title ? { title: i.title } : {}),
  };
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      if (before) {
        // Only if it still belongs where it did when the roles were checked.
        const changed = await tx.group.updateMany({ where: { id: before.id, communityId: before.communityId }, data });
        if (changed.count !== 1) throw new AppError('CONFLICT');
      }
      const group = before ? await tx.group.findUniqueOrThrow({ where: { id: before.id } }) : await tx.group.create({ data: { platform: i.platform, externalId: i.chat, ...data } });
      const was = before ? { communityId: before.communityId, building: before.building } : undefined;
      const now = { communityId: community.id, building: group.building, platform: i.platform, chat: i.chat };
      const entry = { actorId: i.byPersonId, via: i.via, entity: 'Group', entityId: group.id, before: was, after: now } as const;
      await writeAudit(tx, { ...entry, communityId: community.id, action: 'group.bind' });
      if (from) await writeAudit(tx, { ...entry, communityId: from.id, action: 'group.unbind' });
      return { group, community, chatSeen };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT'); // created meanwhile by another bind
    throw err;
  }
}
