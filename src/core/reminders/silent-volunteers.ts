import type { CoreContext } from '../context.ts';

export interface SilentVolunteer {
  signUpId: number;
  personId: number;
  name: string;
  projectNumber: number;
  projectTitle: string;
  shiftLabel: string;
  startsAt: Date;
  endsAt: Date;
  /** When the last reminder went out. */
  lastReminderAt: Date | null;
}

/**
 * Volunteers who stayed silent after their last reminder: a confirmed sign-up on a shift still to
 * come, never confirmed by the person (SignUp.confirmedAt), whose reminders have all gone out (none
 * still scheduled) and none was answered. What the workers' weekly digest and `提醒 N` list.
 * Read-only; soonest shift first.
 */
export async function listSilentVolunteers(
  ctx: CoreContext,
  input: { communityId: number; projectId?: number; limit?: number },
): Promise<SilentVolunteer[]> {
  const rows = await ctx.prisma.signUp.findMany({
    where: {
      status: 'confirmed',
      confirmedAt: null,
      shift: {
        status: 'scheduled',
        startsAt: { gt: ctx.clock.now() },
        project: { communityId: input.communityId, ...(input.projectId ? { id: input.projectId } : {}) },
      },
      AND: [{ reminders: { some: { status: 'sent' } } }, { reminders: { none: { status: { in: ['scheduled', 'answered'] } } } }],
    },
    orderBy: [{ shift: { startsAt: 'asc' } }, { id: 'asc' }],
    take: input.limit ?? 100,
    select: {
      id: true,
      personId: true,
      person: { select: { displayName: true } },
      reminders: { where: { status: 'sent' }, orderBy: { sentAt: 'desc' }, take: 1, select: { sentAt: true } },
      shift: { select: { label: true, startsAt: true, endsAt: true, project: { select: { number: true, title: true } } } },
    },
  });
  return rows.map((r) => ({
    signUpId: r.id,
    personId: r.personId,
    name: r.person.displayName,
    projectNumber: r.shift.project.number,
    projectTitle: r.shift.project.title,
    shiftLabel: r.shift.label,
    startsAt: r.shift.startsAt,
    endsAt: r.shift.endsAt,
    lastReminderAt: r.reminders[0]?.sentAt ?? null,
  }));
}
