import { bindGroup } from '../core/groups/bind-group.ts';
import type { GroupDirectory } from '../core/groups/group-directory.ts';
import type { PersonDirectory } from '../core/people/resolve-person.ts';
import { isWorker } from '../core/roles/is-worker.ts';
import { setLocale } from '../core/people/person-settings.ts';
import { t, type Locale } from './messages.ts';
import type { Turn } from './turn.ts';

/** `帮助`: the commands this person may use here; workers see theirs too. */
export async function helpTurn(turn: Turn): Promise<void> {
  if (turn.inGroup && !turn.community) {
    turn.reply(turn.say('helpUnbound'));
    return;
  }
  const lines = [turn.say('helpResident', { bot: turn.botName })];
  if (turn.community && (await isWorker(turn.ctx, turn.personId, turn.community.id))) lines.push(turn.say('helpWorker'));
  turn.reply(lines.join('\n'));
}

/** `绑定 <社区码> [楼栋]`: a worker binds this group to a community. */
export async function bindTurn(turn: Turn, code: string, building: string | undefined, groups: GroupDirectory): Promise<void> {
  if (!turn.inGroup) {
    turn.reply(turn.say('usage_bind'));
    return;
  }
  const { community, group } = await bindGroup(turn.ctx, {
    community: code,
    platform: turn.event.platform,
    chat: turn.event.chat.chatId,
    building,
    byPersonId: turn.personId,
    via: 'chat',
  });
  groups.forget(turn.event.platform, turn.event.chat.chatId);
  turn.reply(turn.say('bound', { community: community.name, building: group.building ?? '' }));
}

const languageNames: Record<Locale, string> = { 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文', en: 'English' };

/** `语言 繁体`: the person's language from now on, on every platform. */
export async function languageTurn(turn: Turn, locale: Locale, people: PersonDirectory): Promise<void> {
  await setLocale(turn.ctx, turn.personId, locale);
  people.forget(turn.event.platform, turn.event.sender.userId);
  turn.reply(t(locale, 'languageSet', { name: languageNames[locale] }));
}
