import { findNeeds } from '../../core/needs/find-needs.ts';
import type { FastifyInstance } from 'fastify';
import { labelOf } from '../../flows/messages.ts';
import { parseRequest, requestLocale } from './errors.ts';
import { listNeedsQuery } from './schemas.ts';
import { scopeOf, type ApiDeps } from './scope.ts';

/**
 * The needs list (需求清单) for a worker: most supported first, with the contact phone residents
 * left (workers only; never shown in a group).
 */
export function needRoutes(c: FastifyInstance, deps: ApiDeps): void {
  const { ctx } = deps;

  c.get('/needs', async (req) => {
    const { community } = scopeOf(req);
    const q = parseRequest(req, listNeedsQuery, req.query);
    const locale = requestLocale(req);
    const where = { communityId: community.id, status: { in: q.status } };
    const { needs, total } = await findNeeds(ctx, where, { skip: q.offset, take: q.limit });
    return {
      total,
      needs: needs.map(({ mergedInto, projects, ...n }) => ({
        ...n,
        categoryLabel: labelOf(n.category, locale),
        mergedInto: mergedInto?.number ?? null,
        projects: projects.map((p) => p.project.number).sort((a, b) => a - b),
      })),
    };
  });
}
