import { analyzeNeed } from '../core/needs/classify-need.ts';
import { findSimilarNeed } from '../core/needs/report-need.ts';
import type { Session } from '../core/sessions/session-store.ts';
import { myActiveSignUps, openShifts, type ShiftOption } from '../core/signups/sign-up-options.ts';
import type { Understander, Understanding } from '../core/understanding/understanding.ts';
import { readWhenWindow, shiftInWindow } from '../core/understanding/when.ts';
import { maskPersonalData } from '../lib/mask.ts';
import { formatShiftTime } from '../lib/time.ts';
import { commands, runCommand, runCommandKind, type CommandKind, type ParsedCommand } from './commands/registry.ts';
import type { CommandDeps } from './commands/spec.ts';
import { freeTextTurn } from './need-intake.ts';
import { reminderFlow, waitForReminderAnswer } from './reminder-session.ts';
import type { Turn } from './turn.ts';

/**
 * Plain language (chat contract, "Plain language"): an @mention or a private message without a
 * command word is understood and, when clear, runs as the command it means, through the command
 * registry's own handler (so role checks and replies are the typed command's). When unsure, one
 * question with numbered choices, kept in this flow's session until answered.
 */
export const understandFlow = { name: 'understand.confirm', version: 1, ttlMs: 10 * 60_000 } as const;

/** At or above this confidence the command runs at once; below it the bot asks first. */
export const clearConfidence = 0.6;
/** At most this many numbered choices in one question (one phone screen). */
const maxChoices = 5;
/** A need quoted back in a question is cut to this many characters. */
const quoteChars = 30;
const CHECKIN_CODE = /(?<!\d)(\d{6})(?!\d)/;

/** The commands plain language may lead to, as stored in a waiting question. */
const answerable = new Set<CommandKind>(['need', 'upvote', 'projects', 'signup', 'cancel', 'checkin', 'rate']);

interface Choice {
  command: ParsedCommand;
  what: string;
}

/** Understands free text addressed to the bot and runs, asks or explains. */
export async function understandTurn(turn: Turn, understander: Understander, deps: CommandDeps): Promise<void> {
  // An unknown slash command ("/vote 2") is a command word this bot does not have, not plain words.
  if (turn.text.startsWith('/')) return freeTextTurn(turn, false);
  return actOnUnderstanding(turn, await understandWords(turn, understander), deps);
}

/** What the turn's words mean; the understander is told nothing about the person but the chat's kind and language. */
export function understandWords(turn: Turn, understander: Understander): Promise<Understanding> {
  return understander.understand(turn.text, { inGroup: turn.inGroup, locale: turn.locale, communityId: turn.community?.id ?? null });
}

/**
 * Whether an understanding asks for something to be done, rather than being chatter or unsure: what
 * a flow waiting for its own answer (a reminder's 1 / 2) lets through instead of asking again. A
 * check-in counts only with its code (without one it is words about coming, not an action).
 */
export function meansAnAction(u: Understanding, text: string): boolean {
  if (u.intent === 'chatter' || u.confidence < clearConfidence) return false;
  return u.intent !== 'check_in' || CHECKIN_CODE.test(text);
}

/** Runs, asks or explains what an understanding of the turn's words means. */
export async function actOnUnderstanding(turn: Turn, u: Understanding, deps: CommandDeps): Promise<void> {
  if (u.slots.urgent) turn.reply(turn.say('understandUrgent'));
  const clear = u.confidence >= clearConfidence;
  switch (u.intent) {
    case 'chatter':
      return freeTextTurn(turn, false);
    case 'report_need':
      return reportNeed(turn, clear, deps);
    case 'support_need':
      return supportNeed(turn, u, clear, deps);
    case 'ask_projects':
      return decide(turn, clear, [{ command: { kind: 'projects' }, what: turn.say('understandWhatProjects') }], deps);
    case 'sign_up':
      return signUp(turn, u, clear, deps);
    case 'cancel':
      return cancel(turn, u, clear, deps);
    case 'check_in':
      return checkIn(turn, u, clear, deps);
    case 'rate':
      return rate(turn, u, clear, deps);
    // No command for these yet: what the bot can do (a command not built is plain text).
    case 'propose':
    case 'vote':
    case 'ask_worker':
      return freeTextTurn(turn, false);
  }
}

/**
 * The answer to a waiting question: a choice's number runs it (`1` / 是 for a yes-or-no question),
 * `0` / `2` / 不是 runs nothing. Anything else is a new message: the question is dropped and the
 * text understood afresh (in a group only when it was addressed to the bot).
 */
export async function resumeUnderstand(turn: Turn, session: Session, understander: Understander, deps: CommandDeps, explicit: boolean): Promise<void> {
  const count = Number(session.answers.n);
  const pick = readPick(turn.text, count, session.step === 'confirm');
  const then = typeof session.answers.then === 'string' ? session.answers.then : undefined;
  await turn.sessions.clear(turn.sessionKey);
  turn.waiting = then;
  try {
    if (pick === null) {
      if (!turn.inGroup || explicit) await understandTurn(turn, understander, deps);
    } else {
      const command = pick === 0 ? null : storedCommand(session.answers[`c${pick}`]);
      if (command) await runCommand(turn, command, deps);
      else turn.reply(turn.say('understandDeclined'));
    }
  } finally {
    // Also when the command was refused (the router says why): the reminder still waits.
    await handBack(turn, then);
  }
}

/**
 * A question asked aside of a waiting flow gives the chat back to it once answered: a reminder
 * still unanswered waits for its 1 / 2 again (unless another question now waits; it hands back in turn).
 */
async function handBack(turn: Turn, then: string | undefined): Promise<void> {
  if (then !== reminderFlow.name) return;
  if (await turn.sessions.get(turn.sessionKey)) return;
  await waitForReminderAnswer(turn);
}

// ---- intents ------------------------------------------------------------------------------

async function reportNeed(turn: Turn, clear: boolean, deps: CommandDeps): Promise<void> {
  // In private from someone never seen in a bound group, as before: how to use the bot.
  if (!turn.community && !turn.inGroup) return freeTextTurn(turn, false);
  return decide(turn, clear, [needChoice(turn)], deps);
}

async function supportNeed(turn: Turn, u: Understanding, clear: boolean, deps: CommandDeps): Promise<void> {
  const community = turn.requireCommunity();
  if (u.slots.number !== undefined) {
    return decide(turn, clear, [{ command: { kind: 'upvote', number: u.slots.number }, what: turn.say('understandWhatUpvote', { number: u.slots.number, text: '' }) }], deps);
  }
  // "我也遇到了楼道灯不亮": the open need these words describe, by the near-duplicate rule.
  const twin = await findSimilarNeed(turn.ctx, { communityId: community.id, text: turn.text, building: turn.group?.building ?? null });
  if (twin) {
    return decide(turn, clear, [{ command: { kind: 'upvote', number: twin.number }, what: turn.say('understandWhatUpvote', { number: twin.number, text: quote(twin.text) }) }], deps);
  }
  // "我也是" names nothing: how to +1. Words that name something may be a need of their own.
  if (analyzeNeed(turn.text).topics.length === 0) {
    turn.reply(turn.say('usage_upvote'));
    return;
  }
  return ask(turn, [needChoice(turn)], turn.say('understandNoTwin'));
}

async function signUp(turn: Turn, u: Understanding, clear: boolean, deps: CommandDeps): Promise<void> {
  const community = turn.requireCommunity();
  const { number, shift } = u.slots;
  if (number !== undefined) {
    const command: ParsedCommand = shift ? { kind: 'signup', number, shift } : { kind: 'signup', number };
    if (clear) return runCommand(turn, command, deps);
    const known = (await openShifts(turn.ctx, community.id)).filter((s) => s.projectNumber === number && (!shift || s.label === shift));
    if (known.length === 0) return runCommand(turn, command, deps); // the command says why not
    return ask(turn, known.slice(0, maxChoices).map((s) => signUpChoice(turn, s)), known.length > 1 ? turn.say('understandWhichSignup') : undefined);
  }
  const options = await openShifts(turn.ctx, community.id);
  if (options.length === 0) return runCommandKind(turn, 'projects', {}, deps); // "nothing open"
  const window = u.slots.when ? readWhenWindow(u.slots.when, turn.ctx.clock.now(), community.timezone) : null;
  if (window) {
    // "我周六上午可以去帮忙": the shift of that day and time.
    const matching = options.filter((s) => shiftInWindow(s, window, community.timezone));
    if (matching.length === 1) return decide(turn, clear, [signUpChoice(turn, matching[0]!)], deps);
    if (matching.length > 1) return ask(turn, matching.slice(0, maxChoices).map((s) => signUpChoice(turn, s)), turn.say('understandWhichSignup'));
    return ask(turn, options.slice(0, maxChoices).map((s) => signUpChoice(turn, s)), `${turn.say('understandNoShiftAt', { when: u.slots.when! })}${turn.say('understandWhichSignup')}`);
  }
  // No number and no time: which one, even when only one is open (the person did not name it).
  return ask(turn, options.slice(0, maxChoices).map((s) => signUpChoice(turn, s)), options.length > 1 ? turn.say('understandWhichSignup') : undefined);
}

async function cancel(turn: Turn, u: Understanding, clear: boolean, deps: CommandDeps): Promise<void> {
  const community = turn.requireCommunity();
  if (u.slots.number !== undefined) {
    return decide(turn, clear, [{ command: { kind: 'cancel', number: u.slots.number }, what: turn.say('understandWhatCancel', { number: u.slots.number, title: '' }) }], deps);
  }
  const mine = await myActiveSignUps(turn.ctx, community.id, turn.personId);
  if (mine.length === 0) {
    turn.reply(turn.say('understandNoSignUps'));
    return;
  }
  const window = u.slots.when ? readWhenWindow(u.slots.when, turn.ctx.clock.now(), community.timezone) : null;
  const matching = window ? mine.filter((s) => shiftInWindow(s, window, community.timezone)) : mine;
  const projects = onePerProject(matching.length ? matching : mine);
  const choices = projects.slice(0, maxChoices).map((s) => ({ command: { kind: 'cancel', number: s.projectNumber } as ParsedCommand, what: turn.say('understandWhatCancel', { number: s.projectNumber, title: s.projectTitle }) }));
  if (choices.length === 1 && matching.length) return decide(turn, clear, choices, deps);
  return ask(turn, choices, choices.length > 1 ? turn.say('understandWhichCancel') : undefined);
}

async function checkIn(turn: Turn, u: Understanding, clear: boolean, deps: CommandDeps): Promise<void> {
  const community = turn.requireCommunity();
  const code = CHECKIN_CODE.exec(turn.text)?.[1];
  if (code === undefined) {
    turn.reply(turn.say('usage_checkin'));
    return;
  }
  if (u.slots.number !== undefined) {
    return decide(turn, clear, [{ command: { kind: 'checkin', number: u.slots.number, code }, what: turn.say('understandWhatCheckin', { number: u.slots.number, title: '' }) }], deps);
  }
  const mine = (await myActiveSignUps(turn.ctx, community.id, turn.personId)).filter((s) => s.status === 'confirmed');
  if (mine.length === 0) {
    turn.reply(turn.say('understandNoSignUps'));
    return;
  }
  const open = onePerProject(mine.filter((s) => s.checkinOpen));
  // None open now: the nearest one, whose refusal says when check-in opens.
  const candidates = open.length ? open : [mine[0]!];
  const choices = candidates.slice(0, maxChoices).map((s) => ({ command: { kind: 'checkin', number: s.projectNumber, code } as ParsedCommand, what: turn.say('understandWhatCheckin', { number: s.projectNumber, title: s.projectTitle }) }));
  if (choices.length === 1) return decide(turn, clear, choices, deps);
  return ask(turn, choices, turn.say('understandWhichCheckin'));
}

async function rate(turn: Turn, u: Understanding, clear: boolean, deps: CommandDeps): Promise<void> {
  turn.requireCommunity();
  const { number, rating } = u.slots;
  if (number === undefined || rating === undefined) {
    if (!clear) return freeTextTurn(turn, false);
    turn.reply(turn.say('usage_rate'));
    return;
  }
  return decide(turn, clear, [{ command: { kind: 'rate', number, rating, comment: turn.text }, what: turn.say('understandWhatRate', { number, rating }) }], deps);
}

// ---- asking -------------------------------------------------------------------------------

/** Runs the one choice when the understanding was clear, else asks about it. */
async function decide(turn: Turn, clear: boolean, choices: Choice[], deps: CommandDeps): Promise<void> {
  if (clear && choices.length === 1) return runCommand(turn, choices[0]!.command, deps);
  return ask(turn, choices);
}

/**
 * One question: "你是想…吗？回复 1 是，2 不是" for one choice, a numbered list for several; the
 * choices wait in this person's session (keyed by platform, chat and person) until answered.
 */
async function ask(turn: Turn, choices: Choice[], question?: string): Promise<void> {
  const answers: Record<string, string | number> = { n: choices.length };
  choices.forEach((c, i) => (answers[`c${i + 1}`] = JSON.stringify(c.command)));
  if (turn.waiting) answers.then = turn.waiting;
  const single = choices.length === 1;
  await turn.sessions.set(turn.sessionKey, {
    flow: understandFlow.name,
    version: understandFlow.version,
    step: single ? 'confirm' : 'choose',
    answers,
    expiresAt: new Date(turn.ctx.clock.now().getTime() + understandFlow.ttlMs),
  });
  if (single) {
    turn.reply(`${question ?? ''}${turn.say('understandConfirm', { what: choices[0]!.what })}`);
    return;
  }
  const list = choices.map((c, i) => turn.say('understandChoice', { n: i + 1, what: c.what })).join('\n');
  turn.reply(turn.say('understandChoose', { question: question ?? '', list }));
}

const YES = /^(?:1|是|是的|对|对的|好|好的|嗯|行|可以|确认|yes|y|ok)$/;
const NO = /^(?:0|2|不是|不|不对|不用|算了|都不是|no|n)$/;

/** The number picked (0: none), or null when the text is no answer to the question. */
export function readPick(text: string, count: number, yesNo: boolean): number | null {
  const t = text.trim().replace(/[。.!！~～\s]+$/u, '').toLowerCase();
  if (yesNo) {
    if (YES.test(t)) return 1;
    if (NO.test(t)) return 0;
    return null;
  }
  if (/^(?:0|都不是|不是|算了|no)$/.test(t)) return 0;
  const m = /^(?:第)?(\d{1,2})(?:个)?$/.exec(t);
  if (m) {
    const n = Number(m[1]);
    return n >= 1 && n <= count ? n : null;
  }
  return null;
}

/** A stored choice, read back: only a command plain language could have offered. */
function storedCommand(raw: unknown): ParsedCommand | null {
  if (typeof raw !== 'string') return null;
  try {
    const c = JSON.parse(raw) as { kind?: unknown };
    if (typeof c.kind !== 'string' || !(c.kind in commands) || !answerable.has(c.kind as CommandKind)) return null;
    return c as ParsedCommand;
  } catch {
    return null;
  }
}

function needChoice(turn: Turn): Choice {
  return { command: { kind: 'need', text: turn.text }, what: turn.say('understandWhatNeed', { text: quote(turn.text) }) };
}

function signUpChoice(turn: Turn, s: ShiftOption): Choice {
  const community = turn.requireCommunity();
  return {
    command: { kind: 'signup', number: s.projectNumber, shift: s.label },
    what: turn.say('understandWhatSignup', {
      number: s.projectNumber,
      title: s.projectTitle,
      label: s.label,
      time: formatShiftTime(s.startsAt, s.endsAt, community.timezone, turn.locale),
    }),
  };
}

function onePerProject<T extends { projectNumber: number }>(items: readonly T[]): T[] {
  const seen = new Set<number>();
  return items.filter((s) => (seen.has(s.projectNumber) ? false : (seen.add(s.projectNumber), true)));
}

/** A resident's words quoted back: personal data masked (a group reads them too), cut short. */
function quote(text: string): string {
  const chars = Array.from(maskPersonalData(text).replace(/\s+/g, ' '));
  return chars.length <= quoteChars ? chars.join('') : `${chars.slice(0, quoteChars - 1).join('')}…`;
}
