import type { CoreContext } from '../core/context.ts';
import type { Notice, SendEffect } from '../core/effects.ts';
import { privateChats } from '../core/people/private-chats.ts';
import { isLocale, labelOf, t, type Locale } from '../flows/messages.ts';

export type { Notice } from '../core/effects.ts';

/**
 * Turns notices to people into private messages: each person is written to on their most recent
 * platform account, in their language. People who opted out (退订) get no informational notice.
 * A `category` parameter also gives `label`, the category's name in the person's language.
 */
export async function privateMessages(ctx: CoreContext, notices: readonly Notice[], fallback: Locale = 'zh-Hans'): Promise<SendEffect[]> {
  if (notices.length === 0) return [];
  const chats = await privateChats(ctx, notices.map((n) => n.personId));
  return notices.flatMap((n): SendEffect[] => {
    const chat = chats.get(n.personId);
    if (!chat || (n.informational && chat.optedOut)) return [];
    const locale = isLocale(chat.locale) ? chat.locale : fallback;
    const to = n.to ?? chat.to;
    const params = n.params && typeof n.params.category === 'string' ? { ...n.params, label: labelOf(n.params.category, locale) } : n.params;
    return [{ kind: 'send', key: n.key, to, message: { text: t(locale, n.message, params) } }];
  });
}
