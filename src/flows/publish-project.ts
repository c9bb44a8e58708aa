import { AppError } from '../lib/errors.ts';
import type { Prisma } from '../db/prisma.ts';
import type { CoreContext } from '../core/context.ts';
import { changeProjectStatus } from '../core/projects/change-status.ts';
import { createBroadcast } from '../core/broadcasts/create-broadcast.ts';
import { findProject } from '../core/projects/find-project.ts';
import { requireWorker } from '../core/roles/require-worker.ts';
import { projectAnnouncement } from './announce.ts';
import { isLocale, labelOf } from './messages.ts';
import type { Notice } from './notify.ts';

export interface PublishInput {
  communityId: number;
  number: number;
  /** Groups by title or platform chat id; empty: every bound group of the community. */
  groups?: string[];
  sendAt?: Date | null;
  cron?: string | null;
  timezone?: string | null;
  actorId: number | null;
  via: 'chat' | 'cli' | 'api' | 'console';
}

/**
 * Publishes a project: moves it to published (from draft or review), records a broadcast of its
 * announcement to the community's groups, and returns the notices for organizations whose
 * categories match (supply meets demand). The caller schedules the broadcast after this returns.
 */
export async function publishProject(ctx: CoreContext, input: PublishInput) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId } });
  let project = await findProject(ctx.prisma, input.communityId, input.number);
  if (project.status === 'draft' || project.status === 'review') {
    await changeProjectStatus(ctx, { communityId: input.communityId, number: input.number, to: 'published', actorId: input.actorId, via: input.via });
    project = await findProject(ctx.prisma, input.communityId, input.number);
  } else if (project.status !== 'published' && project.status !== 'in_progress') {
    throw new AppError('BAD_TRANSITION', { number: project.number, from: project.status, to: 'published' });
  }

  const names = (input.groups ?? []).map((g) => g.trim()).filter(Boolean);
  let groupIds: number[] = [];
  if (names.length) {
    const groups = await ctx.prisma.group.findMany({
      where: { communityId: input.communityId, OR: [{ title: { in: names } }, { externalId: { in: names } }] },
      select: { id: true, title: true, externalId: true },
    });
    const missing = names.find((n) => !groups.some((g) => g.title === n || g.externalId === n));
    if (missing) throw new AppError('NO_GROUPS', { name: missing });
    groupIds = groups.map((g) => g.id);
  }
  const locale = isLocale(community.locale) ? community.locale : 'zh-Hans';
  const { text, buttons } = projectAnnouncement(project, { locale, timezone: community.timezone });
  const broadcast = await createBroadcast(ctx, {
    communityId: input.communityId,
    projectId: project.id,
    text,
    buttons: buttons as unknown as Prisma.InputJsonValue,
    groupIds,
    sendAt: input.sendAt ?? null,
    cron: input.cron ?? null,
    timezone: input.timezone ?? community.timezone,
    actorId: input.actorId,
    via: input.via,
  });
  const groupCount = groupIds.length || (await ctx.prisma.group.count({ where: { communityId: input.communityId } }));

  const notices: Notice[] = [];
  if (project.category) {
    const orgs = await ctx.prisma.organization.findMany({
      where: { communityId: input.communityId, serves: { has: project.category } },
      select: { id: true, name: true, members: { select: { personId: true } } },
    });
    for (const o of orgs) {
      for (const m of o.members) {
        notices.push({
          personId: m.personId,
          key: `orgmatch:${project.id}:${o.id}:${m.personId}`,
          message: 'orgMatch',
          params: { org: o.name, number: project.number, title: project.title, label: labelOf(project.category, locale) },
          informational: true,
        });
      }
    }
  }
  return { project, broadcast, groupCount, notices };
}
