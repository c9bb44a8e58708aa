import { openTicket } from '../core/tickets/open-ticket.ts';
import { answerTicket } from '../core/tickets/answer-ticket.ts';
import { closeTicket } from '../core/tickets/close-ticket.ts';
import { rateTicket } from '../core/tickets/rate-ticket.ts';
import { ticketLabel } from '../core/tickets/find-ticket.ts';
import type { Session } from '../core/sessions/session-store.ts';
import { starText } from '../lib/format.ts';
import { readRating } from './parse/arguments.ts';
import { emergencyNumbers, type Emergency } from './parse/urgent.ts';
import type { Turn } from './turn.ts';

/** The flow that waits, in the resident's private chat, for a bare 1-5 after a ticket is closed. */
export const ticketRatingFlow = { name: 'ticket.rate', version: 1, ttlMs: 3 * 86_400_000 } as const;

/**
 * Urgent words (chat contract, "Plain language"), addressed to the bot or not: the emergency
 * number for the words at once, where they were said, and an urgent ticket to the community's
 * workers (none in an unbound group or from someone the bot cannot place). The person's words are
 * never repeated in the group.
 */
export async function urgentTurn(turn: Turn, emergency: Emergency): Promise<void> {
  const lines = [turn.say(`urgent_${emergency}`)];
  const community = turn.community;
  if (community) {
    const r = await openTicket(turn.ctx, { ...ticketOrigin(turn, community.id), text: turn.text, urgent: true, call: emergencyNumbers[emergency] });
    lines.push(turn.say('urgentNotified', { ticket: ticketLabel(r.ticket.number) }));
    turn.apply(r.effects);
  }
  turn.reply(lines.join('\n'));
}

/** Who asked, and where: the ticket's origin, to which the workers' answers go back. */
function ticketOrigin(turn: Turn, communityId: number) {
  return {
    communityId,
    personId: turn.personId,
    platform: turn.event.platform,
    chatId: turn.event.chat.chatId,
    userId: turn.event.sender.userId,
    inGroup: turn.inGroup,
    groupId: turn.group?.groupId ?? null,
  };
}

/** `转人工 内容` / `联系社工 内容` / `/human …`: opens a ticket; in a group the answer comes in private. */
export async function humanTurn(turn: Turn, text: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await openTicket(turn.ctx, { ...ticketOrigin(turn, community.id), text });
  const ticket = ticketLabel(r.ticket.number);
  turn.reply(turn.say(turn.inGroup ? 'ticketOpenedInGroup' : 'ticketOpenedInPrivate', { ticket }));
  turn.apply(r.effects);
}

/**
 * `回复 T3 内容`, in private: a worker's answer goes to the resident from the bot; the resident's own
 * follow-up goes to the workers. In a group it is refused (personal matters stay private).
 */
export async function answerTicketTurn(turn: Turn, number: number, text: string): Promise<void> {
  if (turn.inGroup) {
    turn.reply(turn.say('ticketAnswerInPrivate'));
    return;
  }
  const community = turn.requireCommunity();
  const r = await answerTicket(turn.ctx, { communityId: community.id, number, actorId: turn.personId, text, via: 'chat' });
  turn.reply(r.fromWorker ? turn.say('ticketAnswered', { ticket: r.ticket.label, person: r.ticket.person }) : turn.say('ticketFollowUpSent', { ticket: r.ticket.label }));
  turn.apply(r.effects);
}

/**
 * `结束 T3` by a worker: closes the ticket and asks the resident to rate it; a bare 1-5 in the
 * resident's private chat answers, unless another flow already waits for their answer there
 * (a reminder's 1 / 2): then `评价工单 T3 5` still works.
 */
export async function closeTicketTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await closeTicket(turn.ctx, { communityId: community.id, number, actorId: turn.personId, via: 'chat' });
  const key = { platform: r.resident.platform, chatId: r.resident.userId, userId: r.resident.userId };
  if (!(await turn.sessions.get(key))) {
    await turn.sessions.set(key, {
      flow: ticketRatingFlow.name,
      version: ticketRatingFlow.version,
      step: 'rating',
      answers: { communityId: community.id, number: r.ticket.number },
      expiresAt: new Date(turn.ctx.clock.now().getTime() + ticketRatingFlow.ttlMs),
    });
  }
  turn.reply(turn.say('ticketClosed', { ticket: r.ticket.label, person: r.ticket.person }));
  turn.apply(r.effects);
}

/** `评价工单 T3 5`. */
export async function rateTicketTurn(turn: Turn, number: number, rating: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await rateTicket(turn.ctx, { communityId: community.id, number, personId: turn.personId, rating });
  turn.reply(turn.say('ticketRated', { ticket: r.ticket.label, stars: starText(r.rating), updated: r.updated ? 1 : '' }));
}

/**
 * The answer after `结束 T3`: 1-5 rates the ticket. Anything else is asked about once more; a
 * second time the flow stops waiting and the text is read as any other (returns false).
 */
export async function resumeTicketRating(turn: Turn, session: Session): Promise<boolean> {
  const communityId = Number(session.answers.communityId);
  const number = Number(session.answers.number);
  const rating = readRating(turn.text);
  if (rating === null) {
    if (session.step === 'asked-again') {
      await turn.sessions.clear(turn.sessionKey);
      return false;
    }
    await turn.sessions.set(turn.sessionKey, { ...session, step: 'asked-again' });
    turn.reply(turn.say('ticketRateAgain', { ticket: ticketLabel(number) }));
    return true;
  }
  await turn.sessions.clear(turn.sessionKey);
  const r = await rateTicket(turn.ctx, { communityId, number, personId: turn.personId, rating });
  turn.reply(turn.say('ticketRated', { ticket: r.ticket.label, stars: starText(r.rating), updated: r.updated ? 1 : '' }));
  return true;
}
