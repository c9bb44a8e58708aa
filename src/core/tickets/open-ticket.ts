import { z } from 'zod';
import { platforms } from '../chat.ts';
import { AppError } from '../../lib/errors.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import type { CoreContext } from '../context.ts';
import { notify, type Effect } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { communityWorkerIds, streetWorkerIds } from './workers-of.ts';
import { ticketLabel } from './find-ticket.ts';

/** A ticket's text is cut here, like a need's. */
export const ticketMaxLength = 500;
/** An urgent ticket nobody answered for this long goes up to the street's workers. */
export const urgentEscalationMs = 10 * 60_000;
/** Urgent messages from one chat within this long are one emergency: one ticket, one alert. */
const urgentSameChatMs = 10 * 60_000;

export const openTicketInput = z.object({
  communityId: z.number().int(),
  personId: z.number().int(),
  platform: z.enum(platforms),
  /** The chat it came from: a group's id, or the person's own id in private. */
  chatId: z.string().min(1).max(200),
  /** The person's account on that platform: where answers go, in private. */
  userId: z.string().min(1).max(200),
  inGroup: z.boolean(),
  groupId: z.number().int().nullable().default(null),
  text: z.string().trim().min(1),
  urgent: z.boolean().default(false),
  /** What the urgent words were about, for the workers' alert (e.g. "120"). */
  call: z.string().max(40).default(''),
});
export type OpenTicketInput = z.input<typeof openTicketInput>;

/**
 * `转人工 内容` / `联系社工 内容` / `/human …`, or an urgent message: opens ticket T-N (numbered per
 * community) with the text masked, and tells the community's workers in private who wrote, from
 * which group and what (the street's workers when the community has none). An urgent message
 * from a chat that already has an open urgent ticket of the last 10 minutes joins that ticket
 * instead (one fire, one alert). An urgent ticket also asks for its escalation 10 minutes on
 * (effect `ticketEscalation`). Returns the ticket, whether it was joined, and the effects.
 */
export async function openTicket(ctx: CoreContext, input: OpenTicketInput) {
  const i = openTicketInput.parse(input);
  const text = maskPersonalData(Array.from(i.text).slice(0, ticketMaxLength).join(''));
  if (text === '') throw new AppError('TEXT_EMPTY');
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(async (tx) => {
    if (i.urgent) {
      const recent = await tx.ticket.findFirst({
        where: { communityId: i.communityId, platform: i.platform, chatId: i.chatId, urgent: true, status: { not: 'closed' }, createdAt: { gte: new Date(now.getTime() - urgentSameChatMs) } },
        orderBy: { id: 'desc' },
      });
      if (recent) {
        await tx.ticketMessage.create({ data: { ticketId: recent.id, authorId: i.personId, fromWorker: false, text, createdAt: now } });
        return { ticket: recent, joined: true, effects: [] as Effect[] };
      }
    }
    const { ticketSeq } = await tx.community.update({ where: { id: i.communityId }, data: { ticketSeq: { increment: 1 } }, select: { ticketSeq: true } });
    const ticket = await tx.ticket.create({
      data: {
        communityId: i.communityId,
        number: ticketSeq,
        personId: i.personId,
        platform: i.platform,
        chatId: i.chatId,
        userId: i.userId,
        inGroup: i.inGroup,
        groupId: i.groupId,
        text,
        urgent: i.urgent,
        createdAt: now,
        messages: { create: { authorId: i.personId, fromWorker: false, text, createdAt: now } },
      },
    });
    await writeAudit(tx, { communityId: i.communityId, actorId: i.personId, via: 'chat', action: 'ticket.open', entity: 'Ticket', entityId: ticket.id, after: { number: ticket.number, urgent: i.urgent, inGroup: i.inGroup } });
    const [person, group, workers] = await Promise.all([
      tx.person.findUnique({ where: { id: i.personId }, select: { displayName: true } }),
      i.groupId === null ? null : tx.group.findUnique({ where: { id: i.groupId }, select: { title: true } }),
      communityWorkerIds(tx, i.communityId),
    ]);
    const to = workers.length ? workers : await streetWorkerIds(tx, i.communityId);
    const params = { ticket: ticketLabel(ticket.number), person: person?.displayName || '居民', group: group?.title ?? '', text, call: i.call };
    const effects: Effect[] = notify(
      to.map((personId) => ({ personId, key: `ticket:${ticket.id}:to:${personId}`, message: i.urgent ? ('urgentToWorkers' as const) : ('ticketToWorkers' as const), params })),
    );
    if (i.urgent) effects.push({ kind: 'ticketEscalation', ticketId: ticket.id, at: new Date(now.getTime() + urgentEscalationMs) });
    return { ticket, joined: false, effects };
  });
}
