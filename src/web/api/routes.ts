import type { FastifyInstance } from 'fastify';
import { requireWorker } from '../../core/roles/require-worker.ts';
import { requireVisibleCommunity } from '../../core/roles/communities-visible-to.ts';
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
 * /communities/:code the community must be one the token's person may see (the core's
 * requireVisibleCommunity, as in the console): another community's code answers 404
 * COMMUNITY_NOT_FOUND exactly as a code that does not exist, so a worker of community A learns
 * nothing about B, not even that it exists. Then the person must be a worker there (requireWorker:
 * 403 NOT_A_WORKER for a viewer, who already knows the community). Objects addressed by id
 * (claims, broadcasts) that belong to another community are 404, as if they did not exist. Every change
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
            const { personId } = actorOf(req);
            const visible = await requireVisibleCommunity(deps.ctx, personId, code);
            await requireWorker(deps.ctx, personId, visible.id);
            const { id, name, timezone, locale } = visible;
            setScope(req, { community: { id, code: visible.code, name, timezone, locale }, actorId: personId });
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
