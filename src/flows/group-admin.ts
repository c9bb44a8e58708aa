import { bindGroup } from '../core/groups/bind-group.ts';
import type { GroupDirectory } from '../core/groups/group-directory.ts';
import type { PersonDirectory } from '../core/people/resolve-person.ts';
import { isWorker } from '../core/roles/is-worker.ts';
import { setLocale } from '../core/people/person-settings.ts';
import { t, type Locale } from './messages.ts';
import type { Turn } from './turn.ts';

/** Renders the help text for a locale (the command registry's `helpText`). */
export type HelpRenderer = (locale: Locale, opts: { bot: string; inGroup: boolean; worker: boolean }) => string;

/**
 * `帮助`: the commands this person may use here, as the registry lists them: in a group the
 * short list, in private every line; workers see theirs too.
 */
export async function helpTurn(turn: Turn, render: HelpRenderer): Promise<void> {
  if (turn.inGroup && !turn.community) {
    turn.reply(turn.say('helpUnbound'));
    return;
  }
  const worker = turn.community !== null && (await isWorker(turn.ctx, turn.personId, turn.community.id));
  turn.reply(render(turn.locale, { bot: turn.botName, inGroup: turn.inGroup, worker }));
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
