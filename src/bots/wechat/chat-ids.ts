// WeChat's chat ids as Linli names them: the puppet's own ids (Room.id), unchanged. Pure.
import type { TypedChatId } from '../chat-ids.ts';

/**
 * A WeChat group as a person gives it: the room id the puppet reports (`123456789@chatroom`),
 * which is what the adapter names the group. A `wxid_…` is a person, never a group.
 */
export function wechatGroupChatId(typed: string): TypedChatId {
  const s = typed.trim();
  if (!s || /\s/.test(s)) return { problem: `"${typed}" is not a WeChat room id: expected one like 123456789@chatroom` };
  if (/^wxid_/i.test(s)) return { problem: `"${typed}" is a person's WeChat id, not a group's: a room id looks like 123456789@chatroom` };
  return { chatId: s };
}
