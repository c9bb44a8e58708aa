import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { findTicket, ticketLabel } from './find-ticket.ts';

export const rateTicketInput = z.object({
  communityId: z.number().int(),
  number: z.number().int().positive(),
  personId: z.number().int(),
  rating: z.number().int().min(1).max(5),
});

/**
 * `评价工单 T3 1-5` (or a bare 1-5 after closing): the resident who opened the ticket rates it once
 * it is closed; rating again replaces the rating. Anyone else's ticket reads as not found; an
 * open one is TICKET_NOT_CLOSED.
 */
export async function rateTicket(ctx: CoreContext, input: z.input<typeof rateTicketInput>) {
  const i = rateTicketInput.parse(input);
  const ticket = await findTicket(ctx.prisma, i.communityId, i.number);
  if (ticket.personId !== i.personId) throw new AppError('TICKET_NOT_FOUND', { number: i.number });
  if (ticket.status !== 'closed') throw new AppError('TICKET_NOT_CLOSED', { ticket: ticketLabel(ticket.number) });
  await ctx.prisma.ticket.update({ where: { id: ticket.id }, data: { rating: i.rating, ratedAt: ctx.clock.now() } });
  return { ticket: { number: ticket.number, label: ticketLabel(ticket.number) }, rating: i.rating, updated: ticket.rating !== null };
}
