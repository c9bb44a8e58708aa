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
  usage_approveClaim: () => '请写上申请号，例如：同意认领 7',
  usage_declineClaim: () => '请写上申请号和原因，例如：拒绝认领 7 已有组织认领',
  usage_generic: () => '没看懂这条指令，发送「帮助」查看用法',
  notYet: (p) => `「${p.command}」功能即将开放，现在可以先用「需求」「+1」「需求清单」`,
  privateNeedsNoCommunity: () => '还不知道你住在哪个社区。请先在你所在的小区群里发一次「需求清单」或「需求 内容」，之后就能在这里私聊使用了',
  languageSet: (p) => `好的，以后用${p.name}和你说话`,
  internalError: () => '抱歉，刚才出了点问题，请稍后再试一次',
  projectsHeader: (p) => `${p.community} 可报名的公益项目：`,
  projectsLine: (p) => `#${p.number} ${p.title}${p.claim}`,
  projectsShift: (p) => `  ${p.label} ${p.time} ${p.place}· ${p.free}`,
  projectsFree: (p) => `余 ${p.free}/${p.capacity}`,
  projectsFull: (p) => `已满，候补 ${p.waiting} 人`,
  projectsClaimable: () => '（可由组织认领）',
  projectsFooter: () => '报名请回复「报名 编号」，多个班次时加上字母，如「报名 3 B」',
  projectsMore: (p) => `共 ${p.total} 个，只显示前 ${p.shown} 个。私聊我发送「项目」看更多`,
  projectsEmpty: () => '目前没有可报名的项目。有需要请发送「需求 内容」',
  signedUp: (p) => `报名成功：项目 #${p.number}「${p.title}」，班次 ${p.label}（${p.time}${p.place ? `，${p.place}` : ''}）。活动前会私聊提醒你`,
  waitlisted: (p) => `项目 #${p.number} 班次 ${p.label} 已满，你在候补第 ${p.place} 位；有人取消时会自动递补并通知你`,
  cancelledSignUp: (p) => `已取消项目 #${p.number} 的报名${p.labels ? `（班次 ${p.labels}）` : ''}`,
  promoted: (p) => `好消息：有人取消了，你已从候补转为正式报名：项目 #${p.number}「${p.title}」，班次 ${p.label}（${p.time}）`,
  claimFiled: (p) => `已代「${p.org}」提交认领项目 #${p.number} 的申请（申请号 ${p.claim}），社区审核后会私聊告诉你结果`,
  claimToWorkers: (p) => `「${p.org}」申请认领项目 #${p.number}「${p.title}」（申请人 ${p.person}）。回复「同意认领 ${p.claim}」或「拒绝认领 ${p.claim} 原因」`,
  claimApproved: (p) => `你为「${p.org}」认领项目 #${p.number}「${p.title}」的申请已通过，谢谢！社区工作人员会和你联系`,
  claimDeclined: (p) => `你为「${p.org}」认领项目 #${p.number}「${p.title}」的申请没有通过${p.reason ? `：${p.reason}` : ''}`,
  claimDecided: (p) => `已${p.approved ? '同意' : '拒绝'}「${p.org}」认领项目 #${p.number}，已通知申请人`,
  published: (p) => `已开始发布项目 #${p.number} 到 ${p.groups} 个群${p.at ? `（${p.at}）` : ''}`,
  projectMade: (p) => `你支持的需求 #${p.need} 已立项：项目 #${p.number}「${p.title}」。项目发布后发送「项目」就能看到、报名参与`,
  projectClosedToSupporter: (p) => `你支持的需求 #${p.need} 对应的项目 #${p.number}「${p.title}」已结项，谢谢关心。可以回复「评价 ${p.number} 1-5分」打分`,
  orgMatch: (p) => `新项目可能适合「${p.org}」：#${p.number}「${p.title}」（${p.label}）。认领请回复「认领 ${p.number} ${p.org}」`,
  meHeader: () => '我的记录：',
  meNeeds: (p) => `需求：${p.list}`,
  meSignUps: (p) => `报名：${p.list}`,
  meClaims: (p) => `认领：${p.list}`,
  meNothing: () => '还没有记录。可以发「需求 内容」登记需求，或发「项目」看看可以报名的活动',
  mePrivately: () => '个人记录已私聊发给你',
  announceHeader: (p) => `【公益项目 #${p.number}】${p.title}`,
  announceShift: (p) => `班次 ${p.label}：${p.time}${p.place ? ` · ${p.place}` : ''} · 招 ${p.capacity} 人`,
  announceSignUp: (p) => `报名：回复「报名 ${p.number}」${p.multi ? `，选班次如「报名 ${p.number} B」` : ''}`,
  announceClaim: (p) => `组织认领：回复「认领 ${p.number} 组织名」`,
  buttonSignUp: (p) => `报名 ${p.label}`,
  err_PROJECT_NOT_OPEN: (p) => `项目 #${p.number} 还没有开放报名`,
  err_NOT_CLAIMABLE: (p) => (p.kind === 'volunteers' ? `项目 #${p.number} 由组织认领，不接受个人报名` : `项目 #${p.number} 只接受个人报名，不能由组织认领`),
  err_ALREADY_CLAIMED: (p) => `「${p.name}」已经申请过认领项目 #${p.number}`,
  err_CLAIM_TAKEN: (p) => `项目 #${p.number} 已经有组织认领了`,
  err_CLAIM_NOT_FOUND: (p) => `没有找到认领申请 ${p.id}`,
  err_CLAIM_DECIDED: (p) => `认领申请 ${p.id} 已经处理过了`,
  err_BAD_TRANSITION: (p) => `项目 #${p.number} 现在不能这样改`,
  err_BROADCAST_NOT_FOUND: (p) => `没有找到群发 ${p.id}`,
  err_NO_GROUPS: () => '没有找到要发布的群：群要先绑定到本社区',
  err_ORG_AMBIGUOUS: (p) => `你在多个组织里，请写上组织名：${p.names}`,
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
  usage_approveClaim: () => 'Please give the claim number, e.g. /approve 7',
  usage_declineClaim: () => 'Please give the claim number and a reason, e.g. /decline 7 already taken',
  usage_generic: () => 'I did not understand that; send /help',
  notYet: (p) => `"${p.command}" is coming soon; for now you can use /need, /upvote and /needs`,
  privateNeedsNoCommunity: () => 'I do not know your community yet. Send "/needs" or "/need <text>" once in your community group first',
  languageSet: (p) => `OK, I will speak ${p.name} with you`,
  internalError: () => 'Sorry, something went wrong. Please try again in a moment',
  projectsHeader: (p) => `Projects open in ${p.community}:`,
  projectsLine: (p) => `#${p.number} ${p.title}${p.claim}`,
  projectsShift: (p) => `  ${p.label} ${p.time} ${p.place}· ${p.free}`,
  projectsFree: (p) => `${p.free}/${p.capacity} free`,
  projectsFull: (p) => `full, ${p.waiting} waiting`,
  projectsClaimable: () => ' (organisations may claim it)',
  projectsFooter: () => 'Sign up with "/signup N", adding the shift letter when there are several, e.g. /signup 3 B',
  projectsMore: (p) => `${p.total} in all, showing ${p.shown}. Message me "/projects" in private for more`,
  projectsEmpty: () => 'No projects are open for sign-up. Tell us what is needed with "/need <text>"',
  signedUp: (p) => `Signed up: project #${p.number} ${p.title}, shift ${p.label} (${p.time}${p.place ? `, ${p.place}` : ''}). I will remind you in private`,
  waitlisted: (p) => `Shift ${p.label} of project #${p.number} is full: you are number ${p.place} on the waiting list and will be told if a place frees up`,
  cancelledSignUp: (p) => `Your sign-up for project #${p.number} is cancelled${p.labels ? ` (shift ${p.labels})` : ''}`,
  promoted: (p) => `Good news: a place freed up and you are now signed up: project #${p.number} ${p.title}, shift ${p.label} (${p.time})`,
  claimFiled: (p) => `Claim for project #${p.number} filed for "${p.org}" (claim ${p.claim}); you will hear in private once the community decides`,
  claimToWorkers: (p) => `"${p.org}" asks to claim project #${p.number} ${p.title} (by ${p.person}). Reply "/approve ${p.claim}" or "/decline ${p.claim} reason"`,
  claimApproved: (p) => `Your claim of project #${p.number} ${p.title} for "${p.org}" is approved. Thank you! A community worker will contact you`,
  claimDeclined: (p) => `Your claim of project #${p.number} ${p.title} for "${p.org}" was declined${p.reason ? `: ${p.reason}` : ''}`,
  claimDecided: (p) => `${p.approved ? 'Approved' : 'Declined'} "${p.org}" claiming project #${p.number}; the claimant is told`,
  published: (p) => `Publishing project #${p.number} to ${p.groups} groups${p.at ? ` (${p.at})` : ''}`,
  projectMade: (p) => `Need #${p.need} you supported is now project #${p.number} ${p.title}. Send "/projects" to see it and sign up`,
  projectClosedToSupporter: (p) => `Project #${p.number} ${p.title}, for need #${p.need} you supported, is closed. Rate it with "/rate ${p.number} 1-5"`,
  orgMatch: (p) => `A new project may suit "${p.org}": #${p.number} ${p.title} (${p.label}). Claim it with "/claim ${p.number} ${p.org}"`,
  meHeader: () => 'My records:',
  meNeeds: (p) => `Needs: ${p.list}`,
  meSignUps: (p) => `Sign-ups: ${p.list}`,
  meClaims: (p) => `Claims: ${p.list}`,
  meNothing: () => 'Nothing yet. Record a need with "/need <text>" or see projects with "/projects"',
  mePrivately: () => 'I sent your records to you in private',
  announceHeader: (p) => `[Project #${p.number}] ${p.title}`,
  announceShift: (p) => `Shift ${p.label}: ${p.time}${p.place ? ` · ${p.place}` : ''} · ${p.capacity} people`,
  announceSignUp: (p) => `Sign up: reply "/signup ${p.number}"${p.multi ? `, or pick a shift: "/signup ${p.number} B"` : ''}`,
  announceClaim: (p) => `Organisations: reply "/claim ${p.number} <organisation>"`,
  buttonSignUp: (p) => `Sign up ${p.label}`,
  err_PROJECT_NOT_OPEN: (p) => `Project #${p.number} is not open for sign-up yet`,
  err_NOT_CLAIMABLE: (p) => (p.kind === 'volunteers' ? `Project #${p.number} is for organisations to claim, not individual sign-up` : `Project #${p.number} takes individual sign-ups only, not claims`),
  err_ALREADY_CLAIMED: (p) => `"${p.name}" has already asked to claim project #${p.number}`,
  err_CLAIM_TAKEN: (p) => `Project #${p.number} has already been claimed`,
  err_CLAIM_NOT_FOUND: (p) => `There is no claim ${p.id}`,
  err_CLAIM_DECIDED: (p) => `Claim ${p.id} has already been decided`,
  err_BAD_TRANSITION: (p) => `Project #${p.number} cannot change that way now`,
  err_BROADCAST_NOT_FOUND: (p) => `There is no broadcast ${p.id}`,
  err_NO_GROUPS: () => 'No groups to publish to: groups must be bound to this community first',
  err_ORG_AMBIGUOUS: (p) => `You belong to several organisations; please name one: ${p.names}`,
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
