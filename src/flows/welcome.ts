import type { ConversationRef } from '../core/chat.ts';
import type { GroupDirectory } from '../core/groups/group-directory.ts';
import type { SendEffect } from '../core/effects.ts';
import { helpText } from './commands/registry.ts';

export interface JoinEvent {
  eventId: string;
  chat: ConversationRef;
  members: Array<{ userId: string; displayName: string }>;
}

/**
 * Someone joined a bound group: one welcome with the help text, @-mentioning the first newcomer
 * and naming the others (a bulk invite gets one message, not one per person). Unbound groups: none.
 */
export async function welcomeOnJoin(groups: GroupDirectory, join: JoinEvent, botName: string): Promise<SendEffect[]> {
  const first = join.members[0];
  if (!first) return [];
  const group = await groups.find(join.chat.platform, join.chat.chatId);
  if (!group?.community) return [];
  const others = join.members.slice(1).map((m) => `@${m.displayName || m.userId}`);
  const text = `${others.length ? `${others.join(' ')} ` : ''}${helpText('zh-Hans', { bot: botName, inGroup: true, worker: false })}`;
  return [{ kind: 'send', key: `join:${join.chat.platform}:${join.eventId}`, to: join.chat, message: { text, mention: first } }];
}
