// Chat ids as people copy them from a platform, turned into the ids the adapters use. Pure and
// free of the platforms' SDKs, so the CLI and the web can load it. Core never does: its callers
// map a typed id here and hand core the adapter's id (Group.externalId, InboundEvent chat ids).
import type { Platform } from './types.ts';
import { telegramGroupChatId } from './telegram/chat-ids.ts';
import { wechatGroupChatId } from './wechat/chat-ids.ts';
import { wecomGroupChatId } from './wecom/chat-ids.ts';

/** A typed chat id read: the adapter's id for that chat, or (in English, for operators) why it is none. */
export type TypedChatId = { chatId: string; problem?: undefined } | { chatId?: undefined; problem: string };

/** The web chat's groups are its conversation ids, as the page and the demo name them. */
function webGroupChatId(typed: string): TypedChatId {
  const s = typed.trim();
  return s ? { chatId: s } : { problem: 'a web chat group id is needed' };
}

/** One reader per platform: the id a person copies from the platform → the id its adapter sees. */
export const groupChatIdReaders: Record<Platform, (typed: string) => TypedChatId> = {
  web: webGroupChatId,
  telegram: telegramGroupChatId,
  wechat: wechatGroupChatId,
  wecom: wecomGroupChatId,
};

/** The adapter's id for the group a person names by its platform id (see {@link groupChatIdReaders}). */
export function groupChatIdOf(platform: Platform, typed: string): TypedChatId {
  return groupChatIdReaders[platform](typed);
}

/**
 * Every id a group a person names could have in Linli: the text itself (a title, or an adapter's id)
 * and each platform's reading of it as a platform id. For naming groups where the platform is not
 * given (`project publish --groups`, the API's `groups`): core takes the first that matches.
 */
export function groupIdCandidates(typed: string): string[] {
  const s = typed.trim();
  const read = (Object.keys(groupChatIdReaders) as Platform[]).flatMap((p) => groupChatIdOf(p, s).chatId ?? []);
  return [...new Set([s, ...read])];
}
