import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { inboundEventSchema, type InboundEvent, type ParsedInboundEvent } from '../bots/types.ts';
import type { CoreContext } from '../core/context.ts';
import { InboundClaims, releaseInbound } from '../core/inbound/claim-inbound.ts';
import { GroupDirectory, type GroupInfo } from '../core/groups/group-directory.ts';
import { PersonDirectory, type ResolvedPerson } from '../core/people/resolve-person.ts';
import { CommunityMembers } from '../core/people/community-members.ts';
import { communitySummary } from '../core/communities/find-community.ts';
import { setHomeCommunity } from '../core/people/person-settings.ts';
import { ZodError } from 'zod';
import { isAppError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import type { Effect } from '../core/effects.ts';
import { errorText, isLocale, localeOfScript, type Locale } from './messages.ts';
import { normalizeText } from './parse/normalize.ts';
import { parseCommand, type Command } from './parse/parse-command.ts';
import { runCommand } from './commands/registry.ts';
import { SessionStore, type Session, type SessionHints } from '../core/sessions/session-store.ts';
import { Turn, type TurnCommunity } from './turn.ts';
import { describeNeedFlow, PrivateWithoutCommunity, resumeDescribeNeed } from './need-intake.ts';
import { reminderFlow, resumeReminderAnswer } from './reminder-flow.ts';
import { proposeFlow, resumePropose } from './ventures.ts';
import { readUrgent, type Emergency } from './parse/urgent.ts';
import { resumeTicketRating, ticketRatingFlow, urgentTurn } from './tickets.ts';
import { projectTitleFlow, resumeProjectTitle } from './project-admin.ts';
import { resumeUnderstand, understandFlow, understandTurn } from './understand.ts';
import type { Understander } from '../core/understanding/understanding.ts';
import { offlineUnderstander } from '../core/understanding/offline-understander.ts';

/** Longer inbound texts are refused outright (a need itself is cut at 500 characters). */
export const maxInboundChars = 2000;
/** The versions of the flows that keep state; a stored session of another version is dropped. */
const flowVersions = {
  [describeNeedFlow.name]: describeNeedFlow.version,
  [reminderFlow.name]: reminderFlow.version,
  [proposeFlow.name]: proposeFlow.version,
  [ticketRatingFlow.name]: ticketRatingFlow.version,
  [projectTitleFlow.name]: projectTitleFlow.version,
  [understandFlow.name]: understandFlow.version,
};

export interface RouterDeps {
  ctx: CoreContext;
  log: Logger;
  botNames: string[];
  /** Per-person limit on addressed messages; absent means unlimited. */
  limiter?: RateLimiterAbstract;
  /** Tells cheaply whether a person may have a waiting flow in a chat (see SessionHints). */
  hints?: SessionHints;
  /** Reads plain words (no command word); the offline model when absent (loaded on first use). */
  understander?: Understander;
}

export type RouteOutcome =
  | { handled: false; reason: 'invalid' | 'not-addressed' | 'duplicate' }
  | { handled: true; events: Effect[] };

type Decision =
  /** Urgent words (有人摔倒, 着火 …), addressed or not: the emergency number and an urgent ticket. */
  | { kind: 'urgent'; emergency: Emergency }
  | { kind: 'command'; command: Command }
  | { kind: 'free'; explicit: boolean }
  /** Unaddressed group chatter that only a flow waiting on this very person could want. */
  | { kind: 'maybe-session' }
  | { kind: 'ignore' };

/**
 * The flow router: one inbound event in, the effects to carry out back. It decides whether the
 * bot is addressed, claims the message (a redelivery is recognised by its platform id), finds
 * the person, the group and the language, resumes a waiting flow or runs a command, and turns
 * refusals into one line in the person's language. It never sends anything itself: the caller
 * hands a handled message's effects to the executor and then completes its claim (`claims.complete`); a claim
 * never completed (the process died) is taken over by the message's next delivery.
 */
export class Router {
  readonly people: PersonDirectory;
  readonly groups: GroupDirectory;
  /** Who has been seen in which community's groups (who may vote in its rounds). */
  readonly members: CommunityMembers;
  readonly sessions: SessionStore;
  /** Claims and completes messages (InboundMessage), batched across the messages in hand. */
  readonly claims: InboundClaims;

  constructor(private readonly deps: RouterDeps) {
    this.claims = new InboundClaims(deps.ctx);
    this.people = new PersonDirectory(deps.ctx);
    this.groups = new GroupDirectory(deps.ctx);
    this.members = new CommunityMembers(deps.ctx);
    this.sessions = new SessionStore(deps.ctx, flowVersions, deps.hints);
  }

  async route(raw: InboundEvent): Promise<RouteOutcome> {
    const parsed = inboundEventSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn({ issues: parsed.error.issues.length }, 'inbound event rejected by validation');
      return { handled: false, reason: 'invalid' };
    }
    const e = parsed.data;
    const rawText = e.buttonPayload ?? e.text;
    let tooLong = rawText.length > maxInboundChars;
    const norm = normalizeText(tooLong ? rawText.slice(0, 200) : rawText, { botNames: this.deps.botNames });
    // Normalisation can lengthen a text (one ㌖ is six letters): the limit holds after it too.
    if (norm.text.length > maxInboundChars) tooLong = true;
    // This bot's own name was stripped from `/cmd@name`: one still there is addressed to another bot.
    if (otherBotCommand.test(norm.text)) return { handled: false, reason: 'not-addressed' };
    const explicit = e.mentionsBot || e.replyToBot || norm.mentionedBot || e.buttonPayload !== undefined;
    const isGroup = e.chat.kind === 'group';
    let decision = decide(norm.text, explicit, isGroup, tooLong);
    if (decision.kind === 'maybe-session') {
      const waiting = await this.sessions.mayHave({ platform: e.platform, chatId: e.chat.chatId, userId: e.sender.userId });
      decision = waiting ? { kind: 'free', explicit: false } : { kind: 'ignore' };
    }
    if (decision.kind === 'ignore') return { handled: false, reason: 'not-addressed' };

    const key = { platform: e.platform, messageId: e.messageId, chatId: e.chat.chatId, userId: e.sender.userId };
    const claim = await this.claims.claim(key);
    if (!claim.claimed) return { handled: false, reason: 'duplicate' };
    if (claim.takenOver) this.deps.log.warn({ platform: e.platform, chat: e.chat.chatId }, 'inbound message taken over: its first processing never completed');

    try {
      const throttle = await this.throttle(e);
      // Told once in this window already: stay silent, and spend nothing more on the message.
      if (throttle === 'silent' && decision.kind !== 'urgent') return { handled: true, events: [] };
      const person = await this.people.resolve(e.platform, e.sender.userId, e.sender.displayName);
      const locale = chooseLocale(person, norm.script, norm.text);
      const group = isGroup ? await this.groups.find(e.platform, e.chat.chatId) : null;
      const community = await this.communityFor(person, group, isGroup);
      const turn = new Turn(this.deps.ctx, this.sessions, e, norm.text, locale, person.personId, group, community, this.deps.botNames[0] ?? '邻里助手');

      // An emergency is answered whatever the limits: the numbers to call come first.
      if (throttle === 'tell' && decision.kind !== 'urgent') {
        turn.reply(errorText(locale, 'RATE_LIMITED'));
        return { handled: true, events: turn.events };
      }
      if (tooLong && decision.kind !== 'urgent') {
        turn.reply(errorText(locale, 'TEXT_TOO_LONG', { max: maxInboundChars }));
        return { handled: true, events: turn.events };
      }
      await this.remember(person, group, e);
      try {
        await this.run(turn, decision);
      } catch (err) {
        if (isAppError(err)) turn.reply(errorText(locale, err.code, err.details));
        else if (err instanceof ZodError) turn.reply(errorText(locale, 'INVALID_INPUT'));
        else if (err instanceof PrivateWithoutCommunity) turn.reply(turn.say('privateNeedsNoCommunity'));
        else throw err;
      }
      return { handled: true, events: turn.events };
    } catch (err) {
      // Nothing the person can act on: let a redelivery try again, and say sorry once.
      await releaseInbound(this.deps.ctx, key).catch(() => undefined);
      this.deps.log.error({ err, platform: e.platform, chat: e.chat.chatId }, 'inbound message failed');
      throw err;
    }
  }

  private async run(turn: Turn, decision: Extract<Decision, { kind: 'urgent' | 'command' | 'free' }>): Promise<void> {
    if (decision.kind === 'urgent') return urgentTurn(turn, decision.emergency);
    if (decision.kind === 'free') {
      const session = await this.sessions.get(turn.sessionKey);
      if (session) return this.resume(turn, session, decision.explicit);
      if (turn.inGroup && !decision.explicit) return; // only a waiting flow could have wanted this
      return understandTurn(turn, this.understander, this.commandDeps);
    }
    return runCommand(turn, decision.command, this.commandDeps);
  }

  private get commandDeps() {
    return { groups: this.groups, people: this.people };
  }

  private get understander(): Understander {
    return this.deps.understander ?? offlineUnderstander();
  }

  private async resume(turn: Turn, session: Session, explicit: boolean): Promise<void> {
    if (session.flow === describeNeedFlow.name) return resumeDescribeNeed(turn);
    if (session.flow === reminderFlow.name) return resumeReminderAnswer(turn, session, this.understander, this.commandDeps);
    if (session.flow === proposeFlow.name) return resumePropose(turn, session);
    if (session.flow === projectTitleFlow.name) return resumeProjectTitle(turn, session);
    if (session.flow === ticketRatingFlow.name) {
      if (await resumeTicketRating(turn, session)) return;
      // Not a rating: the words are read as any other plain words (only when addressed in a group).
      if (turn.inGroup && !explicit) return;
      return understandTurn(turn, this.understander, this.commandDeps);
    }
    if (session.flow === understandFlow.name) return resumeUnderstand(turn, session, this.understander, this.commandDeps, explicit);
    await this.sessions.clear(turn.sessionKey);
  }

  /** In a group, the group's community (none when unbound); in private, the person's home. */
  private async communityFor(person: ResolvedPerson, group: GroupInfo | null, isGroup: boolean): Promise<TurnCommunity | null> {
    if (isGroup) return group?.community ?? null;
    if (person.homeCommunityId === null) return null;
    return communitySummary(this.deps.ctx, person.homeCommunityId);
  }

  /**
   * A person acting in a bound group is a member of that community (first sight recorded once,
   * cached) and makes it their home for private chat.
   */
  private async remember(person: ResolvedPerson, group: GroupInfo | null, e: ParsedInboundEvent): Promise<void> {
    const communityId = group?.community?.id;
    if (communityId === undefined) return;
    await this.members.seen(person.personId, communityId);
    if (person.homeCommunityId === communityId) return;
    await setHomeCommunity(this.deps.ctx, person.personId, communityId);
    this.people.forget(e.platform, e.sender.userId);
  }

  /**
   * The person's limit on addressed messages: `ok` within it; over it, `tell` for the first
   * message of the window (one "说得太快了") and `silent` for the rest, so a flood gets one
   * notice rather than one per message. The store counts atomically: of messages arriving at
   * once, exactly one is the first over the limit.
   */
  private async throttle(e: ParsedInboundEvent): Promise<'ok' | 'tell' | 'silent'> {
    const limiter = this.deps.limiter;
    if (!limiter) return 'ok';
    try {
      await limiter.consume(`${e.platform}:${e.sender.userId}`);
      return 'ok';
    } catch (rej) {
      if (rej instanceof Error) throw rej; // the store failed, not the person
      return (rej as RateLimiterRes).consumedPoints === limiter.points + 1 ? 'tell' : 'silent';
    }
  }
}

/**
 * Whether and how to answer, from the text alone. Ordinary group chatter is ignored for free;
 * urgent words are answered even unaddressed (one regex when the text holds none of them).
 */
function decide(text: string, explicit: boolean, isGroup: boolean, tooLong: boolean): Decision {
  const command = parseCommand(text);
  const emergency = mayBeUrgent(command) ? readUrgent(text) : null;
  if (emergency) return { kind: 'urgent', emergency };
  if (tooLong) return command || explicit || !isGroup ? { kind: 'free', explicit: true } : { kind: 'ignore' };
  if (command && command.kind !== 'usage') return { kind: 'command', command };
  // A bare "+1" in a group is agreement with a neighbour, not a half-typed command.
  const chatterUsage = command?.kind === 'usage' && command.command === 'upvote' && isGroup && !explicit;
  if (command && !chatterUsage && (command.exact || explicit || !isGroup || text.startsWith('/'))) return { kind: 'command', command };
  if (!isGroup || explicit) return text ? { kind: 'free', explicit } : { kind: 'command', command: { kind: 'help' } };
  // A short answer in a group may belong to a flow waiting on this person (a shift letter, 1 / 2).
  if (text.length <= 60 && !command) return { kind: 'maybe-session' };
  return { kind: 'ignore' };
}

const otherBotCommand = /^\/[A-Za-z]{1,32}@[A-Za-z0-9_]/;

/** Urgent words count in chatter and in a resident's own words (需求 …, 转人工 …), not inside a worker's command (回复 T3 …). */
function mayBeUrgent(command: Command | null): boolean {
  return command === null || command.kind === 'usage' || command.kind === 'need' || command.kind === 'human';
}

/** The person's chosen language, else the script they wrote in, else Simplified Chinese. */
function chooseLocale(person: ResolvedPerson, script: 'hans' | 'hant' | 'latin' | 'none', text: string): Locale {
  if (isLocale(person.locale)) return person.locale;
  return localeOfScript(script, text);
}
