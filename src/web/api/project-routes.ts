import { groupIdCandidates } from '../../bots/chat-ids.ts';
import type { FastifyInstance } from 'fastify';
import { createProject } from '../../core/projects/create-project.ts';
import { publishProject } from '../../core/projects/publish-project.ts';
import { announceProject, projectAnnouncement } from '../../notices/announce.ts';
import { isLocale } from '../../flows/messages.ts';
import { changeProjectStatus } from '../../core/projects/change-status.ts';
import { editProject } from '../../core/projects/edit-project.ts';
import { addShift } from '../../core/projects/add-shift.ts';
import { findProject } from '../../core/projects/find-project.ts';
import { requestLocale, parseRequest } from './errors.ts';
import { addShiftBody, createProjectBody, formatLocal, listProjectsQuery, patchProjectBody, projectParams, publishBody } from './schemas.ts';
import { projectDetail, shiftView } from './views.ts';
import { scopeOf, type ApiDeps } from './scope.ts';

/** Projects: list, create (from needs), show, change (status, title, description), add a shift, preview, publish. */
export function projectRoutes(c: FastifyInstance, deps: ApiDeps): void {
  const { ctx } = deps;

  c.get('/projects', async (req) => {
    const { community } = scopeOf(req);
    const q = parseRequest(req, listProjectsQuery, req.query);
    const rows = await ctx.prisma.project.findMany({
      where: { communityId: community.id, number: { gt: q.after }, ...(q.status ? { status: { in: q.status } } : {}) },
      orderBy: { number: 'asc' },
      take: q.limit + 1,
      select: {
        number: true,
        title: true,
        status: true,
        category: true,
        claimType: true,
        createdAt: true,
        publishedAt: true,
        closedAt: true,
        _count: { select: { shifts: true, claims: true, needs: true } },
      },
    });
    const page = rows.slice(0, q.limit);
    return {
      projects: page.map(({ _count, ...p }) => ({ ...p, shifts: _count.shifts, claims: _count.claims, needs: _count.needs })),
      next: rows.length > q.limit ? (page[page.length - 1]?.number ?? null) : null,
    };
  });

  c.post('/projects', async (req, reply) => {
    const { community, actorId } = scopeOf(req);
    const body = parseRequest(req, createProjectBody(community.timezone), req.body ?? {});
    const { project, effects } = await createProject(ctx, { communityId: community.id, ...body, actorId, via: 'api' });
    const done = await deps.effects.apply(effects);
    return reply.code(201).send({ project: await projectDetail(ctx, community, project.number, requestLocale(req)), noticesQueued: done.messages });
  });

  c.get('/projects/:number', async (req) => {
    const { community } = scopeOf(req);
    const { number } = parseRequest(req, projectParams, req.params);
    return { project: await projectDetail(ctx, community, number, requestLocale(req)) };
  });

  c.patch('/projects/:number', async (req) => {
    const { community, actorId } = scopeOf(req);
    const { number } = parseRequest(req, projectParams, req.params);
    const body = parseRequest(req, patchProjectBody, req.body);
    // The status first: a refused transition (409) leaves the title and description untouched.
    if (body.status) await changeProjectStatus(ctx, { communityId: community.id, number, to: body.status, actorId, via: 'api' });
    if (body.title !== undefined || body.description !== undefined) {
      await editProject(ctx, { communityId: community.id, number, title: body.title, description: body.description, actorId, via: 'api' });
    }
    return { project: await projectDetail(ctx, community, number, requestLocale(req)) };
  });

  c.post('/projects/:number/shifts', async (req, reply) => {
    const { community, actorId } = scopeOf(req);
    const { number } = parseRequest(req, projectParams, req.params);
    const shift = parseRequest(req, addShiftBody(community.timezone), req.body);
    const r = await addShift(ctx, { communityId: community.id, number, shift, actorId, via: 'api' });
    return reply.code(201).send({ project: { number: r.project.number }, shift: shiftView(r.shift, community.timezone, requestLocale(req)) });
  });

  /** What residents will see when the project is published: the community's language, not the caller's. */
  c.get('/projects/:number/announcement', async (req) => {
    const { community } = scopeOf(req);
    const { number } = parseRequest(req, projectParams, req.params);
    const project = await findProject(ctx.prisma, community.id, number);
    const locale = isLocale(community.locale) ? community.locale : 'zh-Hans';
    const { text, buttons } = projectAnnouncement(project, { locale, timezone: community.timezone });
    return { project: { number: project.number, status: project.status }, locale, text, buttons };
  });

  c.post('/projects/:number/publish', async (req, reply) => {
    const { community, actorId } = scopeOf(req);
    const { number } = parseRequest(req, projectParams, req.params);
    const body = parseRequest(req, publishBody(community.timezone, ctx.clock.now()), req.body ?? {});
    const r = await publishProject(ctx, {
      communityId: community.id,
      number,
      groups: body.groups?.map(groupIdCandidates),
      sendAt: body.at ?? null,
      cron: body.cron ?? null,
      timezone: body.tz ?? null,
      actorId,
      via: 'api',
    }, announceProject);
    const done = await deps.effects.apply(r.effects);
    const b = r.broadcast;
    return reply.code(201).send({
      broadcastId: b.id,
      groupCount: r.groupCount,
      status: b.status,
      sendAt: b.sendAt,
      sendAtLocal: b.sendAt ? formatLocal(b.sendAt, community.timezone) : null,
      cron: b.cron,
      timezone: b.timezone,
      project: { number: r.project.number, status: r.project.status },
      noticesQueued: done.messages,
    });
  });
}
