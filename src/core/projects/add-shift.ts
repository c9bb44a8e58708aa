import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { findProject } from './find-project.ts';
import { shiftInput, shiftLabel } from './create-project.ts';

export const addShiftInput = z.object({
  communityId: z.number().int(),
  /** The project's number, as residents see it. */
  number: z.number().int().positive(),
  shift: shiftInput,
  actorId: z.number().int().nullable().default(null),
  via: z.enum(['chat', 'cli', 'api', 'console']).default('api'),
});
export type AddShiftInput = z.input<typeof addShiftInput>;

/**
 * Adds a shift (班次) to a project. Its label is the next letter after the project's existing
 * shifts (cancelled ones keep theirs, so a letter residents once saw is never reused). A closed or
 * evaluated project takes no new shifts (PROJECT_CLOSED). Only a worker of the community (or the
 * CLI, actorId null) may do it; audited. Not safe to retry blindly: each call adds a shift.
 */
export async function addShift(ctx: CoreContext, input: AddShiftInput) {
  const i = addShiftInput.parse(input);
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, i.communityId);
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, i.communityId, i.number);
    if (project.status === 'closed' || project.status === 'evaluated') throw new AppError('PROJECT_CLOSED', { number: project.number });
    // Lock the project so two shifts added at once cannot take the same letter.
    await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${project.id} FOR UPDATE`;
    const taken = new Set((await tx.shift.findMany({ where: { projectId: project.id }, select: { label: true } })).map((s) => s.label));
    let n = taken.size;
    while (taken.has(shiftLabel(n))) n++;
    const shift = await tx.shift.create({
      data: {
        projectId: project.id,
        label: shiftLabel(n),
        startsAt: i.shift.startsAt,
        endsAt: i.shift.endsAt,
        capacity: i.shift.capacity,
        place: i.shift.place,
        skills: i.shift.skills,
        checkinSecret: Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString('base64url'),
      },
    });
    await writeAudit(tx, {
      communityId: i.communityId,
      actorId: i.actorId,
      via: i.via,
      action: 'shift.add',
      entity: 'Shift',
      entityId: shift.id,
      after: {
        project: project.number,
        label: shift.label,
        startsAt: shift.startsAt.toISOString(),
        endsAt: shift.endsAt.toISOString(),
        capacity: shift.capacity,
        place: shift.place,
        skills: shift.skills,
      },
    });
    return { project, shift };
  });
}
