import type { Tx } from '../../db/prisma.ts';
import { roundHours } from './round-hours.ts';

/**
 * Credits a volunteer's service on a shift to the ledger: one pending HoursEntry, the minutes
 * rounded by the community's rule. At most one such original entry per person and shift (a
 * transaction-scoped advisory lock on the pair makes two credits at once one); a stay that rounds
 * to 0 credits nothing. Returns the entry, or null when nothing was credited.
 */
export async function creditShiftHours(
  tx: Tx,
  input: {
    personId: number;
    projectId: number;
    shiftId: number;
    minutes: number;
    rule: { roundMinutes: number; minMinutes: number };
    reason: 'checkout' | 'attended' | 'manual';
    createdById: number | null;
    now: Date;
  },
) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${input.personId}::int, ${input.shiftId}::int)`;
  const existing = await tx.hoursEntry.findFirst({ where: { personId: input.personId, shiftId: input.shiftId, correctsId: null }, select: { id: true } });
  if (existing) return null;
  const hours = roundHours(input.minutes, input.rule);
  if (hours <= 0) return null;
  return tx.hoursEntry.create({
    data: {
      personId: input.personId,
      projectId: input.projectId,
      shiftId: input.shiftId,
      hours: hours.toFixed(2),
      reason: input.reason,
      createdById: input.createdById,
      createdAt: input.now,
    },
  });
}

/** The rounding rule of a community row. */
export function roundingOf(c: { hoursRoundMinutes: number; hoursMinMinutes: number }) {
  return { roundMinutes: c.hoursRoundMinutes, minMinutes: c.hoursMinMinutes };
}
