import type { ConversationRef } from '../bots/types.ts';
import type { CoreContext } from '../core/context.ts';
import type { OutboundItem } from '../../jobs/outbound.ts';
import { isLocale, t, type Locale, type MessageKey } from './messages.ts';

export interface Notice {
  personId: number;
  /** Deterministic: the same notice to the same person is queued once. */
  key: string;
  message: MessageKey;
  params?: Record<string, string | number>;
  /** Informational notices respect 退订; answers to what the person did (a claim decided) do not. */
  informational?: boolean;
}

/**
 * Turns notices to people into private messages: each person is written to on their most recent
 * platform account, in their language. People who opted out (退订) get no informational notice.
 */
export async function privateMessages(ctx: CoreContext, notices: Notice[], fallback: Locale = 'zh-Hans'): Promise<OutboundItem[]> {
  if (notices.length === 0) return [];
  const ids = [...new Set(notices.map((n) => n.personId))];
  const people = await ctx.prisma.person.findMany({
    where: { id: { in: ids } },
    select: { id: true, locale: true, optedOutAt: true, identities: { orderBy: { id: 'desc' }, take: 1, select: { platform: true, externalId: true } } },
  });
  const byId = new Map(people.map((p) => [p.id, p]));
  return notices.flatMap((n) => {
    const p = byId.get(n.personId);
    const identity = p?.identities[0];
    if (!p || !identity || (n.informational && p.optedOutAt)) return [];
    const to: ConversationRef = { platform: identity.platform, chatId: identity.externalId, kind: 'direct' };
    const locale = isLocale(p.locale) ? p.locale : fallback;
    return [{ key: n.key, to, message: { text: t(locale, n.message, n.params) } }];
  });
}
