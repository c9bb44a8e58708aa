import { DateTime } from 'luxon';
import { needHistory } from '../core/needs/need-history.ts';
import { setNeedOutcome, type NeedOutcome } from '../core/needs/set-need-outcome.ts';
import { labelOf, type MessageKey } from './messages.ts';
import type { Turn } from './turn.ts';

/** How a need's status reads, in the catalogue. */
function statusKey(status: string): MessageKey {
  const known = ['open', 'in_project', 'merged', 'resolved', 'rejected', 'referred'];
  return `need_${known.includes(status) ? status : 'open'}` as MessageKey;
}

/** `处理需求 12 已解决 说明` / `不予处理 原因` / `转交 12 物业公司 …` by a worker: the supporters are told in private. */
export async function needOutcomeTurn(turn: Turn, a: { number: number; outcome: NeedOutcome; to?: string; note: string }): Promise<void> {
  const community = turn.requireCommunity();
  const r = await setNeedOutcome(turn.ctx, { communityId: community.id, number: a.number, outcome: a.outcome, note: a.note, to: a.to, actorId: turn.personId, via: 'chat' });
  const status = turn.say(statusKey(a.outcome)) + (a.outcome === 'referred' && a.to ? ` ${a.to}` : '');
  turn.reply(turn.say('needOutcomeSet', { number: r.need.number, status, count: r.supporters }));
  turn.apply(r.effects);
}

/** `需求 12` (a number only): the need's status and history, to anyone in the community. */
export async function needStatusTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const h = await needHistory(turn.ctx, { communityId: community.id, number });
  const date = (d: Date) => DateTime.fromJSDate(d, { zone: community.timezone }).setLocale(turn.locale === 'en' ? 'en' : 'zh').toFormat(turn.locale === 'en' ? 'd LLL' : 'M月d日');
  const lines = [
    turn.say('needStatusLine', { number: h.need.number, label: labelOf(h.need.category, turn.locale), status: turn.say(statusKey(h.need.status)) }),
    turn.say('needStatusText', { text: shorten(h.need.text, 60) }),
    turn.say('needStatusSupport', { count: h.need.supportCount, date: date(h.need.createdAt) }),
  ];
  const history = [
    ...h.projects.map((p) => turn.say('needHistoryProject', { number: p.number, title: p.title })),
    ...h.outcomes.slice(-5).map((o) =>
      turn.say('needHistoryOutcome', { date: date(o.at), status: turn.say(statusKey(o.status)) + (o.to ? ` ${o.to}` : ''), note: shorten(o.note, 60) }),
    ),
    ...(h.need.mergedInto !== null ? [turn.say('needHistoryMerged', { into: h.need.mergedInto })] : []),
  ];
  if (history.length) lines.push(turn.say('needHistory'), ...history);
  turn.reply(lines.join('\n'));
}

function shorten(s: string, max: number): string {
  const chars = Array.from(s.replace(/\s+/g, ' '));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
