import { createProject } from '../core/projects/create-project.ts';
import { addShift } from '../core/projects/add-shift.ts';
import { moveShift } from '../core/shifts/move-shift.ts';
import { cancelShift } from '../core/shifts/cancel-shift.ts';
import { workerTodo } from '../core/people/worker-todo.ts';
import { requireWorker } from '../core/roles/require-worker.ts';
import type { Session } from '../core/sessions/session-store.ts';
import { formatShiftTime, isPast, parseShiftWhen } from '../lib/time.ts';
import type { Turn } from './turn.ts';

/** The flow that waits for a project's title after a bare `立项 12`. */
export const projectTitleFlow = { name: 'project.title', version: 1, ttlMs: 10 * 60_000 } as const;

const titleMax = 100;

/** `立项 12,15 楼道灯维修` by a worker: a draft project from those needs (their supporters are told). A bare `立项 12` asks the title. */
export async function makeProjectTurn(turn: Turn, needs: number[], title: string): Promise<void> {
  const community = turn.requireCommunity();
  if (title === '') {
    await requireWorker(turn.ctx, turn.personId, community.id);
    await turn.sessions.set(turn.sessionKey, {
      flow: projectTitleFlow.name,
      version: projectTitleFlow.version,
      step: 'title',
      answers: { needs: needs.join(',') },
      expiresAt: new Date(turn.ctx.clock.now().getTime() + projectTitleFlow.ttlMs),
    });
    turn.reply(turn.say('askProjectTitle', { needs: needList(needs) }));
    return;
  }
  const r = await createProject(turn.ctx, { communityId: community.id, title: Array.from(title).slice(0, titleMax).join(''), needs, actorId: turn.personId, via: 'chat' });
  turn.reply(turn.say('projectDrafted', { number: r.project.number, title: r.project.title, needs: needList(needs) }));
  turn.apply(r.effects);
}

/** The title after a bare `立项 12`. */
export async function resumeProjectTitle(turn: Turn, session: Session): Promise<void> {
  await turn.sessions.clear(turn.sessionKey);
  const needs = String(session.answers.needs ?? '')
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
  await makeProjectTurn(turn, needs, turn.text.trim());
}

/** `加班次 3 12月20日 9:00-11:00 3人 3号楼门口` by a worker, through the shared shift time rule. */
export async function addShiftTurn(turn: Turn, a: { number: number; when: string; capacity: number; place: string }): Promise<void> {
  const community = turn.requireCommunity();
  const now = turn.ctx.clock.now();
  const times = parseShiftWhen(a.when, community.timezone, now);
  if (!times.ok) return turn.reply(turn.say('shiftTimeWrong', { problem: times.problem }));
  if (isPast(times.start, now)) return turn.reply(turn.say('shiftTimeWrong', { problem: 'past' }));
  const place = a.place || times.rest;
  const r = await addShift(turn.ctx, {
    communityId: community.id,
    number: a.number,
    shift: { startsAt: times.start, endsAt: times.end, capacity: a.capacity, place },
    actorId: turn.personId,
    via: 'chat',
  });
  turn.reply(
    turn.say('shiftAdded', {
      number: r.project.number,
      label: r.shift.label,
      time: formatShiftTime(r.shift.startsAt, r.shift.endsAt, community.timezone, turn.locale),
      place: r.shift.place,
      capacity: r.shift.capacity,
      nextDay: times.nextDay ? 1 : '',
    }),
  );
}

/** `改班次 3 A 12月21日 9:00-11:00 [地点]` by a worker: reminders follow, volunteers are told. */
export async function moveShiftTurn(turn: Turn, a: { number: number; shift: string; when: string }): Promise<void> {
  const community = turn.requireCommunity();
  const now = turn.ctx.clock.now();
  const times = parseShiftWhen(a.when, community.timezone, now);
  if (!times.ok) return turn.reply(turn.say('shiftTimeWrong', { problem: times.problem }));
  if (isPast(times.start, now)) return turn.reply(turn.say('shiftTimeWrong', { problem: 'past' }));
  const r = await moveShift(turn.ctx, {
    communityId: community.id,
    number: a.number,
    shift: a.shift,
    startsAt: times.start,
    endsAt: times.end,
    ...(times.rest ? { place: times.rest } : {}),
    actorId: turn.personId,
    via: 'chat',
  });
  turn.reply(turn.say('shiftMovedDone', { number: r.project.number, label: r.shift.label, time: formatShiftTime(r.shift.startsAt, r.shift.endsAt, community.timezone, turn.locale), count: r.volunteers.length }));
  turn.apply(r.effects);
}

/** `取消班次 3 B 原因` by a worker: sign-ups (and the waitlist) cancelled with it, volunteers told why. */
export async function cancelShiftTurn(turn: Turn, a: { number: number; shift: string; reason: string }): Promise<void> {
  const community = turn.requireCommunity();
  const r = await cancelShift(turn.ctx, { communityId: community.id, number: a.number, shift: a.shift, reason: a.reason, actorId: turn.personId, via: 'chat' });
  turn.reply(turn.say('shiftCancelledDone', { number: r.project.number, label: r.shift.label, reason: a.reason, count: r.volunteers.length }));
  turn.apply(r.effects);
}

/** `待办`: what waits for this worker; in a group the list goes to private chat (it names residents). */
export async function todoTurn(turn: Turn): Promise<void> {
  const community = turn.requireCommunity();
  const t = await workerTodo(turn.ctx, { communityId: community.id, actorId: turn.personId });
  const lines = [turn.say('todoHeader', { community: community.name })];
  const more = (count: number, shown: number) => (count > shown ? ' …' : '');
  if (t.claims.count) {
    lines.push(turn.say('todoClaims', { count: t.claims.count, list: t.claims.items.map((c) => `${c.id}（#${c.project} ${c.organization}）`).join('、') + more(t.claims.count, t.claims.items.length) }));
  }
  if (t.hours.count) lines.push(turn.say('todoHours', { count: t.hours.count, list: t.hours.byProject.slice(0, 10).map((h) => `#${h.project}×${h.count}`).join('、') }));
  if (t.tickets.count) {
    const urgent = turn.locale === 'en' ? 'urgent ' : '紧急';
    lines.push(turn.say('todoTickets', { count: t.tickets.count, list: t.tickets.items.map((x) => `${x.urgent ? urgent : ''}T${x.number} ${x.person}`).join('、') + more(t.tickets.count, t.tickets.items.length) }));
  }
  if (t.needs.count) lines.push(turn.say('todoNeeds', { count: t.needs.count, list: t.needs.items.map((n) => `#${n.number}(${n.supportCount})`).join('、') + more(t.needs.count, t.needs.items.length) }));
  if (lines.length === 1) lines.push(turn.say('todoNothing'));
  if (turn.inGroup) {
    turn.replyPrivately(lines.join('\n'));
    turn.reply(turn.say('todoPrivately'));
  } else {
    turn.reply(lines.join('\n'));
  }
}

function needList(needs: number[]): string {
  return needs.map((n) => `#${n}`).join('、');
}
