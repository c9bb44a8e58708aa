import { formatShiftTime } from '../lib/time.ts';
import type { CoreContext } from '../core/context.ts';
import { moveShift, type MoveShiftInput } from '../core/shifts/move-shift.ts';
import { cancelShift } from '../core/shifts/cancel-shift.ts';
import type { ReminderChanges } from '../core/reminders/plan-reminders.ts';
import type { OutboundItem } from '../../jobs/outbound.ts';
import { privateMessages, type Notice } from './notify.ts';

/**
 * Moves a shift (moveShift) and writes the volunteers' notices ("班次改时间了"). The caller queues
 * the notices (outbox.send) and carries out the reminder changes (ReminderScheduler.apply) after
 * this returns. The notices' keys hold the new time, so moving twice tells twice, once each.
 */
export async function moveShiftAndTell(ctx: CoreContext, input: MoveShiftInput): Promise<{ notices: OutboundItem[]; reminders: ReminderChanges; shift: { id: number; startsAt: Date; endsAt: Date } }> {
  const r = await moveShift(ctx, input);
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId }, select: { timezone: true } });
  const notices = await privateMessages(
    ctx,
    r.volunteers.map((personId) => ({
      personId,
      key: `shiftmoved:${r.shift.id}:${r.shift.startsAt.getTime()}:${personId}`,
      message: 'shiftMoved' as const,
      params: { number: r.project.number, title: r.project.title, label: r.shift.label, time: formatShiftTime(r.shift.startsAt, r.shift.endsAt, community.timezone), place: r.shift.place },
    })),
  );
  return { notices, reminders: r.reminders, shift: r.shift };
}

/** The notice to a volunteer whose shift was cancelled (by a worker, or by closing the project). */
export function shiftCancelledNotice(
  personId: number,
  project: { number: number; title: string },
  shift: { id: number; label: string; startsAt: Date; endsAt: Date },
  timezone: string,
): Notice {
  return {
    personId,
    key: `shiftcancelled:${shift.id}:${personId}`,
    message: 'shiftCancelled',
    params: { number: project.number, title: project.title, label: shift.label, time: formatShiftTime(shift.startsAt, shift.endsAt, timezone) },
  };
}

/** Cancels a shift (cancelShift) and writes its volunteers' notices; the caller queues them and removes the jobs. */
export async function cancelShiftAndTell(
  ctx: CoreContext,
  input: { communityId: number; number: number; shift: string; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' },
): Promise<{ notices: OutboundItem[]; reminders: ReminderChanges }> {
  const r = await cancelShift(ctx, input);
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: input.communityId }, select: { timezone: true } });
  const notices = await privateMessages(ctx, r.volunteers.map((personId) => shiftCancelledNotice(personId, r.project, r.shift, community.timezone)));
  return { notices, reminders: { add: [], remove: r.removeJobs } };
}
