import type { CoreContext } from '../context.ts';
import { notify, type Effect } from '../effects.ts';
import { streetWorkerIds } from './workers-of.ts';
import { ticketLabel } from './find-ticket.ts';

/**
 * The escalation of an urgent ticket, when its time comes (jobs/tickets.ts): if no worker has
 * answered it and it is not closed, it goes to the street's workers (the district's when the
 * street has none), and `escalatedAt` records when. Otherwise nothing. Safe to run again: a ticket
 * already escalated gives the same notices (same keys, queued once), so a job retried after its
 * notices failed to queue still delivers them.
 */
export async function escalateTicket(ctx: CoreContext, ticketId: number): Promise<{ escalated: boolean; effects: Effect[] }> {
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(async (tx) => {
    await tx.ticket.updateMany({ where: { id: ticketId, urgent: true, firstResponseAt: null, status: { not: 'closed' }, escalatedAt: null }, data: { escalatedAt: now } });
    const ticket = await tx.ticket.findUnique({
      where: { id: ticketId },
      include: { person: { select: { displayName: true } }, group: { select: { title: true } }, community: { select: { name: true } } },
    });
    if (!ticket?.escalatedAt) return { escalated: false, effects: [] };
    const to = await streetWorkerIds(tx, ticket.communityId);
    const minutes = Math.round((ticket.escalatedAt.getTime() - ticket.createdAt.getTime()) / 60_000);
    const params = { ticket: ticketLabel(ticket.number), community: ticket.community.name, person: ticket.person.displayName || '居民', group: ticket.group?.title ?? '', text: ticket.text, minutes };
    return { escalated: true, effects: notify(to.map((personId) => ({ personId, key: `ticketesc:${ticket.id}:to:${personId}`, message: 'ticketEscalated' as const, params }))) };
  });
}
