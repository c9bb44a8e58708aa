import { AppError } from '../../lib/errors.ts';
import type { Db, Prisma, Tx } from '../../db/prisma.ts';
import type { Effect } from '../effects.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';

export interface CreateBroadcastInput {
  communityId: number;
  text: string;
  /** Buttons under the text, JSON-safe ({ label, payload }[]). */
  buttons?: Prisma.InputJsonValue;
  projectId?: number | null;
  /** Group ids to send to; empty or absent: every bound group of the community. */
  groupIds?: number[];
  /** When to send; absent: now. */
  sendAt?: Date | null;
  /** A recurring broadcast: a cron pattern and its time zone. */
  cron?: string | null;
  timezone?: string | null;
  actorId: number | null;
  /** 'job': recorded by a background job (a 微创投 phase reached by its date). */
  via: 'chat' | 'cli' | 'api' | 'console' | 'job';
}

/**
 * Records a broadcast (群发). Sending is the broadcast job's: it fans out one delivery per group
 * after this commits (the caller carries out a `broadcastScheduled` effect). Chosen groups must be
 * bound to the same community.
 */
export async function createBroadcast(ctx: CoreContext, input: CreateBroadcastInput) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  const groupIds = await checkBroadcastGroups(ctx.prisma, input.communityId, input.groupIds ?? []);
  return ctx.prisma.$transaction((tx) => recordBroadcast(tx, { ...input, groupIds }));
}

/**
 * The groups a broadcast may go to, deduplicated; NO_GROUPS when one is not the community's or
 * when the community has no bound group at all (empty: every bound group). Reads only.
 */
export async function checkBroadcastGroups(db: Db, communityId: number, ids: readonly number[]): Promise<number[]> {
  const groupIds = [...new Set(ids)];
  if (groupIds.length) {
    const found = await db.group.count({ where: { id: { in: groupIds }, communityId } });
    if (found !== groupIds.length) throw new AppError('NO_GROUPS');
  } else {
    const any = await db.group.count({ where: { communityId } });
    if (any === 0) throw new AppError('NO_GROUPS');
  }
  return groupIds;
}

/** Writes a checked broadcast and its audit row inside the caller's transaction. */
export async function recordBroadcast(tx: Tx, input: CreateBroadcastInput & { groupIds: number[] }) {
  const broadcast = await tx.broadcast.create({
    data: {
      communityId: input.communityId,
      projectId: input.projectId ?? null,
      text: input.text,
      buttons: input.buttons,
      createdById: input.actorId,
      sendAt: input.sendAt ?? null,
      cron: input.cron ?? null,
      timezone: input.cron ? (input.timezone ?? 'Asia/Shanghai') : null,
      groupIds: input.groupIds,
    },
  });
  await writeAudit(tx, {
    communityId: input.communityId,
    actorId: input.actorId,
    via: input.via,
    action: 'broadcast.create',
    entity: 'Broadcast',
    entityId: broadcast.id,
    after: { projectId: broadcast.projectId, groups: input.groupIds.length || 'all', sendAt: broadcast.sendAt?.toISOString() ?? null, cron: broadcast.cron },
  });
  return broadcast;
}

/** The effect that fans a recorded broadcast out once its transaction has committed. */
export function broadcastScheduled(b: { id: number; sendAt: Date | null; cron: string | null; timezone: string | null }): Effect {
  return { kind: 'broadcastScheduled', broadcast: { id: b.id, sendAt: b.sendAt, cron: b.cron, timezone: b.timezone } };
}

/** Groups a broadcast goes to: the chosen ones, or every bound group of its community. */
export async function broadcastTargets(ctx: CoreContext, b: { communityId: number; groupIds: number[] }) {
  return ctx.prisma.group.findMany({
    where: b.groupIds.length ? { id: { in: b.groupIds }, communityId: b.communityId } : { communityId: b.communityId },
    select: { id: true, platform: true, externalId: true, title: true },
    orderBy: { id: 'asc' },
  });
}

/**
 * Cancels a broadcast: it sends nothing more. Deliveries still pending become cancelled; a job
 * already queued for one finds it cancelled and skips it.
 */
export async function cancelBroadcast(ctx: CoreContext, input: { communityId: number; broadcastId: number; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' }) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    // The row lock a recurring broadcast's run takes too (jobs/broadcast.ts): a run being made now
    // is either finished first, and found below, or sees the cancel and is not made.
    await tx.$queryRaw`SELECT id FROM "Broadcast" WHERE id = ${input.broadcastId} FOR UPDATE`;
    const b = await tx.broadcast.findUnique({ where: { id: input.broadcastId } });
    if (!b || b.communityId !== input.communityId) throw new AppError('BROADCAST_NOT_FOUND', { id: input.broadcastId });
    const now = ctx.clock.now();
    const ids = [b.id, ...(await tx.broadcast.findMany({ where: { parentId: b.id, status: { in: ['scheduled', 'running'] } }, select: { id: true } })).map((x) => x.id)];
    // Already over (cancelled before, or done, with no run still going): nothing changes, nothing is audited.
    if (ids.length === 1 && b.status !== 'scheduled' && b.status !== 'running') return { broadcast: b, deliveriesCancelled: 0, effects: [] as Effect[] };
    await tx.broadcast.updateMany({ where: { id: { in: ids }, status: { in: ['scheduled', 'running'] } }, data: { status: 'cancelled', finishedAt: now } });
    const cancelled = await tx.delivery.updateMany({ where: { broadcastId: { in: ids }, status: 'pending' }, data: { status: 'cancelled' } });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'broadcast.cancel',
      entity: 'Broadcast',
      entityId: b.id,
      before: { status: b.status },
      after: { status: 'cancelled', deliveriesCancelled: cancelled.count },
    });
    const effects: Effect[] = [{ kind: 'broadcastCancelled', broadcastId: b.id }];
    return { broadcast: b, deliveriesCancelled: cancelled.count, effects };
  });
}

/** Progress of a broadcast: counts by delivery status and each group's result. */
export async function broadcastProgress(ctx: CoreContext, input: { communityId: number; broadcastId: number }) {
  const b = await ctx.prisma.broadcast.findUnique({ where: { id: input.broadcastId } });
  if (!b || b.communityId !== input.communityId) throw new AppError('BROADCAST_NOT_FOUND', { id: input.broadcastId });
  const deliveries = await ctx.prisma.delivery.findMany({
    where: { broadcastId: b.id },
    select: { status: true, sentAt: true, error: true, attempts: true, group: { select: { id: true, platform: true, externalId: true, title: true } } },
    orderBy: { groupId: 'asc' },
  });
  const counts = { pending: 0, sent: 0, failed: 0, cancelled: 0 };
  for (const d of deliveries) counts[d.status]++;
  return { broadcast: b, counts, total: deliveries.length, deliveries };
}
