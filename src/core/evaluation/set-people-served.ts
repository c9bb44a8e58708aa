import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { findProject } from '../projects/find-project.ts';
import { requireWorker } from '../roles/require-worker.ts';

/** 受益人次: how many people project N served, entered by a worker. Audited; safe to repeat. */
export async function setPeopleServed(
  ctx: CoreContext,
  input: { communityId: number; number: number; count: number; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' },
) {
  if (!Number.isInteger(input.count) || input.count < 0 || input.count > 10_000_000) throw new AppError('INVALID_INPUT');
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, input.communityId, input.number);
    const before = await tx.project.findUniqueOrThrow({ where: { id: project.id }, select: { peopleServed: true } });
    const updated = await tx.project.update({ where: { id: project.id }, data: { peopleServed: input.count } });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'project.people_served',
      entity: 'Project',
      entityId: project.id,
      before: { peopleServed: before.peopleServed },
      after: { peopleServed: input.count },
    });
    return updated;
  });
}
