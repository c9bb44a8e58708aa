import type { CoreContext } from '../../core/context.ts';
import { AppError } from '../../lib/errors.ts';
import { formatShiftTime } from '../../lib/time.ts';
import { transitions } from '../../core/projects/change-status.ts';
import { labelOf, type Locale } from '../../flows/messages.ts';
import { formatLocal } from './schemas.ts';

/** The community an API request is about, as the views need it. */
export interface ViewCommunity {
  id: number;
  code: string;
  name: string;
  timezone: string;
}

/** How many waitlisted people a project view lists per shift (the count is always complete). */
const waitlistShown = 200;

/** One shift as the API shows it: instants, the same in the community's local time, and counts. */
export function shiftView(
  s: { id: number; label: string; status: string; startsAt: Date; endsAt: Date; place: string; capacity: number; skills: string[]; confirmedCount: number },
  zone: string,
  locale: Locale = 'zh-Hans',
) {
  return {
    id: s.id,
    label: s.label,
    status: s.status,
    start: formatLocal(s.startsAt, zone),
    end: formatLocal(s.endsAt, zone),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    time: formatShiftTime(s.startsAt, s.endsAt, zone, locale),
    place: s.place,
    capacity: s.capacity,
    skills: s.skills,
    confirmed: s.confirmedCount,
    free: Math.max(0, s.capacity - s.confirmedCount),
  };
}

/**
 * A project with everything a worker looks at: its needs, each shift with sign-up counts by status
 * and its waitlist in order, the claims, and the statuses it may move to next. JSON-safe; reads only.
 */
export async function projectDetail(ctx: CoreContext, community: ViewCommunity, number: number, locale: Locale) {
  const p = await ctx.prisma.project.findUnique({
    where: { communityId_number: { communityId: community.id, number } },
    include: {
      needs: { include: { need: { select: { number: true, text: true, category: true, supportCount: true, status: true } } } },
      shifts: { orderBy: { id: 'asc' } },
      claims: {
        orderBy: { id: 'asc' },
        include: { organization: { select: { id: true, name: true } }, requestedBy: { select: { id: true, displayName: true } } },
      },
    },
  });
  if (!p) throw new AppError('PROJECT_NOT_FOUND', { number });
  const shiftIds = p.shifts.map((s) => s.id);
  const [counts, waitlisted] = await Promise.all([
    ctx.prisma.signUp.groupBy({ by: ['shiftId', 'status'], where: { shiftId: { in: shiftIds } }, _count: { _all: true } }),
    ctx.prisma.signUp.findMany({
      where: { shiftId: { in: shiftIds }, status: 'waitlisted' },
      orderBy: [{ shiftId: 'asc' }, { waitlistPosition: 'asc' }],
      select: { shiftId: true, waitlistPosition: true, createdAt: true, person: { select: { id: true, displayName: true } } },
      take: waitlistShown * Math.max(1, shiftIds.length),
    }),
  ]);
  return {
    number: p.number,
    title: p.title,
    description: p.description,
    category: p.category,
    categoryLabel: p.category ? labelOf(p.category, locale) : null,
    status: p.status,
    next: transitions[p.status],
    claimType: p.claimType,
    allowMultipleClaims: p.allowMultipleClaims,
    peopleServed: p.peopleServed,
    createdAt: p.createdAt,
    publishedAt: p.publishedAt,
    closedAt: p.closedAt,
    evaluatedAt: p.evaluatedAt,
    needs: p.needs.map((n) => n.need).sort((a, b) => a.number - b.number),
    shifts: p.shifts.map((s) => {
      const by = (status: string) => counts.find((c) => c.shiftId === s.id && c.status === status)?._count._all ?? 0;
      return {
        ...shiftView(s, community.timezone, locale),
        signUps: { confirmed: by('confirmed'), waitlisted: by('waitlisted'), cancelled: by('cancelled'), attended: by('attended'), noShow: by('no_show') },
        waitlist: waitlisted
          .filter((w) => w.shiftId === s.id)
          .slice(0, waitlistShown)
          .map((w) => ({ position: w.waitlistPosition, personId: w.person.id, name: w.person.displayName, since: w.createdAt })),
      };
    }),
    claims: p.claims.map((c) => ({
      id: c.id,
      status: c.status,
      organization: c.organization,
      requestedBy: { id: c.requestedBy.id, name: c.requestedBy.displayName },
      note: c.note,
      createdAt: c.createdAt,
      decidedAt: c.decidedAt,
    })),
  };
}
