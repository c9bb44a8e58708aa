import { formatShiftTime } from '../lib/time.ts';
import { notify, remindersPlanned } from '../core/effects.ts';
import { signUp } from '../core/signups/sign-up.ts';
import { cancelSignUp } from '../core/signups/cancel-sign-up.ts';
import { promotionNotices } from '../core/signups/promotion-notices.ts';
import { fileClaim } from '../core/claims/file-claim.ts';
import { decideClaim } from '../core/claims/decide-claim.ts';
import { publishProject } from '../core/projects/publish-project.ts';
import { listOpenProjects } from '../core/projects/list-open-projects.ts';
import { myOverview } from '../core/people/my-overview.ts';
import { announceProject } from '../notices/announce.ts';
import { labelOf } from './messages.ts';
import type { Turn } from './turn.ts';
import { meHoursLine } from './volunteering.ts';

const groupListLimit = 5;
const directListLimit = 20;

/** `项目`: open projects with their numbers and free places per shift. */
export async function listProjectsTurn(turn: Turn): Promise<void> {
  const community = turn.requireCommunity();
  const limit = turn.inGroup ? groupListLimit : directListLimit;
  const { projects, total } = await listOpenProjects(turn.ctx, community.id, limit);
  if (projects.length === 0) {
    turn.reply(turn.say('projectsEmpty'));
    return;
  }
  const lines = [turn.say('projectsHeader', { community: community.name })];
  for (const p of projects) {
    lines.push(turn.say('projectsLine', { number: p.number, title: p.title, claim: p.claimType === 'volunteers' ? '' : turn.say('projectsClaimable') }));
    if (p.claimType === 'organization') continue;
    for (const s of p.shifts.slice(0, 4)) {
      const free = s.capacity - s.confirmedCount;
      lines.push(
        turn.say('projectsShift', {
          label: s.label,
          time: formatShiftTime(s.startsAt, s.endsAt, community.timezone, turn.locale),
          place: s.place ? `${s.place} ` : '',
          free: free > 0 ? turn.say('projectsFree', { free, capacity: s.capacity }) : turn.say('projectsFull', { waiting: s._count.signUps }),
        }),
      );
    }
  }
  if (total > projects.length) lines.push(turn.say('projectsMore', { total, shown: projects.length }));
  lines.push(turn.say('projectsFooter'));
  turn.reply(lines.join('\n'));
}

/** `报名 N [班次]`. */
export async function signUpTurn(turn: Turn, number: number, shift?: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await signUp(turn.ctx, { communityId: community.id, projectNumber: number, shiftLabel: shift, personId: turn.personId });
  turn.apply(remindersPlanned(r.reminders));
  if (r.status === 'confirmed') {
    turn.reply(
      turn.say('signedUp', {
        number: r.projectNumber,
        title: r.projectTitle,
        label: r.shift.label,
        time: formatShiftTime(r.shift.startsAt, r.shift.endsAt, community.timezone, turn.locale),
        place: r.shift.place,
      }),
    );
  } else {
    turn.reply(turn.say('waitlisted', { number: r.projectNumber, label: r.shift.label, place: r.place }));
  }
}

/** `取消报名 N`: cancels, and tells whoever moved up from the waitlist. */
export async function cancelTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await cancelSignUp(turn.ctx, { communityId: community.id, projectNumber: number, personId: turn.personId });
  turn.reply(turn.say('cancelledSignUp', { number: r.projectNumber, labels: r.cancelled.map((c) => c.shiftLabel).join('、') }));
  turn.apply(remindersPlanned(r.reminders));
  turn.apply(notify(await promotionNotices(turn.ctx, r.promoted, { number: r.projectNumber, title: r.projectTitle }, turn.event.messageId)));
}

/** `认领 N [组织名]`: files the claim and asks the community's workers to decide. */
export async function claimTurn(turn: Turn, number: number, org?: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await fileClaim(turn.ctx, { communityId: community.id, projectNumber: number, orgName: org, personId: turn.personId, personName: turn.event.sender.displayName });
  turn.reply(turn.say('claimFiled', { org: r.organization.name, number: r.project.number, claim: r.claim.id }));
  turn.apply(r.effects);
}

/** `同意认领 C` / `拒绝认领 C [原因]` by a worker: decides and tells the claimant. */
export async function decideClaimTurn(turn: Turn, claimId: number, approve: boolean, reason = ''): Promise<void> {
  const community = turn.requireCommunity();
  const d = await decideClaim(turn.ctx, { communityId: community.id, claimId, approve, reason, actorId: turn.personId, via: 'chat' });
  turn.reply(turn.say('claimDecided', { approved: approve ? 1 : '', org: d.organization, number: d.projectNumber }));
  turn.apply(d.effects);
}

/** `发布 N [群…]` by a worker: publishes project N to the community's groups (or the named ones). */
export async function publishTurn(turn: Turn, number: number, groupNames: string[]): Promise<void> {
  const community = turn.requireCommunity();
  const r = await publishProject(turn.ctx, { communityId: community.id, number, groups: groupNames, actorId: turn.personId, via: 'chat' }, announceProject);
  turn.apply(r.effects);
  turn.reply(turn.say('published', { number: r.project.number, groups: r.groupCount, at: '' }));
}

/** `我的`: my needs, sign-ups and claims; in a group the answer goes to private chat. */
export async function meTurn(turn: Turn): Promise<void> {
  const { needs, signUps, claims, hours } = await myOverview(turn.ctx, turn.personId, turn.community?.id ?? null);
  const lines = [turn.say('meHeader')];
  if (needs.length) lines.push(turn.say('meNeeds', { list: needs.map((n) => `#${n.number}${labelOf(n.category, turn.locale)}(${n.supportCount})`).join('、') }));
  if (signUps.length) {
    const list = signUps.map((s) => {
      const time = formatShiftTime(s.shift.startsAt, s.shift.endsAt, s.shift.project.community.timezone, turn.locale);
      return `#${s.shift.project.number}${s.shift.label} ${time}${s.status === 'waitlisted' ? '（候补）' : ''}`;
    });
    lines.push(turn.say('meSignUps', { list: list.join('；') }));
  }
  if (claims.length) lines.push(turn.say('meClaims', { list: claims.map((c) => `#${c.project.number} ${c.organization.name} ${c.status}`).join('；') }));
  lines.push(...meHoursLine(turn, hours));
  if (lines.length === 1) lines.push(turn.say('meNothing'));
  if (turn.inGroup) {
    turn.replyPrivately(lines.join('\n'));
    turn.reply(turn.say('mePrivately'));
  } else {
    turn.reply(lines.join('\n'));
  }
}

