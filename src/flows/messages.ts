import { Converter } from 'opencc-js/cn2t';
import type { ErrorCode } from '../lib/errors.ts';
import { categoryLabel, isNeedCategory } from '../core/needs/categories.ts';

export const locales = ['zh-Hans', 'zh-Hant', 'en'] as const;
export type Locale = (typeof locales)[number];

export function isLocale(s: unknown): s is Locale {
  return typeof s === 'string' && (locales as readonly string[]).includes(s);
}

type Params = Record<string, string | number>;
type Catalog = Record<MessageKey, (p: Params) => string>;

/**
 * What the bot says, in Simplified Chinese (the default) and English. Traditional Chinese is
 * the Simplified text converted by OpenCC (Taiwan standard), so the three never drift apart.
 * Group replies stay within one phone screen; every refusal says why and what to do next.
 */
const zhHans = {
  needCreated: (p) => `已登记需求 #${p.number}（${p.label}）。邻居们可以回复「+1 ${p.number}」表示同求`,
  needLinked: (p) => `这和需求 #${p.number}（${p.label}）说的是一件事，已算作你的支持，现在 ${p.count} 人同求`,
  needLinkedAgain: (p) => `这和需求 #${p.number}（${p.label}）说的是一件事，你已经支持过了（${p.count} 人同求）`,
  needTruncated: (p) => `（内容超过 ${p.max} 字，只记下了前 ${p.max} 字）`,
  needMaskedInGroup: () => '为保护隐私，电话和门牌号已隐藏，只有社区工作人员能看到。',
  needPrivateNote: (p) =>
    `你在群里登记的需求 #${p.number} 已收到。你留的联系方式只给社区工作人员看，不会在群里显示。以后涉及电话、住址的事，可以直接在这里私聊我。`,
  upvoted: (p) => `已为需求 #${p.number} +1，现在 ${p.count} 人同求`,
  needsHeader: (p) => `${p.community} 待解决需求（按同求人数）：`,
  needsLine: (p) => `#${p.number}【${p.label}】${p.text} · ${p.count}人同求`,
  needsMore: (p) => `共 ${p.total} 条，只显示前 ${p.shown} 条。私聊我发送「需求清单」看更多`,
  needsEmpty: () => '目前没有待解决的需求。发送「需求 内容」登记一条，例如：需求 3号楼楼道灯坏了',
  bound: (p) => `本群已绑定到 ${p.community}${p.building ? `（${p.building}）` : ''}。居民可以发送「需求 内容」登记需求，发送「帮助」查看全部用法`,
  helpResident: (p) =>
    [
      `我是${p.bot}，帮大家把需求记下来、找到人来办。可以这样说：`,
      '需求 内容 —— 登记一条需求（如：需求 3号楼楼道灯坏了）',
      '+1 编号 —— 同求某条需求（如：+1 12）',
      '需求清单 —— 看本社区大家最关心的需求',
      '项目 —— 看可以报名的公益项目',
      '报名 编号 —— 报名参加项目',
      '我的 —— 私聊查看我的需求、报名和志愿时长',
    ].join('\n'),
  helpWorker: () =>
    [
      '社区工作人员还可以：',
      '绑定 社区码 [楼栋] —— 把本群绑定到社区',
      '发布 编号 —— 把项目发到各群',
      '提醒 编号 / 结项 编号 —— 提醒志愿者、结项评价',
    ].join('\n'),
  helpUnbound: () => '本群还没有绑定社区。请社区工作人员发送「绑定 社区码」，绑定后居民就能登记需求了',
  question: (p) => `你好，我是${p.bot}。要登记需求，请发送「需求 内容」，例如：需求 3号楼楼道灯坏了。发送「帮助」查看全部用法`,
  usage_need: () => '请在「需求」后面写上具体内容，例如：需求 3号楼楼道灯坏了',
  usage_upvote: () => '请写上需求编号，例如：+1 12（发送「需求清单」查看编号）',
  usage_signup: () => '请写上项目编号，例如：报名 3（发送「项目」查看编号）',
  usage_cancel: () => '请写上项目编号，例如：取消报名 3',
  usage_claim: () => '请写上项目编号和组织名，例如：认领 3 夕阳天使志愿服务队',
  usage_checkin: () => '请写上项目编号和现场的 6 位签到码，例如：签到 3 123456',
  usage_checkinCode: () => '请写上项目编号，例如：签到码 3',
  usage_rate: () => '请写上项目编号和 1-5 分，例如：评价 3 5 很好',
  usage_vote: () => '请写上提案编号，例如：投票 2',
  usage_bind: () => '请写上社区码，例如：绑定 HT01',
  usage_publish: () => '请写上项目编号，例如：发布 3',
  usage_remind: () => '请写上项目编号，例如：提醒 3',
  usage_close: () => '请写上项目编号，例如：结项 3',
  usage_generic: () => '没看懂这条指令，发送「帮助」查看用法',
  notYet: (p) => `「${p.command}」功能即将开放，现在可以先用「需求」「+1」「需求清单」`,
  privateNeedsNoCommunity: () => '还不知道你住在哪个社区。请先在你所在的小区群里发一次「需求清单」或「需求 内容」，之后就能在这里私聊使用了',
  languageSet: (p) => `好的，以后用${p.name}和你说话`,
  internalError: () => '抱歉，刚才出了点问题，请稍后再试一次',
  err_GROUP_NOT_BOUND: () => '本群还没有绑定社区，请社区工作人员发送「绑定 社区码」',
  err_COMMUNITY_NOT_FOUND: (p) => `没有找到社区码 ${p.code}，请核对后再试`,
  err_NOT_A_WORKER: () => '只有本社区的工作人员可以这样做。如需帮助，请联系居委会',
  err_NEED_NOT_FOUND: (p) => `没有找到需求 #${p.number}，发送「需求清单」查看编号`,
  err_NEED_CLOSED: (p) => `需求 #${p.number} 已经办结或关闭，不能再 +1`,
  err_ALREADY_SUPPORTED: (p) => `你已经支持过需求 #${p.number} 了（${p.count} 人同求）`,
  err_TEXT_EMPTY: () => '请在「需求」后面写上具体内容，例如：需求 3号楼楼道灯坏了',
  err_TEXT_TOO_LONG: (p) => `消息太长了（最多 ${p.max} 字），请分几条发`,
  err_RATE_LIMITED: () => '说得太快了，请稍后再试',
  err_PROJECT_NOT_FOUND: (p) => `没有找到项目 #${p.number}，发送「项目」查看编号`,
  err_PROJECT_CLOSED: (p) => `项目 #${p.number} 已经结束，不能再报名`,
  err_ALREADY_SIGNED_UP: (p) => `你已经报名了项目 #${p.number}`,
  err_SHIFT_FULL: () => '这个班次已满',
  err_SHIFT_NOT_FOUND: (p) => `项目 #${p.number} 没有这个班次，请核对班次字母`,
  err_NOT_SIGNED_UP: (p) => `你没有报名项目 #${p.number}`,
  err_ORG_NOT_FOUND: (p) => `没有找到组织「${p.name}」，请核对名称`,
  err_NOT_AN_ORG_MEMBER: () => '只有该组织的成员可以认领',
  err_INVALID_INPUT: () => '输入有误，请核对后再试',
  err_CONFLICT: () => '刚才有人同时改了这条记录，请再试一次',
} satisfies Record<string, (p: Params) => string>;

export type MessageKey = keyof typeof zhHans;

const en: Catalog = {
  needCreated: (p) => `Need #${p.number} recorded (${p.label}). Neighbours can reply "+1 ${p.number}" to support it`,
  needLinked: (p) => `This is the same as need #${p.number} (${p.label}); counted as your support: ${p.count} people now`,
  needLinkedAgain: (p) => `This is the same as need #${p.number} (${p.label}), which you already support (${p.count} people)`,
  needTruncated: (p) => `(longer than ${p.max} characters: only the first ${p.max} were recorded)`,
  needMaskedInGroup: () => 'For your privacy, phone and door numbers are hidden; only community workers can see them.',
  needPrivateNote: (p) =>
    `Your need #${p.number} from the group is recorded. Your contact details are visible to community workers only, never in the group. For anything about phones or addresses, message me here.`,
  upvoted: (p) => `+1 on need #${p.number}: ${p.count} people now`,
  needsHeader: (p) => `Open needs of ${p.community} (most supported first):`,
  needsLine: (p) => `#${p.number} [${p.label}] ${p.text} · ${p.count} people`,
  needsMore: (p) => `${p.total} in all, showing ${p.shown}. Message me "/needs" in private for more`,
  needsEmpty: () => 'No open needs. Send "/need <text>" to record one, e.g. /need the stairwell light in building 3 is broken',
  bound: (p) => `This group is now bound to ${p.community}${p.building ? ` (${p.building})` : ''}. Residents can send "/need <text>"; "/help" lists everything`,
  helpResident: (p) =>
    [
      `I am ${p.bot}: I record what neighbours need and find people to do it. You can say:`,
      '/need <text> — record a need',
      '/upvote N — support need N',
      '/needs — the needs neighbours care about most',
      '/projects — projects you can sign up for',
      '/signup N — sign up for project N',
      '/me — in private: my needs, sign-ups and hours',
    ].join('\n'),
  helpWorker: () =>
    ['Community workers can also:', '/bind <code> [building] — bind this group', '/publish N — broadcast project N', '/remind N, /close N'].join('\n'),
  helpUnbound: () => 'This group is not bound to a community yet. A community worker can send "/bind <code>"',
  question: (p) => `Hello, I am ${p.bot}. To record a need send "/need <text>"; "/help" lists everything`,
  usage_need: () => 'Please write the need after the command, e.g. /need the lift is broken',
  usage_upvote: () => 'Please give the need number, e.g. /upvote 12 (send /needs to see numbers)',
  usage_signup: () => 'Please give the project number, e.g. /signup 3 (send /projects to see numbers)',
  usage_cancel: () => 'Please give the project number, e.g. /cancel 3',
  usage_claim: () => 'Please give the project number and organisation, e.g. /claim 3 Sunset Angels',
  usage_checkin: () => 'Please give the project number and the 6-digit code shown on site, e.g. /checkin 3 123456',
  usage_checkinCode: () => 'Please give the project number, e.g. /code 3',
  usage_rate: () => 'Please give the project number and a rating from 1 to 5, e.g. /rate 3 5 great',
  usage_vote: () => 'Please give the proposal number, e.g. /vote 2',
  usage_bind: () => 'Please give the community code, e.g. /bind HT01',
  usage_publish: () => 'Please give the project number, e.g. /publish 3',
  usage_remind: () => 'Please give the project number, e.g. /remind 3',
  usage_close: () => 'Please give the project number, e.g. /close 3',
  usage_generic: () => 'I did not understand that; send /help',
  notYet: (p) => `"${p.command}" is coming soon; for now you can use /need, /upvote and /needs`,
  privateNeedsNoCommunity: () => 'I do not know your community yet. Send "/needs" or "/need <text>" once in your community group first',
  languageSet: (p) => `OK, I will speak ${p.name} with you`,
  internalError: () => 'Sorry, something went wrong. Please try again in a moment',
  err_GROUP_NOT_BOUND: () => 'This group is not bound to a community; a community worker can send "/bind <code>"',
  err_COMMUNITY_NOT_FOUND: (p) => `No community with code ${p.code}; please check it`,
  err_NOT_A_WORKER: () => 'Only community workers of this community can do that. Ask your residents’ committee for help',
  err_NEED_NOT_FOUND: (p) => `There is no need #${p.number}; send /needs to see the numbers`,
  err_NEED_CLOSED: (p) => `Need #${p.number} is resolved or closed and cannot be supported`,
  err_ALREADY_SUPPORTED: (p) => `You already support need #${p.number} (${p.count} people)`,
  err_TEXT_EMPTY: () => 'Please write the need after the command, e.g. /need the lift is broken',
  err_TEXT_TOO_LONG: (p) => `That message is too long (at most ${p.max} characters); please split it`,
  err_RATE_LIMITED: () => 'You are sending too fast; please try again shortly',
  err_PROJECT_NOT_FOUND: (p) => `There is no project #${p.number}; send /projects to see the numbers`,
  err_PROJECT_CLOSED: (p) => `Project #${p.number} has ended`,
  err_ALREADY_SIGNED_UP: (p) => `You are already signed up for project #${p.number}`,
  err_SHIFT_FULL: () => 'That shift is full',
  err_SHIFT_NOT_FOUND: (p) => `Project #${p.number} has no such shift; check the shift letter`,
  err_NOT_SIGNED_UP: (p) => `You are not signed up for project #${p.number}`,
  err_ORG_NOT_FOUND: (p) => `No organisation named "${p.name}"; please check the name`,
  err_NOT_AN_ORG_MEMBER: () => 'Only members of that organisation can claim for it',
  err_INVALID_INPUT: () => 'Something in that was not right; please check and try again',
  err_CONFLICT: () => 'Someone changed this at the same moment; please try again',
};

let toTraditional: ((s: string) => string) | undefined;
function traditional(s: string): string {
  const convert = (toTraditional ??= Converter({ from: 'cn', to: 'tw' }));
  return convert(s);
}

/**
 * One message in the person's language. For Traditional Chinese only the wording is converted,
 * never the values put into it: a community's name or a resident's words stay as written.
 */
export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  if (locale === 'en') return en[key](params);
  if (locale === 'zh-Hans') return (zhHans as Catalog)[key](params);
  const names = Object.keys(params);
  const slots = Object.fromEntries(names.map((n, i) => [n, params[n] === '' ? '' : `\u0001${i}\u0002`]));
  const converted = traditional((zhHans as Catalog)[key](slots));
  return converted.replace(/\u0001(\d+)\u0002/g, (_m, i: string) => String(params[names[Number(i)] ?? ''] ?? ''));
}

/** The refusal for an error code, in the person's language. */
export function errorText(locale: Locale, code: ErrorCode, details: Params = {}): string {
  return t(locale, `err_${code}` as MessageKey, details);
}

/** A need category as residents see it. */
export function labelOf(category: string, locale: Locale): string {
  return categoryLabel(isNeedCategory(category) ? category : 'other', locale);
}
