import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { requireWorker } from '../../core/roles/require-worker.ts';
import { workerCommunityIds } from '../../core/roles/is-worker.ts';
import { actorOf, requireToken } from './auth.ts';
import { apiErrorHandler, parseRequest, sendHttpError } from './errors.ts';
import { communityParams } from './schemas.ts';
import { setScope, type ApiDeps } from './scope.ts';
import { projectRoutes } from './project-routes.ts';
import { broadcastRoutes } from './broadcast-routes.ts';
import { claimRoutes } from './claim-routes.ts';
import { needRoutes } from './need-routes.ts';

export type { ApiDeps } from './scope.ts';

/**
 * The worker HTTP API, JSON, under /api/v1. Mount it with `await apiRoutes(app, deps)` (or
 * `app.register(apiRoutes, deps)`, without a prefix: it adds /api/v1 itself, in a scope of its own,
 * so its error handler, JSON parser and token check touch no other route).
 *
 * Every request needs `Authorization: Bearer <token>` (401 otherwise). Under
 * /communities/:code the token's person must be a worker of that community (checked by the core's
 * requireWorker before anything is looked up: 403 NOT_A_WORKER, so a worker of community A learns
 * nothing about B's projects, not even whether one exists). Objects addressed by id (claims,
 * broadcasts) that belong to another community are 404, as if they did not exist. Every change
 * goes through a core use case with actorId = the token's person and via 'api', which audits it.
 */
export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(
    async (api) => {
      api.setErrorHandler(apiErrorHandler);
      api.setNotFoundHandler((req, reply) => sendHttpError(req, reply, 404, 'NOT_FOUND'));
      // JSON as usual, but an empty body is no body (POST …/approve needs none).
      const json = api.getDefaultJsonParser('error', 'error');
      api.removeContentTypeParser('application/json');
      api.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
        const text = typeof body === 'string' ? body : body.toString('utf8');
        if (text.trim() === '') return done(null, undefined);
        return json(req, text, done);
      });
      api.addHook('onRequest', requireToken(deps.ctx));

      /** Who the token belongs to and where they are a worker: what a console shows first. */
      api.get('/me', async (req) => {
        const { personId } = actorOf(req);
        const [person, ids] = await Promise.all([
          deps.ctx.prisma.person.findUniqueOrThrow({ where: { id: personId }, select: { id: true, displayName: true } }),
          workerCommunityIds(deps.ctx, personId),
        ]);
        const communities = await deps.ctx.prisma.community.findMany({ where: { id: { in: ids } }, orderBy: { code: 'asc' }, select: { code: true, name: true } });
        return { person: { id: person.id, name: person.displayName }, communities };
      });

      await api.register(
        async (c) => {
          c.addHook('preHandler', async (req) => {
            const { code } = parseRequest(req, communityParams, req.params);
            const community = await deps.ctx.prisma.community.findUnique({
              where: { code },
              select: { id: true, code: true, name: true, timezone: true, locale: true },
            });
            if (!community) throw new AppError('COMMUNITY_NOT_FOUND', { code });
            const { personId } = actorOf(req);
            await requireWorker(deps.ctx, personId, community.id);
            setScope(req, { community, actorId: personId });
          });
          projectRoutes(c, deps);
          broadcastRoutes(c, deps);
          claimRoutes(c, deps);
          needRoutes(c, deps);
        },
        { prefix: '/communities/:code' },
      );
    },
    { prefix: '/api/v1' },
  );
}
