import { Converter } from 'opencc-js/cn2t';
import type { ErrorCode } from '../lib/errors.ts';
import { categoryLabel, isNeedCategory } from '../core/needs/categories.ts';
import { normalizeText, type Script } from './parse/normalize.ts';

export const locales = ['zh-Hans', 'zh-Hant', 'en'] as const;
export type Locale = (typeof locales)[number];

export function isLocale(s: unknown): s is Locale {
  return typeof s === 'string' && (locales as readonly string[]).includes(s);
}

type Params = Record<string, string | number>;
type Message = (p: Params) => string;
type Catalog = Record<MessageKey, Message>;

const englishPlurals = new Intl.PluralRules('en');

/** `1 shift`, `2 shifts`, `1.5 hours`: a count with its English noun, by CLDR's plural rules. */
function plural(n: string | number | undefined, one: string, other: string): string {
  return `${n} ${englishPlurals.select(Number(n)) === 'one' ? one : other}`;
}

/** `1 person`, `3 people`. */
function people(n: string | number | undefined): string {
  return plural(n, 'person', 'people');
}

/**
 * What the bot says, in Simplified Chinese (the default) and English. Traditional Chinese is
 * the Simplified text converted by OpenCC (Taiwan standard), so the three never drift apart.
 * Group replies stay within one phone screen; every refusal says why and what to do next.
 * Chinese needs no plural forms; English counts go through {@link plural}.
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
  // Help: an intro, then one line per command (src/flows/commands/registry.ts says which lines a
  // group gets and which only a private chat; commands that share a line name the same key).
  helpIntro: (p) => `我是${p.bot}，帮大家把需求记下来、找到人来办。可以这样说：`,
  helpWorkerIntro: () => '社区工作人员还可以：',
  help_need: () => '需求 内容 —— 登记一条需求（如：需求 3号楼楼道灯坏了）',
  help_upvote: () => '+1 编号 —— 同求某条需求（如：+1 12）',
  help_needs: () => '需求清单 —— 看本社区大家最关心的需求',
  help_projects: () => '项目 —— 看可以报名的公益项目',
  help_signup: () => '报名 编号 —— 报名参加项目',
  help_cancel: () => '取消报名 编号 —— 去不了了，取消报名',
  help_claim: () => '认领 编号 组织名 —— 以组织的名义认领项目',
  help_checkin: () => '签到 编号 签到码 / 签退 编号 —— 到场签到、离开签退',
  help_rate: () => '评价 编号 1-5 [意见] —— 给项目打分',
  help_me: () => '我的 —— 私聊查看我的需求、报名和志愿时长',
  help_subscribe: () => '退订 / 订阅 —— 停止或恢复私聊提醒',
  help_language: () => '语言 简体 / 繁体 / English —— 换一种语言和我说话',
  help_help: () => '帮助 —— 随时再看这份说明',
  help_bind: () => '绑定 社区码 [楼栋] —— 把本群绑定到社区',
  help_publish: () => '发布 编号 —— 把项目发到各群',
  help_decideClaim: () => '同意认领 申请号 / 拒绝认领 申请号 原因 —— 审核组织认领',
  help_remind: () => '提醒 编号 / 结项 编号 —— 提醒志愿者、结项评价',
  help_checkinCode: () => '签到码 编号 —— 私聊获取现场签到码',
  help_attend: () => '补签 编号 姓名 / 通过时长 编号 —— 登记到场、审核志愿时长',
  help_served: () => '受益 编号 人次 —— 登记受益人次',
  // The Telegram `/` menu, one line per command in it.
  menu_need: () => '登记需求：/need 3号楼楼道灯坏了',
  menu_upvote: () => '同求某条需求：/upvote 12',
  menu_needs: () => '本社区待解决的需求清单',
  menu_projects: () => '可以报名的公益项目',
  menu_signup: () => '报名参加项目：/signup 3',
  menu_cancel: () => '取消报名：/cancel 3',
  menu_claim: () => '以组织名义认领项目：/claim 3 组织名',
  menu_checkin: () => '现场签到：/checkin 3 签到码',
  menu_rate: () => '评价项目（1-5 分）：/rate 3 5 很好',
  menu_me: () => '我的需求、报名和志愿时长（私聊）',
  menu_help: () => '帮助：我能做什么',
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
  usage_bind: () => '请写上社区码，例如：绑定 HT01',
  usage_publish: () => '请写上项目编号，例如：发布 3',
  usage_remind: () => '请写上项目编号，例如：提醒 3',
  usage_close: () => '请写上项目编号，例如：结项 3',
  usage_approveClaim: () => '请写上申请号，例如：同意认领 7',
  usage_declineClaim: () => '请写上申请号和原因，例如：拒绝认领 7 已有组织认领',
  usage_language: () => '请写上要用的语言，例如：语言 繁体，或 语言 English',
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
  // Reminders (chat contract, "Reminders"), check-in, hours, evaluation, the weekly digest.
  reminder: (p) =>
    [`【活动提醒】项目 #${p.number}「${p.title}」班次 ${p.label}`, `时间：${p.time}`, ...(p.place ? [`地点：${p.place}`] : []), '回复 1 确认，2 请假'].join('\n'),
  reminderButtonConfirm: () => '1 确认',
  reminderButtonLeave: () => '2 请假',
  reminderConfirmed: (p) => `已确认参加：项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}）。到场后发送「签到 ${p.number} 签到码」签到，谢谢！`,
  reminderLeft: (p) => `已为你请假，取消了项目 #${p.number} 班次 ${p.label} 的报名。谢谢告知！`,
  reminderAskAgain: (p) => `项目 #${p.number} 班次 ${p.label}（${p.time}）：回复 1 确认参加，2 请假`,
  reminderGone: (p) => `项目 #${p.number} 班次 ${p.label} 的报名已经取消，不用再回复了`,
  shiftMoved: (p) => `项目 #${p.number}「${p.title}」班次 ${p.label} 改时间了：${p.time}${p.place ? `，${p.place}` : ''}。活动前会再私聊提醒你，来不了请发「取消报名 ${p.number}」`,
  shiftCancelled: (p) => `项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}）取消了，你的报名也一并取消。谢谢关心！`,
  remindSent: (p) => `已向 ${p.count} 位还没确认的志愿者重新发送项目 #${p.number} 班次 ${p.label}（${p.time}）的提醒：${p.names}`,
  remindNone: (p) => `项目 #${p.number} 班次 ${p.label}（${p.time}）的志愿者都已确认，不用再提醒`,
  remindOptedOut: () => '（已退订，不会收到）',
  unsubscribed: () => '已退订：以后不再私聊给你发活动提醒和通知。想恢复请发送「订阅」',
  subscribed: () => '已恢复订阅：活动提醒和通知会照常私聊发给你。不想收请发送「退订」',
  checkinCode: (p) =>
    `项目 #${p.number} 班次 ${p.label}（${p.time}）签到码：${p.code}\n${p.until} 前有效，每 ${p.minutes} 分钟更换。请志愿者到场后发送「签到 ${p.number} ${p.code}」`,
  checkinCodePrivately: () => '签到码已私聊发给你（签到码不在群里公布）',
  checkedIn: (p) => `签到成功：项目 #${p.number} 班次 ${p.label}，${p.at}。结束时可发送「签退 ${p.number}」`,
  checkedOut: (p) => `已签退：项目 #${p.number} 班次 ${p.label}，本次服务 ${p.hours} 小时，社区审核后计入志愿时长`,
  attendanceMarked: (p) => `已为「${p.name}」登记到场：项目 #${p.number} 班次 ${p.label}`,
  attendanceMarkedToVolunteer: (p) => `社区工作人员已为你登记到场：项目 #${p.number}「${p.title}」班次 ${p.label}，谢谢参与！`,
  hoursApproved: (p) => `已审核通过项目 #${p.number} 的 ${p.count} 条志愿时长，共 ${p.hours} 小时，已通知志愿者`,
  hoursNoneToApprove: (p) => `项目 #${p.number} 没有待审核的志愿时长`,
  hoursApprovedToVolunteer: (p) => `你在项目 #${p.number}「${p.title}」的 ${p.hours} 小时志愿时长已审核通过，累计 ${p.total} 小时${p.stars ? ` ${p.stars}` : ''}`,
  meHours: (p) => `志愿时长：已认定 ${p.approved} 小时${p.stars ? ` ${p.stars}` : ''}${p.pending ? `，待审核 ${p.pending} 小时` : ''}${p.next ? `（再服务 ${p.next} 小时升为 ${p.nextStars}）` : ''}`,
  projectClosed: (p) => `项目 #${p.number}「${p.title}」已结项${p.groups ? `，已请 ${p.groups} 个群的居民评价` : ''}`,
  closeFeedbackAsk: (p) => `【项目结项】#${p.number}「${p.title}」已完成，感谢大家参与！请回复「评价 ${p.number} 1-5分 意见」打分，例如：评价 ${p.number} 5 很及时`,
  evalHeader: (p) => `项目 #${p.number}「${p.title}」评估：`,
  evalAttendance: (p) => `班次 ${p.shifts} 个，报名 ${p.signUps} 人，到场 ${p.attended} 人，出勤率 ${p.rate}，缺席 ${p.noShows} 人`,
  evalHours: (p) => `志愿时长：已认定 ${p.approved} 小时，待审核 ${p.pending} 小时`,
  evalServed: (p) => (p.served === '' ? `受益人次：未填写（发送「受益 ${p.number} 人次」填写）` : `受益人次：${p.served}`),
  evalRating: (p) => (p.count ? `居民评价：${p.average} 分（${p.count} 人）` : '居民评价：还没有'),
  evalComment: (p) => `· ${p.text}`,
  evaluationPrivately: () => '评估报告已私聊发给你',
  rated: (p) => `谢谢评价：项目 #${p.number} ${p.stars}${p.updated ? '（已更新你之前的评价）' : ''}`,
  servedSet: (p) => `已记录项目 #${p.number} 的受益人次：${p.count}`,
  digestHeader: (p) => `【每周简报】${p.community}（${p.from}-${p.to}）`,
  digestNeeds: (p) => (p.total ? `新需求 ${p.total} 条：${p.list}` : '新需求：无'),
  digestProjects: (p) => (p.list ? `待处理项目：${p.list}` : '待处理项目：无'),
  digestClaims: (p) => (p.count ? `待审核认领 ${p.count} 个：${p.list}` : '待审核认领：无'),
  digestSilent: (p) => (p.count ? `没回复提醒的志愿者 ${p.count} 人：${p.list}` : '没回复提醒的志愿者：无'),
  digestHours: (p) => (p.count ? `待审核志愿时长 ${p.count} 条，共 ${p.hours} 小时（发送「通过时长 项目编号」审核）` : '待审核志愿时长：无'),
  digestDraft: (p) => `草稿 ${p.list}`,
  digestReview: (p) => `待审 ${p.list}`,
  usage_checkout: () => '请写上项目编号，例如：签退 3',
  usage_attend: () => '请写上项目编号和志愿者的名字，例如：补签 3 张阿姨',
  usage_approveHours: () => '请写上项目编号，例如：通过时长 3',
  usage_served: () => '请写上项目编号和受益人次，例如：受益 3 120',
  // Plain language (src/flows/understand.ts): one question with numbered choices when unsure.
  understandConfirm: (p) => `你是想${p.what}吗？回复 1 是，2 不是`,
  understandChoose: (p) => `${p.question}\n${p.list}\n回复编号；都不是请回复 0`,
  understandChoice: (p) => `${p.n}. ${p.what}`,
  understandWhatNeed: (p) => `登记需求「${p.text}」`,
  understandWhatUpvote: (p) => `为需求 #${p.number}${p.text ? `「${p.text}」` : ' '}+1`,
  understandWhatSignup: (p) => `报名项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}）`,
  understandWhatCancel: (p) => `取消项目 #${p.number}${p.title ? `「${p.title}」` : ' '}的报名`,
  understandWhatCheckin: (p) => `签到项目 #${p.number}${p.title ? `「${p.title}」` : ''}`,
  understandWhatRate: (p) => `给项目 #${p.number} 打 ${p.rating} 星`,
  understandWhatProjects: () => '看看可以报名的项目',
  understandWhichSignup: () => '你想报名哪一个？',
  understandWhichCancel: () => '你想取消哪一个报名？',
  understandWhichCheckin: () => '你要签到哪一个？',
  understandNoShiftAt: (p) => `没有找到${p.when}的班次。`,
  understandNoTwin: () => '没有找到相同的需求。',
  understandNoSignUps: () => '你现在没有报名的活动。发送「项目」看看可以报名的活动',
  understandDeclined: () => '好的，没有办理。可以换个说法再说一次，或发送「帮助」查看用法',
  understandUrgent: () => '如有危险，请立即拨打 110 报警、119 火警、120 急救！',
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof zhHans;

/** Every message key, in the catalogue's order (for checks over the whole catalogue). */
export const messageKeys = Object.keys(zhHans) as readonly MessageKey[];

/**
 * The refusal for every AppError code, in Simplified Chinese: the compiler refuses a code without
 * one (`satisfies Record<ErrorCode, …>`), so a use case cannot fail in words nobody wrote.
 */
const zhHansErrors = {
  PROJECT_NOT_OPEN: (p) => `项目 #${p.number} 还没有开放报名`,
  NOT_CLAIMABLE: (p) => (p.kind === 'volunteers' ? `项目 #${p.number} 由组织认领，不接受个人报名` : `项目 #${p.number} 只接受个人报名，不能由组织认领`),
  ALREADY_CLAIMED: (p) => `「${p.name}」已经申请过认领项目 #${p.number}`,
  CLAIM_TAKEN: (p) => `项目 #${p.number} 已经有组织认领了`,
  CLAIM_NOT_FOUND: (p) => `没有找到认领申请 ${p.id}`,
  CLAIM_DECIDED: (p) => `认领申请 ${p.id} 已经处理过了`,
  BAD_TRANSITION: (p) => `项目 #${p.number} 现在不能这样改`,
  BROADCAST_NOT_FOUND: (p) => `没有找到群发 ${p.id}`,
  NO_GROUPS: () => '没有找到要发布的群：群要先绑定到本社区',
  ORG_AMBIGUOUS: (p) => `你在多个组织里，请写上组织名：${p.names}`,
  GROUP_NOT_BOUND: () => '本群还没有绑定社区，请社区工作人员发送「绑定 社区码」',
  COMMUNITY_NOT_FOUND: (p) => `没有找到社区码 ${p.code}，请核对后再试`,
  NOT_A_WORKER: () => '只有本社区的工作人员可以这样做。如需帮助，请联系居委会',
  NEED_NOT_FOUND: (p) => `没有找到需求 #${p.number}，发送「需求清单」查看编号`,
  NEED_CLOSED: (p) => `需求 #${p.number} 已经办结或关闭，不能再 +1`,
  ALREADY_SUPPORTED: (p) => `你已经支持过需求 #${p.number} 了（${p.count} 人同求）`,
  TEXT_EMPTY: () => '请在「需求」后面写上具体内容，例如：需求 3号楼楼道灯坏了',
  TEXT_TOO_LONG: (p) => `消息太长了（最多 ${p.max} 字），请分几条发`,
  RATE_LIMITED: () => '说得太快了，请稍后再试',
  PROJECT_NOT_FOUND: (p) => `没有找到项目 #${p.number}，发送「项目」查看编号`,
  PROJECT_CLOSED: (p) => `项目 #${p.number} 已经结束，不能再报名`,
  ALREADY_SIGNED_UP: (p) => `你已经报名了项目 #${p.number}`,
  SHIFT_FULL: () => '这个班次已满',
  SHIFT_NOT_FOUND: (p) => `项目 #${p.number} 没有这个班次，请核对班次字母`,
  NOT_SIGNED_UP: (p) => `你没有报名项目 #${p.number}`,
  ORG_NOT_FOUND: (p) => `没有找到组织「${p.name}」，请核对名称`,
  NOT_AN_ORG_MEMBER: () => '只有该组织的成员可以认领',
  INVALID_INPUT: () => '输入有误，请核对后再试',
  CONFLICT: () => '刚才有人同时改了这条记录，请再试一次',
  GROUP_BOUND_ELSEWHERE: (p) => `本群已绑定到 ${p.community}，只有 ${p.community} 的工作人员（或同时管辖两个社区的街道、区级工作人员）可以改绑`,
  CHECKIN_WRONG_CODE: (p) => `签到码不对。请核对现场的 6 位签到码，再发送「签到 ${p.number} 签到码」`,
  CHECKIN_EXPIRED_CODE: (p) => `这个签到码已过期（每 ${p.minutes} 分钟更换），请用现场最新的签到码再发一次`,
  CHECKIN_NOT_SIGNED_UP: (p) => `你没有报名项目 #${p.number}，不能签到。请先发送「报名 ${p.number}」`,
  CHECKIN_OUTSIDE_WINDOW: (p) => `现在不是签到时间：项目 #${p.number} 班次 ${p.label} 请在 ${p.month}月${p.day}日 ${p.from} 到 ${p.to} 之间签到`,
  ALREADY_CHECKED_IN: (p) => `你已经签到过了（项目 #${p.number}，${p.at}）`,
  NOT_CHECKED_IN: (p) => `你还没有签到项目 #${p.number}，不能签退`,
  ALREADY_CHECKED_OUT: (p) => `你已经签退过项目 #${p.number} 了`,
  NO_SHIFT_NOW: (p) => `项目 #${p.number} 现在没有进行中或即将开始的班次`,
  NO_UPCOMING_SHIFT: (p) => `项目 #${p.number} 没有还没开始的班次`,
  VOLUNTEER_NOT_FOUND: (p) => `项目 #${p.number} 的报名名单里没有「${p.name}」`,
  VOLUNTEER_AMBIGUOUS: (p) => `项目 #${p.number} 的名单里有不止一位「${p.name}」，请在工作台里登记`,
  HOURS_NOT_FOUND: (p) => `没有找到志愿时长记录 ${p.id}`,
  SIGNUP_NOT_FOUND: (p) => `没有找到报名记录 ${p.id}`,
  HOURS_DECIDED: (p) => `志愿时长记录 ${p.id} 已经审核过了，只能更正`,
  HOURS_NOT_APPROVED: (p) => `志愿时长记录 ${p.id} 还没通过审核，请先审核`,
  PROJECT_NOT_RATEABLE: (p) => `项目 #${p.number} 还没开始，暂时不能评价`,
} satisfies Record<ErrorCode, Message>;

const en: Catalog = {
  needCreated: (p) => `Need #${p.number} recorded (${p.label}). Neighbours can reply "+1 ${p.number}" to support it`,
  needLinked: (p) => `This is the same as need #${p.number} (${p.label}); counted as your support: ${people(p.count)} now`,
  needLinkedAgain: (p) => `This is the same as need #${p.number} (${p.label}), which you already support (${people(p.count)})`,
  needTruncated: (p) => `(longer than ${plural(p.max, 'character', 'characters')}: only the first ${p.max} were recorded)`,
  needMaskedInGroup: () => 'For your privacy, phone and door numbers are hidden; only community workers can see them.',
  needPrivateNote: (p) =>
    `Your need #${p.number} from the group is recorded. Your contact details are visible to community workers only, never in the group. For anything about phones or addresses, message me here.`,
  upvoted: (p) => `+1 on need #${p.number}: ${people(p.count)} now`,
  needsHeader: (p) => `Open needs of ${p.community} (most supported first):`,
  needsLine: (p) => `#${p.number} [${p.label}] ${p.text} · ${people(p.count)}`,
  needsMore: (p) => `${p.total} in all, showing ${p.shown}. Message me "/needs" in private for more`,
  needsEmpty: () => 'No open needs. Send "/need <text>" to record one, e.g. /need the stairwell light in building 3 is broken',
  bound: (p) => `This group is now bound to ${p.community}${p.building ? ` (${p.building})` : ''}. Residents can send "/need <text>"; "/help" lists everything`,
  helpIntro: (p) => `I am ${p.bot}: I record what neighbours need and find people to do it. You can say:`,
  helpWorkerIntro: () => 'Community workers can also:',
  help_need: () => '/need <text> — record a need',
  help_upvote: () => '/upvote N — support need N',
  help_needs: () => '/needs — the needs neighbours care about most',
  help_projects: () => '/projects — projects you can sign up for',
  help_signup: () => '/signup N — sign up for project N',
  help_cancel: () => '/cancel N — cancel your sign-up',
  help_claim: () => '/claim N <organisation> — claim project N for an organisation',
  help_checkin: () => '/checkin N <code>, /checkout N',
  help_rate: () => '/rate N 1-5 — rate a project',
  help_me: () => '/me — in private: my needs, sign-ups and hours',
  help_subscribe: () => '/unsubscribe, /subscribe — reminders off/on',
  help_language: () => '/lang en, /lang zh, /lang tw — the language I speak with you',
  help_help: () => '/help — this list, any time',
  help_bind: () => '/bind <code> [building] — bind this group',
  help_publish: () => '/publish N — broadcast project N',
  help_decideClaim: () => '/approve N, /decline N <reason> — decide a claim',
  help_remind: () => '/remind N, /close N',
  help_checkinCode: () => '/code N',
  help_attend: () => '/attend N name, /approvehours N',
  help_served: () => '/served N count',
  menu_need: () => 'Record a need: /need the light in building 3 is broken',
  menu_upvote: () => 'Support a need: /upvote 12',
  menu_needs: () => 'Open needs of this community',
  menu_projects: () => 'Projects you can sign up for',
  menu_signup: () => 'Sign up for a project: /signup 3',
  menu_cancel: () => 'Cancel a sign-up: /cancel 3',
  menu_claim: () => 'Claim a project for an organisation: /claim 3 <name>',
  menu_checkin: () => 'Check in on site: /checkin 3 <code>',
  menu_rate: () => 'Rate a project (1-5): /rate 3 5 great',
  menu_me: () => 'My needs, sign-ups and hours (in private)',
  menu_help: () => 'Help: what I can do',
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
  usage_bind: () => 'Please give the community code, e.g. /bind HT01',
  usage_publish: () => 'Please give the project number, e.g. /publish 3',
  usage_remind: () => 'Please give the project number, e.g. /remind 3',
  usage_close: () => 'Please give the project number, e.g. /close 3',
  usage_approveClaim: () => 'Please give the claim number, e.g. /approve 7',
  usage_declineClaim: () => 'Please give the claim number and a reason, e.g. /decline 7 already taken',
  usage_language: () => 'Please name the language, e.g. /lang en, /lang zh or /lang tw',
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
  published: (p) => `Publishing project #${p.number} to ${plural(p.groups, 'group', 'groups')}${p.at ? ` (${p.at})` : ''}`,
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
  announceShift: (p) => `Shift ${p.label}: ${p.time}${p.place ? ` · ${p.place}` : ''} · ${people(p.capacity)}`,
  announceSignUp: (p) => `Sign up: reply "/signup ${p.number}"${p.multi ? `, or pick a shift: "/signup ${p.number} B"` : ''}`,
  announceClaim: (p) => `Organisations: reply "/claim ${p.number} <organisation>"`,
  buttonSignUp: (p) => `Sign up ${p.label}`,
  reminder: (p) =>
    [`[Reminder] Project #${p.number} ${p.title}, shift ${p.label}`, `When: ${p.time}`, ...(p.place ? [`Where: ${p.place}`] : []), 'Reply 1 to confirm, 2 to ask for leave'].join('\n'),
  reminderButtonConfirm: () => '1 Confirm',
  reminderButtonLeave: () => '2 Leave',
  reminderConfirmed: (p) => `Confirmed: project #${p.number} ${p.title}, shift ${p.label} (${p.time}). On site, send "/checkin ${p.number} <code>". Thank you!`,
  reminderLeft: (p) => `Leave granted: your sign-up for shift ${p.label} of project #${p.number} is cancelled. Thanks for telling us!`,
  reminderAskAgain: (p) => `Project #${p.number}, shift ${p.label} (${p.time}): reply 1 to confirm, 2 to ask for leave`,
  reminderGone: (p) => `Your sign-up for shift ${p.label} of project #${p.number} is already cancelled; no need to answer`,
  shiftMoved: (p) => `Shift ${p.label} of project #${p.number} ${p.title} has moved: ${p.time}${p.place ? `, ${p.place}` : ''}. I will remind you again; if you cannot come, send "/cancel ${p.number}"`,
  shiftCancelled: (p) => `Shift ${p.label} of project #${p.number} ${p.title} (${p.time}) is cancelled, and your sign-up with it. Thank you!`,
  remindSent: (p) => `Reminded again the ${plural(p.count, 'volunteer', 'volunteers')} of project #${p.number}, shift ${p.label} (${p.time}) who have not confirmed: ${p.names}`,
  remindNone: (p) => `All volunteers of project #${p.number}, shift ${p.label} (${p.time}) have confirmed`,
  remindOptedOut: () => ' (unsubscribed: will not get it)',
  unsubscribed: () => 'Unsubscribed: no more reminders or notices in private. Send "/subscribe" to get them again',
  subscribed: () => 'Subscribed: reminders and notices will come in private again. Send "/unsubscribe" to stop them',
  checkinCode: (p) =>
    `Check-in code for project #${p.number}, shift ${p.label} (${p.time}): ${p.code}\nValid until ${p.until}; a new one every ${plural(p.minutes, 'minute', 'minutes')}. Volunteers send "/checkin ${p.number} ${p.code}" on site`,
  checkinCodePrivately: () => 'I sent you the check-in code in private (codes are never posted in a group)',
  checkedIn: (p) => `Checked in: project #${p.number}, shift ${p.label}, ${p.at}. When you leave, send "/checkout ${p.number}"`,
  checkedOut: (p) => `Checked out: project #${p.number}, shift ${p.label}, ${plural(p.hours, 'hour', 'hours')}, counted once a community worker approves them`,
  attendanceMarked: (p) => `Marked "${p.name}" present: project #${p.number}, shift ${p.label}`,
  attendanceMarkedToVolunteer: (p) => `A community worker marked you present: project #${p.number} ${p.title}, shift ${p.label}. Thank you!`,
  hoursApproved: (p) => `Approved ${plural(p.count, 'hours entry', 'hours entries')} of project #${p.number}, ${plural(p.hours, 'hour', 'hours')} in all; the volunteers are told`,
  hoursNoneToApprove: (p) => `Project #${p.number} has no hours waiting for approval`,
  hoursApprovedToVolunteer: (p) => `Your ${plural(p.hours, 'volunteer hour', 'volunteer hours')} for project #${p.number} ${p.title} ${Number(p.hours) === 1 ? 'is' : 'are'} approved: ${plural(p.total, 'hour', 'hours')} in all${p.stars ? ` ${p.stars}` : ''}`,
  meHours: (p) => `Volunteer hours: ${p.approved} approved${p.stars ? ` ${p.stars}` : ''}${p.pending ? `, ${p.pending} waiting for approval` : ''}${p.next ? ` (${p.next} more for ${p.nextStars})` : ''}`,
  projectClosed: (p) => `Project #${p.number} ${p.title} is closed${p.groups ? `; residents of ${plural(p.groups, 'group', 'groups')} are asked for feedback` : ''}`,
  closeFeedbackAsk: (p) => `[Project closed] #${p.number} ${p.title} is done. Thank you all! Rate it: reply "/rate ${p.number} 1-5 comment", e.g. /rate ${p.number} 5 quick and kind`,
  evalHeader: (p) => `Evaluation of project #${p.number} ${p.title}:`,
  evalAttendance: (p) => `${plural(p.shifts, 'shift', 'shifts')}, ${p.signUps} signed up, ${p.attended} came, attendance ${p.rate}, ${plural(p.noShows, 'no-show', 'no-shows')}`,
  evalHours: (p) => `Volunteer hours: ${p.approved} approved, ${p.pending} waiting`,
  evalServed: (p) => (p.served === '' ? `People served: not entered (send "/served ${p.number} <count>")` : `People served: ${p.served}`),
  evalRating: (p) => (p.count ? `Residents' rating: ${p.average} (${people(p.count)})` : "Residents' rating: none yet"),
  evalComment: (p) => `· ${p.text}`,
  evaluationPrivately: () => 'I sent you the evaluation in private',
  rated: (p) => `Thank you for rating project #${p.number}: ${p.stars}${p.updated ? ' (your earlier rating is replaced)' : ''}`,
  servedSet: (p) => `Recorded people served for project #${p.number}: ${p.count}`,
  digestHeader: (p) => `[Weekly digest] ${p.community} (${p.from} to ${p.to})`,
  digestNeeds: (p) => (p.total ? `New needs: ${p.total} (${p.list})` : 'New needs: none'),
  digestProjects: (p) => (p.list ? `Projects waiting for you: ${p.list}` : 'Projects waiting for you: none'),
  digestClaims: (p) => (p.count ? `Claims to decide: ${p.count} (${p.list})` : 'Claims to decide: none'),
  digestSilent: (p) => (p.count ? `Volunteers who did not answer their reminder: ${p.count} (${p.list})` : 'Volunteers who did not answer their reminder: none'),
  digestHours: (p) => (p.count ? `Hours waiting for approval: ${plural(p.count, 'entry', 'entries')}, ${plural(p.hours, 'hour', 'hours')} (send "/approvehours <project>")` : 'Hours waiting for approval: none'),
  digestDraft: (p) => `drafts ${p.list}`,
  digestReview: (p) => `in review ${p.list}`,
  usage_checkout: () => 'Please give the project number, e.g. /checkout 3',
  usage_attend: () => 'Please give the project number and the volunteer’s name, e.g. /attend 3 Zhang',
  usage_approveHours: () => 'Please give the project number, e.g. /approvehours 3',
  usage_served: () => 'Please give the project number and the people served, e.g. /served 3 120',
  // Plain language (src/flows/understand.ts): one question with numbered choices when unsure.
  understandConfirm: (p) => `Do you want to ${p.what}? Reply 1 for yes, 2 for no`,
  understandChoose: (p) => `${p.question}\n${p.list}\nReply with a number; 0 for none of these`,
  understandChoice: (p) => `${p.n}. ${p.what}`,
  understandWhatNeed: (p) => `record the need "${p.text}"`,
  understandWhatUpvote: (p) => `+1 need #${p.number}${p.text ? ` "${p.text}"` : ''}`,
  understandWhatSignup: (p) => `sign up for project #${p.number} "${p.title}", shift ${p.label} (${p.time})`,
  understandWhatCancel: (p) => `cancel your sign-up for project #${p.number}${p.title ? ` "${p.title}"` : ''}`,
  understandWhatCheckin: (p) => `check in to project #${p.number}${p.title ? ` "${p.title}"` : ''}`,
  understandWhatRate: (p) => `rate project #${p.number} ${plural(p.rating, 'star', 'stars')}`,
  understandWhatProjects: () => 'see the projects open for sign-up',
  understandWhichSignup: () => 'Which one would you like to sign up for?',
  understandWhichCancel: () => 'Which sign-up would you like to cancel?',
  understandWhichCheckin: () => 'Which one are you checking in to?',
  understandNoShiftAt: (p) => `No shift found for ${p.when}. `,
  understandNoTwin: () => 'I found no need like this one. ',
  understandNoSignUps: () => 'You have no sign-ups right now. Send /projects to see what is open',
  understandDeclined: () => 'OK, nothing done. Say it another way, or send /help to see how',
  understandUrgent: () => 'If anyone is in danger, call 110 (police), 119 (fire) or 120 (ambulance) now!',
};

/** The refusals in English, one for every code (the type is the check). */
const enErrors: Record<ErrorCode, Message> = {
  PROJECT_NOT_OPEN: (p) => `Project #${p.number} is not open for sign-up yet`,
  NOT_CLAIMABLE: (p) => (p.kind === 'volunteers' ? `Project #${p.number} is for organisations to claim, not individual sign-up` : `Project #${p.number} takes individual sign-ups only, not claims`),
  ALREADY_CLAIMED: (p) => `"${p.name}" has already asked to claim project #${p.number}`,
  CLAIM_TAKEN: (p) => `Project #${p.number} has already been claimed`,
  CLAIM_NOT_FOUND: (p) => `There is no claim ${p.id}`,
  CLAIM_DECIDED: (p) => `Claim ${p.id} has already been decided`,
  BAD_TRANSITION: (p) => `Project #${p.number} cannot change that way now`,
  BROADCAST_NOT_FOUND: (p) => `There is no broadcast ${p.id}`,
  NO_GROUPS: () => 'No groups to publish to: groups must be bound to this community first',
  ORG_AMBIGUOUS: (p) => `You belong to several organisations; please name one: ${p.names}`,
  GROUP_NOT_BOUND: () => 'This group is not bound to a community; a community worker can send "/bind <code>"',
  COMMUNITY_NOT_FOUND: (p) => `No community with code ${p.code}; please check it`,
  NOT_A_WORKER: () => 'Only community workers of this community can do that. Ask your residents’ committee for help',
  NEED_NOT_FOUND: (p) => `There is no need #${p.number}; send /needs to see the numbers`,
  NEED_CLOSED: (p) => `Need #${p.number} is resolved or closed and cannot be supported`,
  ALREADY_SUPPORTED: (p) => `You already support need #${p.number} (${people(p.count)})`,
  TEXT_EMPTY: () => 'Please write the need after the command, e.g. /need the lift is broken',
  TEXT_TOO_LONG: (p) => `That message is too long (at most ${plural(p.max, 'character', 'characters')}); please split it`,
  RATE_LIMITED: () => 'You are sending too fast; please try again shortly',
  PROJECT_NOT_FOUND: (p) => `There is no project #${p.number}; send /projects to see the numbers`,
  PROJECT_CLOSED: (p) => `Project #${p.number} has ended`,
  ALREADY_SIGNED_UP: (p) => `You are already signed up for project #${p.number}`,
  SHIFT_FULL: () => 'That shift is full',
  SHIFT_NOT_FOUND: (p) => `Project #${p.number} has no such shift; check the shift letter`,
  NOT_SIGNED_UP: (p) => `You are not signed up for project #${p.number}`,
  ORG_NOT_FOUND: (p) => `No organisation named "${p.name}"; please check the name`,
  NOT_AN_ORG_MEMBER: () => 'Only members of that organisation can claim for it',
  INVALID_INPUT: () => 'Something in that was not right; please check and try again',
  CONFLICT: () => 'Someone changed this at the same moment; please try again',
  GROUP_BOUND_ELSEWHERE: (p) => `This group belongs to ${p.community}; only a worker of ${p.community} (or street or district staff over both communities) can move it`,
  CHECKIN_WRONG_CODE: (p) => `That check-in code is wrong. Check the 6 digits shown on site and send "/checkin ${p.number} <code>" again`,
  CHECKIN_EXPIRED_CODE: (p) => `That check-in code has expired (a new one every ${plural(p.minutes, 'minute', 'minutes')}); send the one shown on site now`,
  CHECKIN_NOT_SIGNED_UP: (p) => `You are not signed up for project #${p.number}, so you cannot check in. Sign up with "/signup ${p.number}" first`,
  CHECKIN_OUTSIDE_WINDOW: (p) => `It is not check-in time: for project #${p.number}, shift ${p.label}, check in between ${p.from} and ${p.to} on ${p.day}/${p.month}`,
  ALREADY_CHECKED_IN: (p) => `You already checked in (project #${p.number}, ${p.at})`,
  NOT_CHECKED_IN: (p) => `You have not checked in to project #${p.number}, so you cannot check out`,
  ALREADY_CHECKED_OUT: (p) => `You already checked out of project #${p.number}`,
  NO_SHIFT_NOW: (p) => `Project #${p.number} has no shift going on or about to start`,
  NO_UPCOMING_SHIFT: (p) => `Project #${p.number} has no shift still to come`,
  VOLUNTEER_NOT_FOUND: (p) => `Nobody called "${p.name}" is signed up for project #${p.number}`,
  VOLUNTEER_AMBIGUOUS: (p) => `More than one "${p.name}" is signed up for project #${p.number}; mark them in the console`,
  HOURS_NOT_FOUND: (p) => `There is no hours entry ${p.id}`,
  SIGNUP_NOT_FOUND: (p) => `There is no sign-up ${p.id}`,
  HOURS_DECIDED: (p) => `Hours entry ${p.id} is already decided; it can only be corrected`,
  HOURS_NOT_APPROVED: (p) => `Hours entry ${p.id} is not approved yet; approve or reject it first`,
  PROJECT_NOT_RATEABLE: (p) => `Project #${p.number} has not started yet, so it cannot be rated`,
};

let toTraditional: ((s: string) => string) | undefined;
function traditional(s: string): string {
  const convert = (toTraditional ??= Converter({ from: 'cn', to: 'tw' }));
  return convert(s);
}

/**
 * Renders a message. For Traditional Chinese only the wording is converted, never the values put
 * into it: a community's name or a resident's words stay as written.
 */
function render(locale: Locale, simplified: Message, english: Message, params: Params): string {
  if (locale === 'en') return english(params);
  if (locale === 'zh-Hans') return simplified(params);
  const names = Object.keys(params);
  const slots = Object.fromEntries(names.map((n, i) => [n, params[n] === '' ? '' : `\u0001${i}\u0002`]));
  const converted = traditional(simplified(slots));
  return converted.replace(/\u0001(\d+)\u0002/g, (_m, i: string) => String(params[names[Number(i)] ?? ''] ?? ''));
}

/** One message in the person's language. Pure. */
export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  return render(locale, (zhHans as Catalog)[key], en[key], params);
}

/** The refusal for an error code, in the person's language (chat, console and API alike). Pure. */
export function errorText(locale: Locale, code: ErrorCode, details: Params = {}): string {
  return render(locale, zhHansErrors[code], enErrors[code], details);
}

const latinWords = /[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})/;
const leadingSlashCommand = /^\/\S+/;

/**
 * The language a text's script suggests, for someone who has not chosen one: Traditional
 * characters → zh-Hant; English words (two or more, a slash command aside) → en; else zh-Hans.
 */
export function localeOfScript(script: Script, normalizedText: string): Locale {
  if (script === 'hant') return 'zh-Hant';
  if (script === 'latin' && latinWords.test(normalizedText.replace(leadingSlashCommand, ''))) return 'en';
  return 'zh-Hans';
}

/**
 * The "sorry, please try again" line for a message whose processing failed before the person
 * (and their chosen language) was known: in the language the raw text's script suggests. Takes
 * the raw, unvalidated text (anything that is not a string reads as Simplified Chinese). Pure.
 */
export function apologyFor(rawText: unknown): string {
  if (typeof rawText !== 'string') return t('zh-Hans', 'internalError');
  const norm = normalizeText(rawText.slice(0, 200), { botNames: [] });
  return t(localeOfScript(norm.script, norm.text), 'internalError');
}

/** A need category as residents see it. */
export function labelOf(category: string, locale: Locale): string {
  return categoryLabel(isNeedCategory(category) ? category : 'other', locale);
}
