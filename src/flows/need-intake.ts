import { maskPersonalData } from '../lib/mask.ts';
import { reportNeed, needMaxLength } from '../core/needs/report-need.ts';
import { supportNeed } from '../core/needs/support-need.ts';
import { listOpenNeeds } from '../core/needs/list-open-needs.ts';
import { labelOf } from './messages.ts';
import type { Turn } from './turn.ts';

/** The flow that waits for a need's text after a bare `需求` (a 70-year-old types in two goes). */
export const describeNeedFlow = { name: 'need.describe', version: 1, ttlMs: 10 * 60_000 } as const;

/** Lists are cut to this many lines in a group (one phone screen), more in private. */
const groupListLimit = 10;
const directListLimit = 30;
/** What fits one phone screen, roughly, for the list lines of a group reply. */
const groupScreenChars = 480;
/** A list line shows at most this much of a need's text. */
const listTextChars = 24;

export { PrivateWithoutCommunity } from './turn.ts';

/** `需求 <text>`, or free text @-mentioning the bot that reads like a need. */
export async function reportNeedTurn(turn: Turn, text: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await reportNeed(turn.ctx, {
    communityId: community.id,
    authorId: turn.personId,
    groupId: turn.group?.groupId ?? null,
    building: turn.group?.building ?? null,
    text,
  });
  const label = labelOf(r.need.category, turn.locale);
  const lines: string[] = [];
  if (r.kind === 'created') lines.push(turn.say('needCreated', { number: r.need.number, label }));
  else if (r.alreadySupported) lines.push(turn.say('needLinkedAgain', { number: r.need.number, label, count: r.supportCount }));
  else lines.push(turn.say('needLinked', { number: r.need.number, label, count: r.supportCount }));
  if (r.truncated) lines.push(turn.say('needTruncated', { max: needMaxLength }));
  if (r.masked && turn.inGroup) lines.push(turn.say('needMaskedInGroup'));
  turn.reply(lines.join('\n'));
  if (r.masked && turn.inGroup) turn.replyPrivately(turn.say('needPrivateNote', { number: r.need.number }));
}

/** A bare `需求`: ask what the need is, and wait for this person's next message. */
export async function askForNeed(turn: Turn): Promise<void> {
  turn.requireCommunity();
  await turn.sessions.set(turn.sessionKey, {
    flow: describeNeedFlow.name,
    version: describeNeedFlow.version,
    step: 'text',
    answers: {},
    expiresAt: new Date(turn.ctx.clock.now().getTime() + describeNeedFlow.ttlMs),
  });
  turn.reply(turn.say('usage_need'));
}

/** The next message after a bare `需求` is the need itself. */
export async function resumeDescribeNeed(turn: Turn): Promise<void> {
  await turn.sessions.clear(turn.sessionKey);
  await reportNeedTurn(turn, turn.text);
}

/** `+1 N`. */
export async function upvoteTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await supportNeed(turn.ctx, { communityId: community.id, number, personId: turn.personId });
  turn.reply(turn.say('upvoted', { number: r.need.number, count: r.supportCount }));
}

/** `需求清单`: top open needs by support, cut to one screen in a group. */
export async function listNeedsTurn(turn: Turn): Promise<void> {
  const community = turn.requireCommunity();
  const limit = turn.inGroup ? groupListLimit : directListLimit;
  const { needs, total } = await listOpenNeeds(turn.ctx, { communityId: community.id, limit });
  if (needs.length === 0) {
    turn.reply(turn.say('needsEmpty'));
    return;
  }
  const lines = [turn.say('needsHeader', { community: community.name })];
  let length = lines[0]?.length ?? 0;
  let shown = 0;
  for (const n of needs) {
    const line = turn.say('needsLine', {
      number: n.number,
      label: labelOf(n.category, turn.locale),
      text: shorten(turn.inGroup ? maskPersonalData(n.text) : n.text, listTextChars),
      count: n.supportCount,
    });
    // One phone screen in a group: stop early when the lines are long (English labels are).
    if (turn.inGroup && length + line.length > groupScreenChars) break;
    lines.push(line);
    length += line.length + 1;
    shown++;
  }
  if (total > shown) lines.push(turn.say('needsMore', { total, shown }));
  turn.reply(lines.join('\n'));
}

/** Free text addressed to the bot: a need when it reads like one, else a short help. */
export async function freeTextTurn(turn: Turn, readsLikeNeed: boolean): Promise<void> {
  if (readsLikeNeed && (turn.community || turn.inGroup)) {
    await reportNeedTurn(turn, turn.text);
    return;
  }
  turn.reply(turn.say('question', { bot: turn.botName }));
}

function shorten(s: string, max: number): string {
  const chars = Array.from(s.replace(/\s+/g, ' '));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
