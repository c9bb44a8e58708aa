import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { formatShiftTime } from '../../lib/time.ts';
import { idNumber as idSchema } from '../../lib/id-schema.ts';
import type { CoreContext } from '../context.ts';
import { notify, type Effect, type Notice } from '../effects.ts';
import { findProject } from '../projects/find-project.ts';
import { resolveShift } from '../signups/sign-up.ts';

/** How long the shift's waitlist has the offer to itself before it goes to the community's groups. */
export const waitlistFirstMs = 30 * 60_000;

const input = z.object({
  communityId: idSchema,
  projectNumber: idSchema,
  /** The shift's letter (or number) when the volunteer has several in the project. */
  shiftLabel: z.string().trim().min(1).max(4).optional(),
  personId: idSchema,
});

export interface SubstituteShift {
  id: number;
  label: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
}

export type AskSubstituteResult =
  /** Several confirmed shifts in the project and none named: the caller asks which. */
  | { kind: 'which'; project: { number: number; title: string }; shifts: SubstituteShift[]; effects: Effect[] }
  /** The place was offered already and nobody has taken it yet. */
  | { kind: 'already'; project: { number: number; title: string }; shift: SubstituteShift; effects: Effect[] }
  | { kind: 'asked'; requestId: number; project: { number: number; title: string }; shift: SubstituteShift; waitlisted: number; effects: Effect[] };

/**
 * `找人替班 P [班次]` by a confirmed volunteer: records an open SubstituteRequest for their place on
 * a shift still to come. The place stays theirs until someone takes it (`接班 P`, takeOver). The
 * shift's waitlist is told first, in private; the offer goes to the community's groups
 * (`substituteToGroups`) at once when nobody is waiting, else after {@link waitlistFirstMs}.
 * NOT_SIGNED_UP when the person has no confirmed place in P; SHIFT_NOT_FOUND for a shift of P they
 * are not confirmed on. Validated first, written in one transaction; safe to repeat (a second ask
 * for the same place is `already`, nobody is told twice).
 */
export async function askSubstitute(ctx: CoreContext, raw: z.input<typeof input>): Promise<AskSubstituteResult> {
  const i = input.parse(raw);
  return ctx.prisma.$transaction(async (tx) => {
    const project = await findProject(tx, i.communityId, i.projectNumber);
    const p = { number: project.number, title: project.title };
    const now = ctx.clock.now();
    const mine = await tx.signUp.findMany({
      where: { personId: i.personId, status: 'confirmed', shift: { projectId: project.id, status: 'scheduled', startsAt: { gt: now } } },
      select: { id: true, shift: { select: { id: true, label: true, startsAt: true, endsAt: true, place: true } } },
      orderBy: { shift: { label: 'asc' } },
    });
    if (mine.length === 0) throw new AppError('NOT_SIGNED_UP', { number: project.number });
    let chosen = mine[0]!;
    if (i.shiftLabel !== undefined) {
      const wanted = resolveShift(project.shifts, i.shiftLabel);
      const found = wanted && mine.find((m) => m.shift.id === wanted.id);
      if (!found) throw new AppError('SHIFT_NOT_FOUND', { number: project.number, shift: i.shiftLabel });
      chosen = found;
    } else if (mine.length > 1) {
      return { kind: 'which', project: p, shifts: mine.map((m) => m.shift), effects: [] };
    }
    const shift = chosen.shift;
    // One open offer per place: a row lock on the sign-up serialises two asks at once.
    await tx.$queryRaw`SELECT id FROM "SignUp" WHERE id = ${chosen.id} FOR UPDATE`;
    const open = await tx.substituteRequest.findFirst({ where: { signUpId: chosen.id, status: 'open' }, select: { id: true } });
    if (open) return { kind: 'already', project: p, shift, effects: [] };
    const request = await tx.substituteRequest.create({ data: { shiftId: shift.id, signUpId: chosen.id, fromId: i.personId, createdAt: now } });
    const waitlist = await tx.signUp.findMany({
      where: { shiftId: shift.id, status: 'waitlisted', personId: { not: i.personId } },
      orderBy: { waitlistPosition: 'asc' },
      select: { personId: true },
    });
    const { timezone } = await tx.community.findUniqueOrThrow({ where: { id: i.communityId }, select: { timezone: true } });
    const params = { number: project.number, title: project.title, label: shift.label, time: formatShiftTime(shift.startsAt, shift.endsAt, timezone), place: shift.place };
    const notices: Notice[] = waitlist.map((w) => ({ personId: w.personId, key: `subst:${request.id}:${w.personId}`, message: 'substituteOffer', params }));
    const toGroups = new Date(Math.min(now.getTime() + (waitlist.length ? waitlistFirstMs : 0), shift.startsAt.getTime()));
    const effects: Effect[] = [...notify(notices), { kind: 'substituteToGroups', requestId: request.id, at: toGroups }];
    return { kind: 'asked', requestId: request.id, project: p, shift, waitlisted: waitlist.length, effects };
  });
}
