import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';

/**
 * `退订` / `订阅`: stops or resumes reminders and informational notices in private for this person
 * (Person.optedOutAt). Recorded in the AuditLog each time, with the state before and after; doing
 * it twice is harmless. The reminder job skips an opted-out person and says so on the Reminder row.
 */
export async function setOptOut(ctx: CoreContext, input: { personId: number; optOut: boolean; communityId?: number | null; via: 'chat' | 'cli' | 'api' | 'console' }) {
  return ctx.prisma.$transaction(async (tx) => {
    const before = await tx.person.findUniqueOrThrow({ where: { id: input.personId }, select: { optedOutAt: true } });
    const optedOutAt = input.optOut ? (before.optedOutAt ?? ctx.clock.now()) : null;
    await tx.person.update({ where: { id: input.personId }, data: { optedOutAt } });
    await writeAudit(tx, {
      communityId: input.communityId ?? null,
      actorId: input.personId,
      via: input.via,
      action: input.optOut ? 'person.unsubscribe' : 'person.subscribe',
      entity: 'Person',
      entityId: input.personId,
      before: { optedOutAt: before.optedOutAt?.toISOString() ?? null },
      after: { optedOutAt: optedOutAt?.toISOString() ?? null },
    });
    return { optedOutAt };
  });
}
