import { AppError } from '../../lib/errors.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import { isUniqueViolation } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { notify } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { findProject, openStatuses } from '../projects/find-project.ts';

/**
 * `认领 N [组织名]`: an organization's member asks to take project N for it. Without a name, the
 * person's only organization in the community. A worker decides (decideClaim); the effects tell
 * the community's workers in private.
 */
export async function fileClaim(ctx: CoreContext, input: { communityId: number; projectNumber: number; orgName?: string; personId: number; /** The name the chat shows, when the person has none recorded. */ personName?: string }) {
  const memberships = await ctx.prisma.organizationMember.findMany({
    where: { personId: input.personId, organization: { communityId: input.communityId } },
    include: { organization: true },
  });
  const name = input.orgName?.trim().slice(0, 100);
  const organization = name
    ? await ctx.prisma.organization.findUnique({ where: { communityId_name: { communityId: input.communityId, name } } })
    : memberships.length === 1
      ? (memberships[0]?.organization ?? null)
      : null;
  if (!organization) {
    // No name and not exactly one organization: say which names they may use.
    if (!name && memberships.length > 1) throw new AppError('ORG_AMBIGUOUS', { names: memberships.map((m) => m.organization.name).join('、') });
    // The name is quoted back to a group: short, and with personal data masked.
    throw new AppError(name ? 'ORG_NOT_FOUND' : 'NOT_AN_ORG_MEMBER', { name: quoted(name ?? '') });
  }
  if (!memberships.some((m) => m.organizationId === organization.id)) throw new AppError('NOT_AN_ORG_MEMBER', { name: organization.name });
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, input.communityId, input.projectNumber);
    if (!(openStatuses as readonly string[]).includes(project.status)) {
      throw new AppError(project.status === 'closed' || project.status === 'evaluated' ? 'PROJECT_CLOSED' : 'PROJECT_NOT_OPEN', { number: project.number });
    }
    if (project.claimType === 'volunteers') throw new AppError('NOT_CLAIMABLE', { number: project.number, kind: 'organization' });
    if (!project.allowMultipleClaims) {
      const taken = await tx.claim.findFirst({ where: { projectId: project.id, status: 'approved' } });
      if (taken) throw new AppError('CLAIM_TAKEN', { number: project.number });
    }
    const claim = await tx.claim
      .create({ data: { projectId: project.id, organizationId: organization.id, requestedById: input.personId, createdAt: ctx.clock.now() } })
      .catch((e: unknown) => {
        if (isUniqueViolation(e)) throw new AppError('ALREADY_CLAIMED', { number: project.number, name: organization.name });
        throw e;
      });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.personId,
      via: 'chat',
      action: 'claim.file',
      entity: 'Claim',
      entityId: claim.id,
      after: { project: project.number, organization: organization.name },
    });
    // The name the community knows (platforms such as WeCom send only an account id).
    const [workers, claimant] = await Promise.all([
      tx.roleGrant.findMany({ where: { communityId: input.communityId, role: { in: ['worker', 'admin'] } }, select: { personId: true } }),
      tx.person.findUnique({ where: { id: input.personId }, select: { displayName: true } }),
    ]);
    const person = claimant?.displayName || input.personName || '居民';
    const effects = notify(
      [...new Set(workers.map((w) => w.personId))].map((personId) => ({
        personId,
        key: `claim:${claim.id}:to:${personId}`,
        message: 'claimToWorkers' as const,
        params: { org: organization.name, number: project.number, title: project.title, person, claim: claim.id },
      })),
    );
    return { claim, project, organization, effects };
  });
}

function quoted(s: string): string {
  const chars = Array.from(maskPersonalData(s));
  return chars.length > 20 ? `${chars.slice(0, 19).join('')}…` : chars.join('');
}
