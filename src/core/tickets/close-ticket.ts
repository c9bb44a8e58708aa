import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { notify } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { findTicket, ticketLabel } from './find-ticket.ts';

/**
 * `结束 T3` by a worker of the community: the ticket is closed (its resolution time recorded) and
 * the resident is asked, in private where they asked from, to rate it 1-5. Returns where the
 * resident was asked (so the chat can wait for a bare 1-5 there) and the effects. Closing twice
 * is TICKET_CLOSED. Audited.
 */
export async function closeTicket(ctx: CoreContext, input: { communityId: number; number: number; actorId: number; via?: 'chat' | 'cli' | 'api' | 'console' }) {
  await requireWorker(ctx, input.actorId, input.communityId);
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(async (tx) => {
    const ticket = await findTicket(tx, input.communityId, input.number);
    const label = ticketLabel(ticket.number);
    const closed = await tx.ticket.updateMany({ where: { id: ticket.id, status: { not: 'closed' } }, data: { status: 'closed', closedAt: now } });
    if (closed.count === 0) throw new AppError('TICKET_CLOSED', { ticket: label });
    await writeAudit(tx, { communityId: input.communityId, actorId: input.actorId, via: input.via ?? 'chat', action: 'ticket.close', entity: 'Ticket', entityId: ticket.id, before: { status: ticket.status }, after: { status: 'closed' } });
    const effects = notify([
      { personId: ticket.personId, key: `ticketclosed:${ticket.id}`, message: 'ticketClosedRate', params: { ticket: label }, to: { platform: ticket.platform, chatId: ticket.userId, kind: 'direct' } },
    ]);
    return {
      ticket: { id: ticket.id, number: ticket.number, label, person: ticket.person.displayName },
      /** The resident's private chat, where a bare 1-5 rates the ticket. */
      resident: { platform: ticket.platform, userId: ticket.userId },
      effects,
    };
  });
}
