import type { ConversationRef } from '../chat.ts';
import type { CoreContext } from '../context.ts';

export interface PrivateChat {
  personId: number;
  /** The person's most recent platform account, as a private chat. */
  to: ConversationRef;
  locale: string | null;
  optedOut: boolean;
}

/** Where each person is written to in private: their latest platform account. People with none are left out. */
export async function privateChats(ctx: CoreContext, personIds: readonly number[]): Promise<Map<number, PrivateChat>> {
  const out = new Map<number, PrivateChat>();
  if (personIds.length === 0) return out;
  const people = await ctx.prisma.person.findMany({
    where: { id: { in: [...new Set(personIds)] } },
    select: { id: true, locale: true, optedOutAt: true, identities: { orderBy: { id: 'desc' }, take: 1, select: { platform: true, externalId: true } } },
  });
  for (const p of people) {
    const identity = p.identities[0];
    if (!identity) continue;
    out.set(p.id, { personId: p.id, to: { platform: identity.platform, chatId: identity.externalId, kind: 'direct' }, locale: p.locale, optedOut: p.optedOutAt !== null });
  }
  return out;
}
