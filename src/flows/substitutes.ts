import { askSubstitute, waitlistFirstMs } from '../core/substitutes/ask-substitute.ts';
import { takeOver } from '../core/substitutes/take-over.ts';
import { formatShiftTime } from '../lib/time.ts';
import type { Turn } from './turn.ts';

/**
 * `找人替班 P [班次]` by a confirmed volunteer: offers their place (the waitlist first, in private,
 * then the groups). With several confirmed shifts in P and none named, asks which.
 */
export async function swapTurn(turn: Turn, number: number, shift?: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await askSubstitute(turn.ctx, { communityId: community.id, projectNumber: number, shiftLabel: shift, personId: turn.personId });
  if (r.kind === 'which') {
    const labels = r.shifts.map((s) => s.label);
    turn.reply(turn.say('substituteWhich', { number: r.project.number, labels: labels.join(turn.locale === 'en' ? ', ' : '、'), first: labels[0] ?? 'A' }));
    return;
  }
  if (r.kind === 'already') {
    turn.reply(turn.say('substituteAlready', { number: r.project.number, label: r.shift.label }));
    return;
  }
  turn.reply(
    turn.say('substituteAsked', {
      number: r.project.number,
      label: r.shift.label,
      time: formatShiftTime(r.shift.startsAt, r.shift.endsAt, community.timezone, turn.locale),
      waitlisted: r.waitlisted || '',
      minutes: waitlistFirstMs / 60_000,
    }),
  );
  turn.apply(r.effects);
}

/** `接班 P [班次]`: the first to accept takes the offered place; both are told. */
export async function takeOverTurn(turn: Turn, number: number, shift?: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await takeOver(turn.ctx, { communityId: community.id, projectNumber: number, shiftLabel: shift, personId: turn.personId, personName: turn.event.sender.displayName });
  turn.reply(
    turn.say('tookOver', {
      number: r.project.number,
      title: r.project.title,
      label: r.shift.label,
      time: formatShiftTime(r.shift.startsAt, r.shift.endsAt, community.timezone, turn.locale),
      place: r.shift.place,
    }),
  );
  turn.apply(r.effects);
}
