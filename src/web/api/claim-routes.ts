import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decideClaim } from '../../core/claims/decide-claim.ts';
import { parseRequest } from './errors.ts';
import { declineBody, idParams, listClaimsQuery } from './schemas.ts';
import { scopeOf, type ApiDeps } from './scope.ts';

/** Claims (认领): the list to decide, and approving or declining one; the claimant is told in private. */
export function claimRoutes(c: FastifyInstance, deps: ApiDeps): void {
  const { ctx } = deps;

  c.get('/claims', async (req) => {
    const { community } = scopeOf(req);
    const q = parseRequest(req, listClaimsQuery, req.query);
    const claims = await ctx.prisma.claim.findMany({
      where: { project: { communityId: community.id }, ...(q.status ? { status: { in: q.status } } : {}) },
      orderBy: { id: 'asc' },
      take: q.limit,
      include: {
        project: { select: { number: true, title: true, status: true } },
        organization: { select: { id: true, name: true } },
        requestedBy: { select: { id: true, displayName: true } },
      },
    });
    return {
      claims: claims.map((x) => ({
        id: x.id,
        status: x.status,
        project: x.project,
        organization: x.organization,
        requestedBy: { id: x.requestedBy.id, name: x.requestedBy.displayName },
        note: x.note,
        createdAt: x.createdAt,
        decidedAt: x.decidedAt,
      })),
    };
  });

  const decide = async (req: FastifyRequest, approve: boolean, reason: string) => {
    const { community, actorId } = scopeOf(req);
    const { id } = parseRequest(req, idParams, req.params);
    const d = await decideClaim(ctx, { communityId: community.id, claimId: id, approve, reason, actorId, via: 'api' });
    const done = await deps.effects.apply(d.effects);
    return {
      claim: { id: d.claimId, status: approve ? 'approved' : 'declined', project: { number: d.projectNumber, title: d.projectTitle }, organization: d.organization, reason: d.reason },
      claimantNotified: done.messages > 0,
    };
  };

  c.post('/claims/:id/approve', async (req) => decide(req, true, ''));

  c.post('/claims/:id/decline', async (req) => {
    const { reason } = parseRequest(req, declineBody, req.body ?? {});
    return decide(req, false, reason);
  });
}
