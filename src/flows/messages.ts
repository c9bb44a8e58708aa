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
  shiftCancelled: (p) => `项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}）取消了${p.reason ? `（${p.reason}）` : ''}，你的报名也一并取消。谢谢关心！`,
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
  // 微创投: proposals, votes, results, progress (src/flows/ventures.ts, src/notices/venture-announce.ts).
  help_propose: () => '提案 标题；内容；预算 2000 —— 微创投：提一个小项目，邻居投票，入选的给资助',
  help_proposals: () => '提案清单 —— 看本轮微创投的提案',
  help_vote: () => '投票 编号 / 撤销投票 编号 / 我的投票 —— 给微创投提案投票',
  help_reviewProposal: () => '审核提案 编号 通过|不通过 原因 —— 审核微创投提案',
  help_ventureRound: () => '开始投票 / 结束投票 / 提案进度 编号 50% 说明 —— 微创投投票和项目进展',
  menu_propose: () => '微创投提案：/propose 标题；内容；预算 2000',
  menu_proposals: () => '本轮微创投的提案',
  menu_vote: () => '给提案投票：/vote 2',
  usage_propose: () => '请按「提案 标题；内容；预算 2000」来写，例如：提案 楼道图书角；在3号楼一层放书架和椅子；预算 2000',
  usage_vote: () => '请写上提案编号，例如：投票 2，也可以一次投几个：投票 2 5（发送「提案清单」查看编号）',
  usage_unvote: () => '请写上提案编号，例如：撤销投票 2',
  usage_reviewProposal: () => '请写上提案编号和结果，例如：审核提案 2 通过，或：审核提案 3 不通过 预算超出范围',
  usage_progress: () => '请写上提案编号和进度，例如：提案进度 1 50% 书架已装好',
  proposeAskTitle: () => '好的，我们一步一步来。提案的标题是什么？（例如：楼道图书角）',
  proposeAskText: () => '请简单说说要做什么、怎么做：',
  proposeAskBudget: () => '需要多少钱（元）？例如：2000',
  proposeBadBudget: () => '请只写金额（元），例如：2000',
  proposalSubmitted: (p) => `已收到提案 #${p.number}「${p.title}」，申请 ${p.yuan} 元。社区审核后会私聊告诉你结果`,
  proposalToWorkers: (p) => `新的微创投提案 #${p.number}「${p.title}」（申请 ${p.yuan} 元，提案人 ${p.person}）。回复「审核提案 ${p.number} 通过」或「审核提案 ${p.number} 不通过 原因」`,
  proposalApproved: (p) => `你的提案 #${p.number}「${p.title}」已通过审核，投票开始后邻居们就能给它投票了`,
  proposalDeclined: (p) => `你的提案 #${p.number}「${p.title}」没有通过审核：${p.reason}`,
  proposalReviewed: (p) => `已${p.approved ? '通过' : '不通过'}提案 #${p.number}「${p.title}」，已私聊告诉提案人`,
  proposalWon: (p) => `恭喜！你的提案 #${p.number}「${p.title}」以 ${p.votes} 票入选，获得资助 ${p.yuan} 元，已立为项目 #${p.project}。社区工作人员会和你联系`,
  proposalsHeader: (p) => `【${p.title}】提案（${p.phase}，总预算 ${p.budget} 元）：`,
  proposalsLine: (p) => `#${p.number} ${p.title} · ${p.yuan} 元${p.votes === '' ? '' : ` · ${p.votes} 票`}${p.status ? `（${p.status}）` : ''}`,
  proposalsEmpty: (p) => `「${p.title}」还没有可以看的提案${p.collecting ? '。发送「提案 标题；内容；预算 2000」提交一个' : ''}`,
  proposalStatus_submitted: () => '待审核',
  proposalStatus_declined: () => '未通过',
  proposalStatus_winner: () => '入选',
  proposalsVoteApproval: (p) => `投票请回复「投票 编号」，每人最多 ${p.max} 票`,
  proposalsVoteKnapsack: (p) => `投票请回复「投票 编号」，所选提案合计不超过 ${p.budget} 元`,
  votedApproval: (p) => `已投票给提案 ${p.list}。你还剩 ${p.left} 票`,
  votedKnapsack: (p) => `已投票给提案 ${p.list}，共选了 ${p.spent} 元，还可以再选 ${p.left} 元`,
  voteNotCountingYet: (p) => `（还要再选至少 ${p.yuan} 元，你的选票才有效）`,
  unvotedApproval: (p) => `已撤销对提案 #${p.number} 的投票。你还剩 ${p.left} 票`,
  unvotedKnapsack: (p) => `已撤销对提案 #${p.number} 的投票，还可以再选 ${p.left} 元`,
  ballotHeader: (p) => `你在「${p.title}」的投票：`,
  ballotLine: (p) => `#${p.number} ${p.title} · ${p.yuan} 元`,
  ballotEmpty: () => '你还没有投票。发送「提案清单」看看有哪些提案',
  ballotLeftApproval: (p) => `还剩 ${p.left} 票`,
  ballotLeftKnapsack: (p) => `已选 ${p.spent} 元，还可以再选 ${p.left} 元`,
  ballotPrivately: () => '你的投票已私聊发给你',
  phase_draft: () => '筹备中',
  phase_collecting: () => '征集提案',
  phase_reviewing: () => '审核提案',
  phase_voting: () => '投票中',
  phase_results: () => '公布结果',
  phase_tracking: () => '项目实施',
  phase_closed: () => '已结束',
  phaseChanged: (p) => `第 ${p.round} 轮「${p.title}」已进入「${p.phase}」阶段${p.groups ? '，已通知各群' : ''}`,
  votingClosed: (p) => `「${p.title}」投票已结束：${p.winners ? `入选 ${p.winners}` : '没有提案入选'}${p.groups ? '。结果已发到各群' : ''}`,
  progressAdded: (p) => `已记录提案 #${p.number} 的进度 ${p.percent}%${p.groups ? '，已发到各群' : ''}`,
  ventureCollecting: (p) => `【微创投】${p.title} 开始征集提案！总预算 ${p.budget} 元。有好点子就发送「提案 标题；内容；预算 金额」，例如：提案 楼道图书角；在3号楼一层放书架和椅子；预算 2000`,
  ventureReviewing: (p) => `【微创投】${p.title} 提案征集结束，社区正在审核，结果会私聊告诉提案人`,
  ventureVotingApproval: (p) => `【微创投】${p.title} 开始投票！发送「提案清单」看提案，回复「投票 编号」投票，每人最多 ${p.max} 票`,
  ventureVotingKnapsack: (p) =>
    `【微创投】${p.title} 开始投票！发送「提案清单」看提案，回复「投票 编号」投票：所选提案合计不超过 ${p.budget} 元${p.min ? `，至少选 ${p.min} 元选票才有效` : ''}`,
  ventureResultsHeader: (p) => `【微创投】${p.title} 投票结果：`,
  ventureResultsLine: (p) => `#${p.number} ${p.title} · ${p.votes} 票 · ${p.yuan} 元${p.project ? ` · 入选（项目 #${p.project}）` : ''}`,
  ventureResultsNone: () => '这一轮没有提案入选',
  ventureResultsMore: (p) => `共 ${p.total} 个提案，入选 ${p.winners} 个。完整排名请发送「提案清单」`,
  ventureTracking: (p) => `【微创投】${p.title} 的入选项目开始实施，进展会在群里通报`,
  ventureNextPhase: (p) => `（${p.at} 起进入「${phaseZh(p.phase)}」阶段）`,
  ventureClosed: (p) => `【微创投】${p.title} 已结束，谢谢大家参与！`,
  ventureProgress: (p) => `【微创投进展】提案 #${p.number}「${p.title}」${p.project ? `（项目 #${p.project}）` : ''}完成 ${p.percent}%${p.milestone ? `，达成里程碑「${p.milestone}」` : ''}${p.note ? `：${p.note}` : ''}`,
  // Tickets (转人工), urgent words, needs answered, projects and shifts from the chat, 待办.
  help_human: () => '转人工 内容 —— 找社区工作人员（如：转人工 家里老人想咨询低保）',
  help_tickets: () => '回复 T编号 内容 / 结束 T编号 —— 私聊答复、办结居民的工单',
  help_rateTicket: () => '评价工单 T编号 1-5 —— 给社区工作人员的服务打分',
  help_needOutcome: () => '处理需求 编号 已解决|不予处理|转交 谁 说明 —— 答复需求，通知同求的居民',
  help_makeProject: () => '立项 需求编号 标题 / 加班次 / 改班次 / 取消班次 —— 从需求立项、安排班次',
  help_todo: () => '待办 —— 待审核的认领和时长、未结束的工单、一周没答复的需求',
  menu_human: () => '找社区工作人员：/human 想咨询的事',
  usage_human: () => '请写上想找社区工作人员说的事，例如：转人工 家里老人想咨询低保',
  usage_answerTicket: () => '请写上工单号和答复，例如：回复 T3 明天上午会有人上门',
  usage_closeTicket: () => '请写上工单号，例如：结束 T3',
  usage_rateTicket: () => '请写上工单号和 1-5 分，例如：评价工单 T3 5',
  usage_needOutcome: () => '请写上需求编号、结果和说明，例如：处理需求 12 已解决 灯已换好；处理需求 12 不予处理 不属于社区管理范围；处理需求 12 转交 物业公司 已报修',
  usage_referNeed: () => '请写上需求编号和转交给谁，例如：转交 12 物业公司 已报修',
  usage_makeProject: () => '请写上需求编号和项目标题，例如：立项 12,15 楼道灯维修',
  usage_addShift: () => '请写上项目编号、时间、人数和地点，例如：加班次 3 12月20日 9:00-11:00 3人 3号楼门口',
  usage_moveShift: () => '请写上项目编号、班次字母和新时间，例如：改班次 3 A 12月21日 9:00-11:00',
  usage_cancelShift: () => '请写上项目编号、班次字母和原因，例如：取消班次 3 B 天气原因',
  ticketOpenedInGroup: (p) => `已转给社区工作人员（工单 ${p.ticket}），工作人员会私聊联系你。个人情况请私聊说，不要发在群里`,
  ticketOpenedInPrivate: (p) => `已转给社区工作人员（工单 ${p.ticket}），他们的答复会在这里发给你`,
  ticketToWorkers: (p) => `【工单 ${p.ticket}】${p.person}${p.group ? `在「${p.group}」群` : '私聊'}说：${p.text}\n回复「回复 ${p.ticket} 内容」答复（私聊发给居民），办完发「结束 ${p.ticket}」`,
  urgentToWorkers: (p) => `【紧急 ${p.ticket}】${p.person}${p.group ? `在「${p.group}」群` : '私聊'}说：${p.text}\n已提示拨打 ${p.call}。请马上联系处理，回复「回复 ${p.ticket} 内容」；10 分钟没人回复会上报街道`,
  ticketEscalated: (p) => `【紧急工单上报】${p.community} ${p.ticket}：${p.person}${p.group ? `在「${p.group}」群` : '私聊'}说：${p.text}\n社区 ${p.minutes} 分钟没人回复，请协调处理`,
  ticketAnswer: (p) => `【社区回复 ${p.ticket}】${p.worker}：${p.text}\n还有问题请发「回复 ${p.ticket} 内容」`,
  ticketFollowUp: (p) => `【工单 ${p.ticket}】${p.person} 补充：${p.text}\n回复「回复 ${p.ticket} 内容」`,
  ticketClosedRate: (p) => `工单 ${p.ticket} 已办结，谢谢你的耐心。请给这次服务打分：直接回复 1-5（5 分最满意），或发「评价工单 ${p.ticket} 5」`,
  ticketAnswered: (p) => `已把答复私聊发给 ${p.person}（工单 ${p.ticket}）`,
  ticketFollowUpSent: (p) => `已转给社区工作人员（工单 ${p.ticket}）`,
  ticketClosed: (p) => `工单 ${p.ticket} 已结束，已请 ${p.person} 评价`,
  ticketRated: (p) => `谢谢评价：工单 ${p.ticket} ${p.stars}${p.updated ? '（已更新你之前的评价）' : ''}`,
  ticketRateAgain: (p) => `请回复 1-5 给工单 ${p.ticket} 打分（5 分最满意）`,
  ticketAnswerInPrivate: () => '工单请私聊我回复：居民的个人情况不在群里说',
  urgent_fire: () => '⚠️ 如有火情，请立即拨打 119，马上离开到安全的地方，不要乘电梯',
  urgent_gas: () => '⚠️ 闻到燃气味：不要开关电器、不要打火，开窗通风，到室外拨打 119 或燃气公司电话',
  urgent_medical: () => '⚠️ 有人受伤或身体不适，请立即拨打 120 急救电话；摔倒的老人不要急着扶起',
  urgent_police: () => '⚠️ 有人走失或遇到危险，请立即拨打 110 报警',
  urgent_help: () => '⚠️ 紧急情况请立即拨打 110（报警）、119（火警）或 120（急救）',
  urgentNotified: (p) => `已通知社区工作人员（工单 ${p.ticket}）`,
  needOutcomeSet: (p) => `已把需求 #${p.number} 标为「${p.status}」，已私聊告诉 ${p.count} 位同求的居民`,
  needOutcomeToSupporter: (p) =>
    p.outcome === 'resolved'
      ? `你支持的需求 #${p.number} 已解决${p.note ? `：${p.note}` : ''}。谢谢关心！`
      : p.outcome === 'rejected'
        ? `你支持的需求 #${p.number} 社区暂不处理：${p.note}。有问题可以发「转人工 内容」`
        : `你支持的需求 #${p.number} 已转交${p.to}${p.note ? `：${p.note}` : ''}`,
  needStatusLine: (p) => `需求 #${p.number}（${p.label}）：${p.status}`,
  needStatusText: (p) => `内容：${p.text}`,
  needStatusSupport: (p) => `${p.count} 人同求 · ${p.date} 登记`,
  needHistory: () => '进展：',
  needHistoryProject: (p) => `· 立项：项目 #${p.number}「${p.title}」`,
  needHistoryOutcome: (p) => `· ${p.date} ${p.status}${p.note ? `：${p.note}` : ''}`,
  needHistoryMerged: (p) => `· 已合并到需求 #${p.into}`,
  need_open: () => '待解决',
  need_in_project: () => '已立项',
  need_merged: () => '已合并',
  need_resolved: () => '已解决',
  need_rejected: () => '不予处理',
  need_referred: () => '已转交',
  projectDrafted: (p) => `已立项：项目 #${p.number}「${p.title}」（草稿${p.needs ? `，来自需求 ${p.needs}` : ''}）。接着发「加班次 ${p.number} 12月20日 9:00-11:00 3人 地点」加班次，再发「发布 ${p.number}」`,
  askProjectTitle: (p) => `请回复项目标题（来自需求 ${p.needs}），例如：楼道灯维修`,
  shiftAdded: (p) => `已给项目 #${p.number} 加班次 ${p.label}：${p.time}${p.place ? ` · ${p.place}` : ''} · 招 ${p.capacity} 人${p.nextDay ? '（结束在第二天）' : ''}`,
  shiftMovedDone: (p) => `已把项目 #${p.number} 班次 ${p.label} 改到 ${p.time}，已通知 ${p.count} 位志愿者`,
  shiftCancelledDone: (p) => `已取消项目 #${p.number} 班次 ${p.label}${p.reason ? `（${p.reason}）` : ''}，已通知 ${p.count} 位志愿者`,
  shiftTimeWrong: (p) =>
    `${
      {
        format: '班次时间没看懂',
        start: '开始时间没看懂',
        end: '结束时间没看懂',
        endNotAfterStart: '结束时间要晚于开始时间',
        endBeforeStart: '结束时间早于开始时间',
        tooLong: '一个班次最长 24 小时，更长的请分成几个班次',
        past: '这个时间已经过去了',
      }[p.problem as string] ?? '班次时间没看懂'
    }。可以写「12月20日 9:00-11:00」「周六上午」「明天下午两点到四点」，跨夜写「12月20日 22:00-06:00」`,
  todoHeader: (p) => `待办（${p.community}）：`,
  todoClaims: (p) => `认领待审核 ${p.count} 个：${p.list}`,
  todoHours: (p) => `志愿时长待审核 ${p.count} 条：${p.list}`,
  todoTickets: (p) => `未结束的工单 ${p.count} 个：${p.list}`,
  todoNeeds: (p) => `一周没答复的需求 ${p.count} 条：${p.list}`,
  todoNothing: () => '没有待办，辛苦了！',
  todoPrivately: () => '待办已私聊发给你',
  // Substitutes (找人替班 / 接班) and volunteers who went quiet. Conditions test a value's presence
  // (a count of 0 is passed as ''), never compare it: Traditional renders the wording with placeholders.
  help_substitute: () => '找人替班 编号 [班次] / 接班 编号 —— 去不了时找人替你，或接下别人的班',
  usage_substitute: () => '请写上项目编号（报了几个班次时加上班次字母），例如：找人替班 3，或 找人替班 3 B',
  usage_takeOver: () => '请写上项目编号，例如：接班 3',
  substituteAsked: (p) =>
    `好的，开始为项目 #${p.number} 班次 ${p.label}（${p.time}）找人替班：${
      p.waitlisted ? `先私聊问了候补的 ${p.waitlisted} 位邻居，${p.minutes} 分钟内没人接就发到各群` : '已发到社区各群'
    }。有人接班前名额还是你的，接班后会私聊告诉你`,
  substituteAlready: (p) => `项目 #${p.number} 班次 ${p.label} 已经在找人替班了，有人接班会私聊告诉你`,
  substituteWhich: (p) => `你报了项目 #${p.number} 的 ${p.labels} 几个班次，请说是哪个，例如：找人替班 ${p.number} ${p.first}`,
  substituteOffer: (p) =>
    `【找人替班】项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}${p.place ? `，${p.place}` : ''}）有位志愿者来不了。你在候补名单上，想接班请回复「接班 ${p.number}」，先到先得`,
  substituteGroupOffer: (p) =>
    `【找人替班】项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}${p.place ? `，${p.place}` : ''}）有位志愿者来不了，谁能接班？发「接班 ${p.number}」，先到先得`,
  tookOver: (p) => `接班成功：项目 #${p.number}「${p.title}」，班次 ${p.label}（${p.time}${p.place ? `，${p.place}` : ''}）。谢谢你！活动前会私聊提醒你`,
  substituteFound: (p) => `${p.name} 接了你在项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}）的班，你的报名已取消。谢谢你提前说！`,
  silentToWorkers: (p) =>
    `【未回复提醒】项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}）：${p.names} 没有回复活动提醒${
      p.released ? `，名额已让给候补${p.promoted ? `（${p.promoted} 人递补）` : '（没有候补）'}` : '，请联系确认'
    }`,
  silentReleased: (p) => `你没有回复项目 #${p.number}「${p.title}」班次 ${p.label}（${p.time}）的活动提醒，名额已让给候补的邻居。还想参加请发「报名 ${p.number}」`,
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
  NOT_AN_ADMIN: () => '只有本社区的管理员可以这样做',
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
  NO_ROUND: () => '本社区现在没有微创投活动',
  ROUND_NOT_FOUND: (p) => `没有找到第 ${p.number} 轮微创投`,
  ROUND_PHASE: (p) => `第 ${p.number} 轮现在是「${phaseZh(p.from)}」阶段，不能改为「${phaseZh(p.to)}」`,
  PLANNED_IN_PAST: () => '计划的时间已经过去了，请写一个以后的时间',
  PLANNED_OUT_OF_ORDER: (p) => `「${phaseZh(p.phase)}」的时间要排在「${phaseZh(p.other)}」${phaseAfter(p.phase, p.other) ? '之后' : '之前'}`,
  NOT_COLLECTING: (p) => `现在不收提案（第 ${p.round} 轮：${phaseZh(p.phase)}）`,
  NOT_REVIEWING: (p) => `投票开始后就不能再审核提案了（第 ${p.round} 轮：${phaseZh(p.phase)}）`,
  NOT_TRACKING: (p) => `投票结束后才能登记进度（第 ${p.round} 轮：${phaseZh(p.phase)}）`,
  PROPOSAL_NOT_FOUND: (p) => `没有找到提案 #${p.number}，发送「提案清单」查看编号`,
  PROPOSAL_OVER_BUDGET: (p) => `申请 ${p.yuan} 元超过了本轮总预算 ${p.budget} 元，请少一些`,
  PROPOSAL_NOT_ON_BALLOT: (p) => `提案 #${p.number} 没有通过审核，不能投票`,
  PROPOSAL_NOT_WINNER: (p) => `提案 #${p.number} 没有入选，没有项目进度可记`,
  REASON_NEEDED: () => '不通过要写上原因，例如：审核提案 3 不通过 预算超出范围',
  VOTING_NOT_OPEN: (p) => `现在不是投票时间（第 ${p.round} 轮：${phaseZh(p.phase)}）`,
  MAY_NOT_VOTE: () => '投票开始后才来的新账号不能参加这一轮投票',
  NOT_SEEN_HERE: () => '只有在本社区的群里出现过的居民才能参加这一轮投票',
  ALREADY_VOTED: (p) => `你已经投过提案 #${p.number} 了，同一个提案只能投一票`,
  NOT_VOTED: (p) => `你没有投提案 #${p.number}`,
  VOTE_OVER_LIMIT: (p) => `每人最多投 ${p.max} 票，你还剩 ${p.left} 票。可以先「撤销投票 编号」再投`,
  VOTE_OVER_BUDGET: (p) => `超出预算：所选提案合计不能超过 ${p.budget} 元，你还可以选 ${p.left} 元`,
  TICKET_NOT_FOUND: (p) => `没有找到工单 T${p.number}`,
  TICKET_CLOSED: (p) => `工单 ${p.ticket} 已经结束了`,
  TICKET_NOT_CLOSED: (p) => `工单 ${p.ticket} 还没办结，办结后再评价`,
  NEED_MERGED: (p) => `需求 #${p.number} 已合并到需求 #${p.into}，请处理 #${p.into}`,
  SUBSTITUTE_TAKEN: (p) => `项目 #${p.number} 的这个班已经有人接了，谢谢你！`,
  NO_SUBSTITUTE: (p) => `项目 #${p.number} 现在没有要找人替的班。想参加请发「报名 ${p.number}」`,
  OWN_SUBSTITUTE: () => '这是你自己要找人替的班，有人接班会私聊告诉你',
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
  shiftCancelled: (p) => `Shift ${p.label} of project #${p.number} ${p.title} (${p.time}) is cancelled${p.reason ? ` (${p.reason})` : ''}, and your sign-up with it. Thank you!`,
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
  // 微创投: proposals, votes, results, progress.
  help_propose: () => '/propose title; what; budget 2000 — micro venture: propose a small project, neighbours vote, winners get a grant',
  help_proposals: () => "/proposals — this round's proposals",
  help_vote: () => '/vote <number> / /unvote <number> / /myvote — vote for proposals',
  help_reviewProposal: () => '/review <number> yes|no <reason> — review a proposal',
  help_ventureRound: () => '/openvote / /closevote / /progress <number> 50% <note> — run the vote and report progress',
  menu_propose: () => 'Propose a project: /propose title; what; budget 2000',
  menu_proposals: () => "This round's proposals",
  menu_vote: () => 'Vote for a proposal: /vote 2',
  usage_propose: () => 'Please write "/propose title; what; budget 2000", e.g. /propose Stairwell library; shelves and chairs on floor 1 of building 3; budget 2000',
  usage_vote: () => 'Please give the proposal number, e.g. /vote 2, or several: /vote 2 5 (send /proposals to see the numbers)',
  usage_unvote: () => 'Please give the proposal number, e.g. /unvote 2',
  usage_reviewProposal: () => 'Please give the proposal number and the decision, e.g. /review 2 yes, or /review 3 no over the budget',
  usage_progress: () => 'Please give the proposal number and the progress, e.g. /progress 1 50% shelves are up',
  proposeAskTitle: () => "Let's do it step by step. What is the proposal's title? (e.g. Stairwell library)",
  proposeAskText: () => 'Say briefly what you will do and how:',
  proposeAskBudget: () => 'How much money (yuan) does it need? e.g. 2000',
  proposeBadBudget: () => 'Please write only the amount in yuan, e.g. 2000',
  proposalSubmitted: (p) => `Proposal #${p.number} ${p.title} received, asking ¥${p.yuan}. You will hear in private once it is reviewed`,
  proposalToWorkers: (p) => `New proposal #${p.number} ${p.title} (¥${p.yuan}, by ${p.person}). Reply "/review ${p.number} yes" or "/review ${p.number} no <reason>"`,
  proposalApproved: (p) => `Your proposal #${p.number} ${p.title} is approved; neighbours can vote for it once voting opens`,
  proposalDeclined: (p) => `Your proposal #${p.number} ${p.title} was not approved: ${p.reason}`,
  proposalReviewed: (p) => `${p.approved ? 'Approved' : 'Declined'} proposal #${p.number} ${p.title}; the proposer is told in private`,
  proposalWon: (p) => `Congratulations! Your proposal #${p.number} ${p.title} won with ${plural(p.votes, 'vote', 'votes')} and gets ¥${p.yuan}; it is now project #${p.project}. A community worker will contact you`,
  proposalsHeader: (p) => `[${p.title}] proposals (${p.phase}, budget ¥${p.budget}):`,
  proposalsLine: (p) => `#${p.number} ${p.title} · ¥${p.yuan}${p.votes === '' ? '' : ` · ${plural(p.votes, 'vote', 'votes')}`}${p.status ? ` (${p.status})` : ''}`,
  proposalsEmpty: (p) => `${p.title} has no proposals to show yet${p.collecting ? '. Send "/propose title; what; budget 2000" to make one' : ''}`,
  proposalStatus_submitted: () => 'waiting for review',
  proposalStatus_declined: () => 'declined',
  proposalStatus_winner: () => 'winner',
  proposalsVoteApproval: (p) => `Vote with "/vote <number>", up to ${plural(p.max, 'vote', 'votes')} each`,
  proposalsVoteKnapsack: (p) => `Vote with "/vote <number>"; your choices may add up to ¥${p.budget}`,
  votedApproval: (p) => `Voted for proposal ${p.list}. ${plural(p.left, 'vote', 'votes')} left`,
  votedKnapsack: (p) => `Voted for proposal ${p.list}: ¥${p.spent} chosen, ¥${p.left} left`,
  voteNotCountingYet: (p) => ` (choose at least ¥${p.yuan} more for your ballot to count)`,
  unvotedApproval: (p) => `Your vote for proposal #${p.number} is taken back. ${plural(p.left, 'vote', 'votes')} left`,
  unvotedKnapsack: (p) => `Your vote for proposal #${p.number} is taken back; ¥${p.left} left`,
  ballotHeader: (p) => `Your ballot in ${p.title}:`,
  ballotLine: (p) => `#${p.number} ${p.title} · ¥${p.yuan}`,
  ballotEmpty: () => 'You have not voted yet. Send /proposals to see the proposals',
  ballotLeftApproval: (p) => `${plural(p.left, 'vote', 'votes')} left`,
  ballotLeftKnapsack: (p) => `¥${p.spent} chosen, ¥${p.left} left`,
  ballotPrivately: () => 'I sent you your ballot in private',
  phase_draft: () => 'in preparation',
  phase_collecting: () => 'collecting proposals',
  phase_reviewing: () => 'reviewing proposals',
  phase_voting: () => 'voting',
  phase_results: () => 'results',
  phase_tracking: () => 'projects under way',
  phase_closed: () => 'closed',
  phaseChanged: (p) => `Round ${p.round} ${p.title} is now ${p.phase}${p.groups ? '; the groups are told' : ''}`,
  votingClosed: (p) => `Voting in ${p.title} is closed: ${p.winners ? `winners ${p.winners}` : 'no proposal won'}${p.groups ? '. The results went to the groups' : ''}`,
  progressAdded: (p) => `Recorded ${p.percent}% progress for proposal #${p.number}${p.groups ? '; the groups are told' : ''}`,
  ventureCollecting: (p) => `[Micro venture] ${p.title} takes proposals! Budget ¥${p.budget}. Got an idea? Send "/propose title; what; budget <amount>", e.g. /propose Stairwell library; shelves and chairs on floor 1; budget 2000`,
  ventureReviewing: (p) => `[Micro venture] ${p.title}: proposals are closed and being reviewed; proposers will hear in private`,
  ventureVotingApproval: (p) => `[Micro venture] ${p.title}: voting is open! Send /proposals to see them and "/vote <number>" to vote, up to ${plural(p.max, 'vote', 'votes')} each`,
  ventureVotingKnapsack: (p) =>
    `[Micro venture] ${p.title}: voting is open! Send /proposals to see them and "/vote <number>" to vote; your choices may add up to ¥${p.budget}${p.min ? `, and must reach ¥${p.min} to count` : ''}`,
  ventureResultsHeader: (p) => `[Micro venture] ${p.title} results:`,
  ventureResultsLine: (p) => `#${p.number} ${p.title} · ${plural(p.votes, 'vote', 'votes')} · ¥${p.yuan}${p.project ? ` · winner (project #${p.project})` : ''}`,
  ventureResultsNone: () => 'No proposal won this round',
  ventureResultsMore: (p) => `${plural(p.total, 'proposal', 'proposals')} in all, ${p.winners} won. Send /proposals for the full ranking`,
  ventureTracking: (p) => `[Micro venture] The winning projects of ${p.title} are under way; progress will be posted here`,
  ventureNextPhase: (p) => `(moves to ${phaseEn(p.phase)} at ${p.at})`,
  ventureClosed: (p) => `[Micro venture] ${p.title} is over. Thank you all for taking part!`,
  ventureProgress: (p) => `[Micro venture progress] Proposal #${p.number} ${p.title}${p.project ? ` (project #${p.project})` : ''}: ${p.percent}% done${p.milestone ? `, milestone reached: ${p.milestone}` : ''}${p.note ? `: ${p.note}` : ''}`,
  help_human: () => '/human <text> — ask for a community worker (e.g. /human my father needs a home visit)',
  help_tickets: () => '/reply T<n> <text> / /endticket T<n> — answer and close a resident’s ticket in private',
  help_rateTicket: () => '/rateticket T<n> 1-5 — rate a community worker’s help',
  help_needOutcome: () => '/outcome <need> resolved|declined|refer <who> <note> — answer a need; its supporters are told',
  help_makeProject: () => '/makeproject <needs> <title> / /addshift / /moveshift / /cancelshift — projects and shifts from needs',
  help_todo: () => '/todo — claims and hours to approve, open tickets, needs unanswered for a week',
  menu_human: () => 'Ask for a community worker: /human <what about>',
  usage_human: () => 'Please say what it is about, e.g. /human my father needs a home visit',
  usage_answerTicket: () => 'Please give the ticket and your answer, e.g. /reply T3 someone will come tomorrow morning',
  usage_closeTicket: () => 'Please give the ticket, e.g. /endticket T3',
  usage_rateTicket: () => 'Please give the ticket and 1-5, e.g. /rateticket T3 5',
  usage_needOutcome: () => 'Please give the need, the outcome and a note, e.g. /outcome 12 resolved bulb replaced; /outcome 12 declined not the community’s to fix; /outcome 12 refer PropertyCo reported',
  usage_referNeed: () => 'Please give the need and who takes it, e.g. /refer 12 PropertyCo reported',
  usage_makeProject: () => 'Please give the needs and a title, e.g. /makeproject 12,15 Stairwell lights',
  usage_addShift: () => 'Please give the project, the time, how many people and the place, e.g. /addshift 3 2026-12-20 9:00-11:00 3人 Gate 3',
  usage_moveShift: () => 'Please give the project, the shift letter and the new time, e.g. /moveshift 3 A 2026-12-21 9:00-11:00',
  usage_cancelShift: () => 'Please give the project, the shift letter and a reason, e.g. /cancelshift 3 B weather',
  ticketOpenedInGroup: (p) => `Passed to the community workers (ticket ${p.ticket}); a worker will contact you in private. Please keep personal details out of the group`,
  ticketOpenedInPrivate: (p) => `Passed to the community workers (ticket ${p.ticket}); their answer will come here`,
  ticketToWorkers: (p) => `[Ticket ${p.ticket}] ${p.person}${p.group ? ` in group "${p.group}"` : ' in private'}: ${p.text}\nAnswer with "/reply ${p.ticket} <text>" (sent to the resident in private); when done, "/endticket ${p.ticket}"`,
  urgentToWorkers: (p) => `[URGENT ${p.ticket}] ${p.person}${p.group ? ` in group "${p.group}"` : ' in private'}: ${p.text}\nTold to call ${p.call}. Please act now and answer with "/reply ${p.ticket} <text>"; unanswered for 10 minutes, it goes to the street`,
  ticketEscalated: (p) => `[Urgent ticket escalated] ${p.community} ${p.ticket}: ${p.person}${p.group ? ` in group "${p.group}"` : ' in private'}: ${p.text}\nNo answer from the community for ${plural(p.minutes, 'minute', 'minutes')}; please coordinate`,
  ticketAnswer: (p) => `[Community answer ${p.ticket}] ${p.worker}: ${p.text}\nMore to ask? Send "/reply ${p.ticket} <text>"`,
  ticketFollowUp: (p) => `[Ticket ${p.ticket}] ${p.person} adds: ${p.text}\nAnswer with "/reply ${p.ticket} <text>"`,
  ticketClosedRate: (p) => `Ticket ${p.ticket} is done; thank you for your patience. Please rate the help: reply 1-5 (5 is best), or "/rateticket ${p.ticket} 5"`,
  ticketAnswered: (p) => `Sent your answer to ${p.person} in private (ticket ${p.ticket})`,
  ticketFollowUpSent: (p) => `Passed to the community workers (ticket ${p.ticket})`,
  ticketClosed: (p) => `Ticket ${p.ticket} is closed; ${p.person} is asked to rate it`,
  ticketRated: (p) => `Thank you for rating ticket ${p.ticket}: ${p.stars}${p.updated ? ' (your earlier rating is replaced)' : ''}`,
  ticketRateAgain: (p) => `Please reply 1-5 to rate ticket ${p.ticket} (5 is best)`,
  ticketAnswerInPrivate: () => 'Please answer tickets in private: residents’ personal matters stay out of groups',
  urgent_fire: () => '⚠️ If there is a fire, call 119 now and get to safety; do not use the lift',
  urgent_gas: () => '⚠️ Smell of gas: do not switch anything on or off, no flames, open the windows, and call 119 or the gas company from outside',
  urgent_medical: () => '⚠️ Someone hurt or unwell: call 120 for an ambulance now; do not rush to lift someone who fell',
  urgent_police: () => '⚠️ Someone missing or in danger: call 110 (police) now',
  urgent_help: () => '⚠️ In an emergency call 110 (police), 119 (fire) or 120 (ambulance) now',
  urgentNotified: (p) => `The community workers are told (ticket ${p.ticket})`,
  needOutcomeSet: (p) => `Need #${p.number} is now "${p.status}"; ${plural(p.count, 'supporter is', 'supporters are')} told in private`,
  needOutcomeToSupporter: (p) =>
    p.outcome === 'resolved'
      ? `Need #${p.number} you supported is resolved${p.note ? `: ${p.note}` : ''}. Thank you!`
      : p.outcome === 'rejected'
        ? `Need #${p.number} you supported will not be taken up by the community: ${p.note}. Questions? Send "/human <text>"`
        : `Need #${p.number} you supported has been passed to ${p.to}${p.note ? `: ${p.note}` : ''}`,
  needStatusLine: (p) => `Need #${p.number} (${p.label}): ${p.status}`,
  needStatusText: (p) => `Text: ${p.text}`,
  needStatusSupport: (p) => `${people(p.count)} · recorded ${p.date}`,
  needHistory: () => 'History:',
  needHistoryProject: (p) => `· project #${p.number} ${p.title}`,
  needHistoryOutcome: (p) => `· ${p.date} ${p.status}${p.note ? `: ${p.note}` : ''}`,
  needHistoryMerged: (p) => `· merged into need #${p.into}`,
  need_open: () => 'open',
  need_in_project: () => 'in a project',
  need_merged: () => 'merged',
  need_resolved: () => 'resolved',
  need_rejected: () => 'declined',
  need_referred: () => 'referred',
  projectDrafted: (p) => `Project #${p.number} ${p.title} made (draft${p.needs ? `, from needs ${p.needs}` : ''}). Add shifts with "/addshift ${p.number} 2026-12-20 9:00-11:00 3人 <place>", then "/publish ${p.number}"`,
  askProjectTitle: (p) => `Please reply with the project’s title (from needs ${p.needs}), e.g. Stairwell lights`,
  shiftAdded: (p) => `Shift ${p.label} added to project #${p.number}: ${p.time}${p.place ? ` · ${p.place}` : ''} · ${people(p.capacity)}${p.nextDay ? ' (ends the next day)' : ''}`,
  shiftMovedDone: (p) => `Shift ${p.label} of project #${p.number} moved to ${p.time}; ${plural(p.count, 'volunteer', 'volunteers')} told`,
  shiftCancelledDone: (p) => `Shift ${p.label} of project #${p.number} cancelled${p.reason ? ` (${p.reason})` : ''}; ${plural(p.count, 'volunteer', 'volunteers')} told`,
  shiftTimeWrong: (p) =>
    `${
      {
        format: 'I could not read the shift’s time',
        start: 'I could not read the start',
        end: 'I could not read the end',
        endNotAfterStart: 'The end must be after the start',
        endBeforeStart: 'The end is before the start',
        tooLong: 'A shift lasts at most 24 hours; split a longer one',
        past: 'That time has passed',
      }[p.problem as string] ?? 'I could not read the shift’s time'
    }. Write e.g. "2026-12-20 9:00-11:00", "12月20日 9:00-11:00"; overnight "2026-12-20 22:00-06:00"`,
  todoHeader: (p) => `To do (${p.community}):`,
  todoClaims: (p) => `Claims to decide: ${p.count} (${p.list})`,
  todoHours: (p) => `Hours to approve: ${p.count} (${p.list})`,
  todoTickets: (p) => `Open tickets: ${p.count} (${p.list})`,
  todoNeeds: (p) => `Needs unanswered for a week: ${p.count} (${p.list})`,
  todoNothing: () => 'Nothing waiting. Well done!',
  todoPrivately: () => 'I sent your to-do list in private',
  // Substitutes (/swap, /takeover) and volunteers who went quiet.
  help_substitute: () => '/swap N [shift] / /takeover N — find someone to take your place, or take someone else’s',
  usage_substitute: () => 'Please give the project number (and the shift letter if you have several), e.g. /swap 3 or /swap 3 B',
  usage_takeOver: () => 'Please give the project number, e.g. /takeover 3',
  substituteAsked: (p) =>
    `OK, looking for someone to take your place on shift ${p.label} of project #${p.number} (${p.time}): ${
      p.waitlisted
        ? `I asked the ${plural(p.waitlisted, 'person', 'people')} on the waitlist in private; if nobody takes it within ${plural(p.minutes, 'minute', 'minutes')} it goes to the groups`
        : 'I posted it in the community’s groups'
    }. The place is yours until someone takes it; I will tell you in private`,
  substituteAlready: (p) => `Shift ${p.label} of project #${p.number} is already looking for a substitute; I will tell you when someone takes it`,
  substituteWhich: (p) => `You are signed up for shifts ${p.labels} of project #${p.number}; which one? e.g. /swap ${p.number} ${p.first}`,
  substituteOffer: (p) =>
    `[Substitute wanted] Project #${p.number} ${p.title}, shift ${p.label} (${p.time}${p.place ? `, ${p.place}` : ''}): a volunteer cannot come. You are on the waitlist; to take the place reply "/takeover ${p.number}". First come, first served`,
  substituteGroupOffer: (p) =>
    `[Substitute wanted] Project #${p.number} ${p.title}, shift ${p.label} (${p.time}${p.place ? `, ${p.place}` : ''}): a volunteer cannot come. Who can take it? Send "/takeover ${p.number}". First come, first served`,
  tookOver: (p) => `It is yours: project #${p.number} ${p.title}, shift ${p.label} (${p.time}${p.place ? `, ${p.place}` : ''}). Thank you! I will remind you before it starts`,
  substituteFound: (p) => `${p.name} took your place on shift ${p.label} of project #${p.number} ${p.title} (${p.time}); your sign-up is cancelled. Thank you for telling us in time!`,
  silentToWorkers: (p) =>
    `[No answer to a reminder] Project #${p.number} ${p.title}, shift ${p.label} (${p.time}): ${p.names} did not answer the reminder${
      p.released ? `; the place went to the waitlist${p.promoted ? ` (${plural(p.promoted, 'person', 'people')} moved up)` : ' (nobody waiting)'}` : '; please check with them'
    }`,
  silentReleased: (p) => `You did not answer the reminder for shift ${p.label} of project #${p.number} ${p.title} (${p.time}), so your place went to the waitlist. To come after all, send "/signup ${p.number}"`,
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
  NOT_AN_ADMIN: () => 'Only an administrator of this community can do that',
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
  NO_ROUND: () => 'There is no micro venture round in this community now',
  ROUND_NOT_FOUND: (p) => `There is no micro venture round ${p.number}`,
  ROUND_PHASE: (p) => `Round ${p.number} is ${phaseEn(p.from)} and cannot move to ${phaseEn(p.to)}`,
  PLANNED_IN_PAST: () => 'That time has already passed; give a later one',
  PLANNED_OUT_OF_ORDER: (p) => `${phaseEn(p.phase)} must be planned ${phaseAfter(p.phase, p.other) ? 'after' : 'before'} ${phaseEn(p.other)}`,
  NOT_COLLECTING: (p) => `Proposals are not being taken now (round ${p.round}: ${phaseEn(p.phase)})`,
  NOT_REVIEWING: (p) => `Proposals cannot be reviewed once voting has opened (round ${p.round}: ${phaseEn(p.phase)})`,
  NOT_TRACKING: (p) => `Progress can be recorded after the vote (round ${p.round}: ${phaseEn(p.phase)})`,
  PROPOSAL_NOT_FOUND: (p) => `There is no proposal #${p.number}; send /proposals to see the numbers`,
  PROPOSAL_OVER_BUDGET: (p) => `¥${p.yuan} is more than the round's whole budget of ¥${p.budget}; please ask for less`,
  PROPOSAL_NOT_ON_BALLOT: (p) => `Proposal #${p.number} was not approved and cannot be voted for`,
  PROPOSAL_NOT_WINNER: (p) => `Proposal #${p.number} did not win, so it has no project progress`,
  REASON_NEEDED: () => 'A decline needs a reason, e.g. /review 3 no over the budget',
  VOTING_NOT_OPEN: (p) => `Voting is not open now (round ${p.round}: ${phaseEn(p.phase)})`,
  MAY_NOT_VOTE: () => 'Accounts first seen after voting opened cannot vote in this round',
  NOT_SEEN_HERE: () => "Only residents seen in this community's groups can vote in this round",
  ALREADY_VOTED: (p) => `You already voted for proposal #${p.number}; one vote per proposal`,
  NOT_VOTED: (p) => `You have not voted for proposal #${p.number}`,
  VOTE_OVER_LIMIT: (p) => `Up to ${plural(p.max, 'vote', 'votes')} each; you have ${p.left} left. Take one back with "/unvote <number>" first`,
  VOTE_OVER_BUDGET: (p) => `Over the budget: your choices may add up to ¥${p.budget}; ¥${p.left} is left`,
  TICKET_NOT_FOUND: (p) => `There is no ticket T${p.number}`,
  TICKET_CLOSED: (p) => `Ticket ${p.ticket} is already closed`,
  TICKET_NOT_CLOSED: (p) => `Ticket ${p.ticket} is not closed yet; rate it once it is`,
  NEED_MERGED: (p) => `Need #${p.number} was merged into need #${p.into}; please answer #${p.into}`,
  SUBSTITUTE_TAKEN: (p) => `Someone has already taken that place in project #${p.number}. Thank you all the same!`,
  NO_SUBSTITUTE: (p) => `Nobody in project #${p.number} is looking for a substitute now. To join, send "/signup ${p.number}"`,
  OWN_SUBSTITUTE: () => 'That is the place you offered yourself; I will tell you in private when someone takes it',
};

/** A 微创投 round's phase as the refusals name it (the same words as the `phase_*` messages). */
function phaseZh(phase: string | number | undefined): string {
  return phaseWord(phase, 'zh-Hans');
}
function phaseEn(phase: string | number | undefined): string {
  return phaseWord(phase, 'en');
}
/** Whether `phase` comes after `other` in a round (for a plan out of order). */
function phaseAfter(phase: string | number | undefined, other: string | number | undefined): boolean {
  const order = ['draft', 'collecting', 'reviewing', 'voting', 'results', 'tracking', 'closed'];
  return order.indexOf(String(phase)) > order.indexOf(String(other));
}
function phaseWord(phase: string | number | undefined, locale: 'zh-Hans' | 'en'): string {
  const key = `phase_${String(phase)}`;
  const table = (locale === 'en' ? en : zhHans) as Partial<Record<string, Message>>;
  return table[key]?.({}) ?? String(phase);
}

let toTraditional: ((s: string) => string) | undefined;
function traditional(s: string): string {
  const convert = (toTraditional ??= Converter({ from: 'cn', to: 'tw' }));
  return convert(s);
}

/** Simplified Chinese text in Traditional characters (OpenCC, Taiwan standard), as the catalogue's own wording is. Pure. */
export function inTraditional(simplified: string): string {
  return traditional(simplified);
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
