// WeCom's chat ids as Linli names them. Pure, no SDK: the CLI and the web load this without the
// adapters. See WecomAdapter for what each prefix means.
import type { TypedChatId } from '../chat-ids.ts';

/** Prefix of the 智能机器人's group chats and message ids in Linli: `bot:<chatid>`, `bot:<msgid>`. */
export const botPrefix = 'bot:';
/** Prefix of app chats and message ids in Linli: `app:<userid>` (optional), `app:<MsgId>`. */
export const appPrefix = 'app:';
/** Prefix of robot-webhook groups: `hook:<name>` (names from WECOM_ROBOT_WEBHOOKS). */
export const hookPrefix = 'hook:';

/** The group the 智能机器人 calls `chatid` (`wrkSFfCgAA…`), as the adapter names it. */
export function wecomBotGroupChatId(chatid: string): string {
  return `${botPrefix}${chatid}`;
}

/**
 * A WeCom group as a person gives it: the chatid WeCom shows (`wr…`: the 智能机器人's callbacks,
 * the admin console), which is the 智能机器人's group; or an id already in Linli's form
 * (`bot:<chatid>`, or `hook:<name>` for a robot-webhook group, the only name such a group has).
 */
export function wecomGroupChatId(typed: string): TypedChatId {
  const s = typed.trim();
  if (s.startsWith(hookPrefix) || s.startsWith(botPrefix)) {
    const rest = s.slice(s.indexOf(':') + 1);
    return rest && !/[\s:]/.test(rest) ? { chatId: s } : { problem: `"${typed}" is not a WeCom group id: expected a chatid like wrkSFfCgAA… (or hook:<webhook name>)` };
  }
  if (s.startsWith(appPrefix)) return { problem: `"${typed}" is a member's private chat with the app, not a group` };
  // WeCom ids hold letters, digits and _-.@; anything else was not copied from WeCom.
  if (!/^[A-Za-z0-9_.@-]{1,180}$/.test(s)) return { problem: `"${typed}" is not a WeCom group id: expected a chatid like wrkSFfCgAA…` };
  return { chatId: wecomBotGroupChatId(s) };
}
