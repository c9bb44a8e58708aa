import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import type { CoreContext } from '../context.ts';
import { notify, type Effect } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { isWorker } from '../roles/is-worker.ts';
import { communityWorkerIds } from './workers-of.ts';
import { findTicket, ticketLabel } from './find-ticket.ts';
import { ticketMaxLength } from './open-ticket.ts';

export const answerTicketInput = z.object({
  communityId: z.number().int(),
  number: z.number().int().positive(),
  actorId: z.number().int(),
  text: z.string().trim().min(1).max(2000),
  via: z.enum(['chat', 'cli', 'api', 'console']).default('chat'),
});
export type AnswerTicketInput = z.input<typeof answerTicketInput>;

/**
 * `回复 T3 内容`. From a worker of the community: the answer goes to the resident from the bot, in
 * private on the platform they asked from (also when they asked in a group: personal matters are
 * private); the first answer records the response time and marks the ticket answered. From the
 * resident who opened it: their follow-up goes to the workers who answered it (all the
 * community's workers when none has yet). Anyone else: NOT_A_WORKER. A closed ticket takes no
 * more messages (TICKET_CLOSED). Stored masked; audited for workers.
 */
export async function answerTicket(ctx: CoreContext, input: AnswerTicketInput) {
  const i = answerTicketInput.parse(input);
  const worker = await isWorker(ctx, i.actorId, i.communityId);
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(async (tx) => {
    const ticket = await findTicket(tx, i.communityId, i.number);
    if (!worker && ticket.personId !== i.actorId) throw new AppError('NOT_A_WORKER');
    if (ticket.status === 'closed') throw new AppError('TICKET_CLOSED', { ticket: ticketLabel(ticket.number) });
    const stored = maskPersonalData(Array.from(i.text).slice(0, ticketMaxLength * 4).join(''));
    const message = await tx.ticketMessage.create({ data: { ticketId: ticket.id, authorId: i.actorId, fromWorker: worker, text: stored, createdAt: now } });
    const label = ticketLabel(ticket.number);
    const author = await tx.person.findUnique({ where: { id: i.actorId }, select: { displayName: true } });
    let effects: Effect[];
    if (worker) {
      // A conditional update: two workers answering at once record the first answer's time once.
      await tx.ticket.updateMany({ where: { id: ticket.id, firstResponseAt: null }, data: { firstResponseAt: now } });
      await tx.ticket.update({ where: { id: ticket.id }, data: { status: 'answered' } });
      await writeAudit(tx, { communityId: i.communityId, actorId: i.actorId, via: i.via, action: 'ticket.answer', entity: 'Ticket', entityId: ticket.id, after: { message: message.id } });
      // The resident reads the answer as the worker wrote it: it goes only to them, in private.
      effects = notify([
        {
          personId: ticket.personId,
          key: `ticketanswer:${message.id}`,
          message: 'ticketAnswer',
          params: { ticket: label, worker: author?.displayName || '社区工作人员', text: i.text },
          to: { platform: ticket.platform, chatId: ticket.userId, kind: 'direct' },
        },
      ]);
    } else {
      const answered = await tx.ticketMessage.findMany({ where: { ticketId: ticket.id, fromWorker: true }, select: { authorId: true }, distinct: ['authorId'] });
      const to = answered.length ? answered.map((a) => a.authorId) : await communityWorkerIds(tx, i.communityId);
      effects = notify(
        to.map((personId) => ({ personId, key: `ticketfollowup:${message.id}:${personId}`, message: 'ticketFollowUp' as const, params: { ticket: label, person: ticket.person.displayName || '居民', text: stored } })),
      );
    }
    return { ticket: { id: ticket.id, number: ticket.number, label, person: ticket.person.displayName }, fromWorker: worker, effects };
  });
}
