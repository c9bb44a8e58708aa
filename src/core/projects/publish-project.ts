import { AppError } from '../../lib/errors.ts';
import type { Db, Prisma } from '../../db/prisma.ts';
import type { Button } from '../chat.ts';
import type { CoreContext } from '../context.ts';
import { notify, type Effect, type Notice } from '../effects.ts';
import { broadcastScheduled, checkBroadcastGroups, recordBroadcast } from '../broadcasts/create-broadcast.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { applyStatusChange } from './change-status.ts';
import { findProject } from './find-project.ts';

export interface PublishInput {
  communityId: number;
  number: number;
  /**
   * Groups by title or chat id; empty: every bound group of the community. An entry that is a list
   * names one group by any of its forms (the CLI and the API pass a platform id's readings, so a
   * worker may type the id the platform shows: src/bots/chat-ids.ts `groupIdCandidates`).
   */
  groups?: ReadonlyArray<string | readonly string[]>;
  sendAt?: Date | null;
  cron?: string | null;
  timezone?: string | null;
  actorId: number | null;
  via: 'chat' | 'cli' | 'api' | 'console';
}

/** The project as its announcement needs it. */
export type PublishedProject = Awaited<ReturnType<typeof findProject>>;

/**
 * Writes the announcement residents will see (src/notices/announce.ts), in the community's
 * language and time zone. Core stores it; it never composes words itself.
 */
export type Announce = (project: PublishedProject, community: { locale: string; timezone: string }) => { text: string; buttons: Button[] };

/**
 * Publishes project N: checks the worker, the project's status and every named group first, then in
 * one transaction moves it to published (from draft or review) and records its broadcast, with
 * their audit rows. Refused anywhere, nothing changed: no status, no broadcast, no sign-up possible.
 * Returns the broadcast, how many groups it goes to, and the effects to carry out after the commit:
 * the fan-out, and notices to organizations whose categories match (supply meets demand).
 */
export async function publishProject(ctx: CoreContext, input: PublishInput, announce: Announce) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId } });
  const found = await findProject(ctx.prisma, input.communityId, input.number);
  checkPublishable(found);
  const groupIds = await checkBroadcastGroups(ctx.prisma, input.communityId, await groupsNamed(ctx.prisma, input.communityId, input.groups ?? []));

  const { project, broadcast } = await ctx.prisma.$transaction(async (tx) => {
    let project = await findProject(tx, input.communityId, input.number);
    checkPublishable(project);
    if (project.status === 'draft' || project.status === 'review') {
      await applyStatusChange(tx, project, { communityId: input.communityId, to: 'published', actorId: input.actorId, via: input.via, now: ctx.clock.now() });
      project = await findProject(tx, input.communityId, input.number);
    }
    const { text, buttons } = announce(project, community);
    const broadcast = await recordBroadcast(tx, {
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
    return { project, broadcast };
  });
  const groupCount = groupIds.length || (await ctx.prisma.group.count({ where: { communityId: input.communityId } }));
  const notices = await orgMatchNotices(ctx.prisma, input.communityId, project);
  const effects: Effect[] = [broadcastScheduled(broadcast), ...notify(notices, community.locale)];
  return { project, broadcast, groupCount, effects };
}

function checkPublishable(project: { number: number; status: string }): void {
  const ok = ['draft', 'review', 'published', 'in_progress'];
  if (!ok.includes(project.status)) throw new AppError('BAD_TRANSITION', { number: project.number, from: project.status, to: 'published' });
}

/** Group ids for names a worker typed (a title or the platform's chat id); NO_GROUPS for one that is not this community's. */
async function groupsNamed(db: Db, communityId: number, raw: ReadonlyArray<string | readonly string[]>): Promise<number[]> {
  const wanted = raw.map((g) => (typeof g === 'string' ? [g] : [...g]).map((n) => n.trim()).filter(Boolean)).filter((forms) => forms.length > 0);
  if (wanted.length === 0) return [];
  const names = [...new Set(wanted.flat())];
  const groups = await db.group.findMany({
    where: { communityId, OR: [{ title: { in: names } }, { externalId: { in: names } }] },
    select: { id: true, title: true, externalId: true },
  });
  const ids: number[] = [];
  for (const forms of wanted) {
    const g = groups.find((x) => forms.includes(x.title) || forms.includes(x.externalId));
    if (!g) throw new AppError('NO_GROUPS', { name: forms[0] ?? '' });
    ids.push(g.id);
  }
  return [...new Set(ids)];
}

/** Members of the community's organizations that serve the project's category: told it is out. */
async function orgMatchNotices(db: Db, communityId: number, project: { id: number; number: number; title: string; category: string | null }): Promise<Notice[]> {
  if (!project.category) return [];
  const orgs = await db.organization.findMany({
    where: { communityId, serves: { has: project.category } },
    select: { id: true, name: true, members: { select: { personId: true } } },
  });
  return orgs.flatMap((o) =>
    o.members.map(
      (m): Notice => ({
        personId: m.personId,
        key: `orgmatch:${project.id}:${o.id}:${m.personId}`,
        message: 'orgMatch',
        params: { org: o.name, number: project.number, title: project.title, category: project.category ?? '' },
        informational: true,
      }),
    ),
  );
}
