import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { applyStatusChange } from '../projects/change-status.ts';
import { broadcastScheduled, recordBroadcast } from '../broadcasts/create-broadcast.ts';
import { notify, remindersPlanned, type Effect, type Notice } from '../effects.ts';
import { findProject } from '../projects/find-project.ts';
import { supportersOf } from '../projects/create-project.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { cancelShiftIn, shiftCancelledNotice } from '../shifts/cancel-shift.ts';
import { cancelReminders } from '../reminders/plan-reminders.ts';
import { creditShiftHours, roundingOf } from '../hours/credit-hours.ts';

/**
 * `结项 N`: closes project N (published or in progress → closed, audited) and settles it, in one
 * transaction:
 * - shifts still to come are cancelled, with their sign-ups and reminders (their volunteers told);
 * - on shifts that have started, each confirmed sign-up becomes `attended` when it has a check-in
 *   and `no_show` when not; their remaining reminders are cancelled;
 * - each attended volunteer without hours for the shift is credited (pending): check-in to
 *   check-out when they checked out, else the shift's length; rounded by the community's rule;
 * - the needs it answers are resolved; their supporters are to be told;
 * - the first time, the groups it was published to are asked for feedback (a broadcast).
 * The effects: that broadcast's fan-out, the reminders dropped, the volunteers of cancelled shifts
 * and the supporters told.
 * Settling again (a closed project closed again) changes nothing more and tells no one twice:
 * `newlyClosed` says whether this call closed it. Only a worker of the community.
 */
export async function closeProject(
  ctx: CoreContext,
  input: { communityId: number; number: number; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' },
  /** The feedback question for the groups (src/notices), in the community's language. */
  askForFeedback: AskForFeedback = () => null,
) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  const found = await findProject(ctx.prisma, input.communityId, input.number);
  if (!['published', 'in_progress', 'closed', 'evaluated'].includes(found.status)) {
    throw new AppError('BAD_TRANSITION', { number: found.number, from: found.status, to: 'closed' });
  }
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId } });
  const settled = await ctx.prisma.$transaction(async (tx) => {
    const now = ctx.clock.now();
    const project = await findProject(tx, input.communityId, input.number);
    let newlyClosed = false;
    if (project.status === 'published' || project.status === 'in_progress') {
      await applyStatusChange(tx, project, { ...input, to: 'closed', now });
      newlyClosed = true;
    } else if (project.status !== 'closed' && project.status !== 'evaluated') {
      throw new AppError('BAD_TRANSITION', { number: project.number, from: project.status, to: 'closed' });
    }
    const cancelledShifts: Array<{ id: number; label: string; startsAt: Date; endsAt: Date; volunteers: number[] }> = [];
    const removeJobs: string[] = [];
    for (const s of project.shifts) {
      if (s.startsAt <= now) continue;
      const r = await cancelShiftIn(tx, s.id, now);
      cancelledShifts.push({ id: s.id, label: s.label, startsAt: s.startsAt, endsAt: s.endsAt, volunteers: r.volunteers });
      removeJobs.push(...r.removeJobs);
    }
    const started = project.shifts.filter((s) => s.startsAt <= now);
    const signUps = await tx.signUp.findMany({
      where: { shiftId: { in: started.map((s) => s.id) }, status: { in: ['confirmed', 'attended', 'no_show'] } },
      include: { checkIn: true },
    });
    // A no-show a worker marked present afterwards (补签) becomes attended when settled again.
    const attended = signUps.filter((s) => s.checkIn).map((s) => s.id);
    const noShows = signUps.filter((s) => !s.checkIn && s.status === 'confirmed').map((s) => s.id);
    if (attended.length) await tx.signUp.updateMany({ where: { id: { in: attended } }, data: { status: 'attended' } });
    if (noShows.length) await tx.signUp.updateMany({ where: { id: { in: noShows } }, data: { status: 'no_show' } });
    removeJobs.push(...(await cancelReminders(tx, signUps.map((s) => s.id), 'too_late')));
    let credited = 0;
    for (const s of signUps) {
      if (!s.checkIn) continue;
      const shift = started.find((x) => x.id === s.shiftId)!;
      const from = s.checkIn.checkedOutAt ? s.checkIn.checkedInAt : shift.startsAt;
      const to = s.checkIn.checkedOutAt ?? shift.endsAt;
      const entry = await creditShiftHours(tx, {
        personId: s.personId,
        projectId: project.id,
        shiftId: s.shiftId,
        minutes: (to.getTime() - from.getTime()) / 60_000,
        rule: roundingOf(community),
        reason: s.checkIn.checkedOutAt ? 'checkout' : 'attended',
        createdById: input.actorId,
        now,
      });
      if (entry) credited++;
    }
    const links = await tx.projectNeed.findMany({ where: { projectId: project.id }, select: { needId: true, need: { select: { status: true } } } });
    const toResolve = links.filter((l) => l.need.status === 'open' || l.need.status === 'in_project').map((l) => l.needId);
    if (toResolve.length) await tx.need.updateMany({ where: { id: { in: toResolve } }, data: { status: 'resolved', resolvedAt: now } });
    const supporters = newlyClosed ? await supportersOf(tx, links.map((l) => l.needId)) : [];
    // The first close asks the groups it was published to for feedback (none left bound: nobody to ask).
    let broadcast: { id: number; sendAt: Date | null; cron: string | null; timezone: string | null } | null = null;
    let groupCount = 0;
    const question = newlyClosed ? askForFeedback(project, community) : null;
    if (question) {
      const published = await tx.broadcast.findMany({ where: { projectId: project.id, parentId: null }, select: { groupIds: true } });
      const everywhere = published.some((b) => b.groupIds.length === 0);
      const wanted = everywhere ? [] : [...new Set(published.flatMap((b) => b.groupIds))];
      const bound = await tx.group.findMany({ where: { communityId: input.communityId, ...(wanted.length ? { id: { in: wanted } } : {}) }, select: { id: true } });
      if (published.length && bound.length) {
        const groupIds = wanted.length ? bound.map((g) => g.id) : [];
        broadcast = await recordBroadcast(tx, { communityId: input.communityId, projectId: project.id, text: question, groupIds, actorId: input.actorId, via: input.via });
        groupCount = bound.length;
      }
    }
    return {
      broadcast,
      groupCount,
      project: { id: project.id, number: project.number, title: project.title },
      newlyClosed,
      cancelledShifts,
      removeJobs,
      attended: attended.length,
      noShows: noShows.length,
      credited,
      needsResolved: toResolve.length,
      supporters,
    };
  });
  const effects: Effect[] = [
    ...(settled.broadcast ? [broadcastScheduled(settled.broadcast)] : []),
    ...remindersPlanned({ add: [], remove: settled.removeJobs }),
    ...notify(
      [
        ...settled.cancelledShifts.flatMap((s) => s.volunteers.map((personId) => shiftCancelledNotice(personId, settled.project, s, community.timezone))),
        ...settled.supporters.map(
          (x): Notice => ({
            personId: x.personId,
            key: `projectclosed:${settled.project.id}:${x.personId}`,
            message: 'projectClosedToSupporter',
            params: { need: x.needNumber, number: settled.project.number, title: settled.project.title },
            informational: true,
          }),
        ),
      ],
      community.locale,
    ),
  ];
  return { ...settled, effects };
}

/** Writes the question the groups are asked when a project closes (`评价 N 1-5分`); null: ask nobody. */
export type AskForFeedback = (project: { number: number; title: string }, community: { locale: string }) => string | null;
