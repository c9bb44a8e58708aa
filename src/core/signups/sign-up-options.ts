import type { CoreContext } from '../context.ts';
import { inCheckinWindow } from '../checkins/check-in.ts';
import { openStatuses } from '../projects/find-project.ts';

/** A shift as plain-language sign-up, cancel and check-in choose among. JSON-safe but for the dates. */
export interface ShiftOption {
  projectNumber: number;
  projectTitle: string;
  label: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  /** Places still free (0 when full: a sign-up would be waitlisted). */
  free: number;
}

/**
 * The shifts still to come of the community's open projects that volunteers sign up for, soonest
 * first, at most `limit`. Reads only.
 */
export async function openShifts(ctx: CoreContext, communityId: number, limit = 50): Promise<ShiftOption[]> {
  const rows = await ctx.prisma.shift.findMany({
    where: {
      status: 'scheduled',
      endsAt: { gt: ctx.clock.now() },
      project: { communityId, status: { in: [...openStatuses] }, claimType: { not: 'organization' } },
    },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: limit,
    include: { project: { select: { number: true, title: true } } },
  });
  return rows.map((s) => ({
    projectNumber: s.project.number,
    projectTitle: s.project.title,
    label: s.label,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    place: s.place,
    free: Math.max(0, s.capacity - s.confirmedCount),
  }));
}

export interface MySignUp extends ShiftOption {
  status: 'confirmed' | 'waitlisted';
  /** Check-in is open for it now (an hour before its start to its end). */
  checkinOpen: boolean;
}

/** The person's confirmed and waitlisted sign-ups in the community for shifts not yet over, soonest first. */
export async function myActiveSignUps(ctx: CoreContext, communityId: number, personId: number): Promise<MySignUp[]> {
  const now = ctx.clock.now();
  const rows = await ctx.prisma.signUp.findMany({
    where: { personId, status: { in: ['confirmed', 'waitlisted'] }, shift: { status: 'scheduled', endsAt: { gt: now }, project: { communityId } } },
    include: { shift: { include: { project: { select: { number: true, title: true } } } } },
    orderBy: [{ shift: { startsAt: 'asc' } }, { id: 'asc' }],
    take: 50,
  });
  return rows.map((r) => ({
    projectNumber: r.shift.project.number,
    projectTitle: r.shift.project.title,
    label: r.shift.label,
    startsAt: r.shift.startsAt,
    endsAt: r.shift.endsAt,
    place: r.shift.place,
    free: Math.max(0, r.shift.capacity - r.shift.confirmedCount),
    status: r.status as 'confirmed' | 'waitlisted',
    checkinOpen: r.status === 'confirmed' && inCheckinWindow(r.shift, now),
  }));
}
