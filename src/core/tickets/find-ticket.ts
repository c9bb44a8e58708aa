import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../db/prisma.ts';

/** A ticket by the number workers type (T3), within one community; TICKET_NOT_FOUND otherwise. */
export async function findTicket(db: Db, communityId: number, number: number) {
  const ticket = await db.ticket.findUnique({
    where: { communityId_number: { communityId, number } },
    include: { person: { select: { displayName: true } }, group: { select: { title: true } } },
  });
  if (!ticket) throw new AppError('TICKET_NOT_FOUND', { number });
  return ticket;
}

/** How a ticket's number is written: T3. */
export function ticketLabel(number: number): string {
  return `T${number}`;
}
