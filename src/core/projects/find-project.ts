import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../db/prisma.ts';

/** A project by the number residents type, within one community; PROJECT_NOT_FOUND otherwise. */
export async function findProject(db: Db, communityId: number, number: number) {
  const project = await db.project.findUnique({
    where: { communityId_number: { communityId, number } },
    include: { shifts: { where: { status: 'scheduled' }, orderBy: { label: 'asc' } } },
  });
  if (!project) throw new AppError('PROJECT_NOT_FOUND', { number });
  return project;
}

/** Statuses in which residents may sign up or organizations claim. */
export const openStatuses = ['published', 'in_progress'] as const;
