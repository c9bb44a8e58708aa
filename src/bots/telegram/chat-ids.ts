// Telegram's chat ids as Linli names them (the Bot API's chat.id in decimal). Pure, no telegraf.
import type { TypedChatId } from '../chat-ids.ts';

/** A Bot API chat id as the adapter names the chat. */
export function telegramChatId(id: number): string {
  return String(id);
}

/**
 * A Telegram group as a person gives it: the chat id bots and tools show (`-1001234567890` for a
 * supergroup, `-123456789` for a basic group), or a link to a message in a private supergroup
 * (`https://t.me/c/1234567890/42`), whose number is the supergroup's id without its `-100`.
 * A positive id is a person's private chat, never a group.
 */
export function telegramGroupChatId(typed: string): TypedChatId {
  const s = typed.trim().replace(/\s+/g, '');
  const link = /^(?:https?:\/\/)?(?:t|telegram)\.me\/c\/(\d{1,15})(?:\/\d+)*\/?$/i.exec(s);
  const id = link ? Number(`-100${link[1]}`) : Number(s);
  if (link && Number.isSafeInteger(id)) return { chatId: telegramChatId(id) };
  if (/^-\d{1,16}$/.test(s) && Number.isSafeInteger(id) && id < 0) return { chatId: telegramChatId(id) };
  if (/^\+?\d{1,16}$/.test(s)) return { problem: `"${typed}" is a person's id, not a group's: Telegram group ids are negative, like -1001234567890` };
  return { problem: `"${typed}" is not a Telegram group id: expected a number like -1001234567890 (or a t.me/c/… message link)` };
}
