import type { CommandMenu } from '../../bots/types.ts';
import { bindTurn, helpTurn, languageTurn } from '../group-admin.ts';
import type { Locale } from '../messages.ts';
import { askForNeed, listNeedsTurn, reportNeedTurn, upvoteTurn } from '../need-intake.ts';
import {
  parseAddShift,
  parseAttend,
  parseCancelShift,
  parseBind,
  parseCheckin,
  parseClaim,
  parseDecline,
  parseLanguage,
  parseMakeProject,
  parseMoveShift,
  parseNeedOutcome,
  parseNeedText,
  parseNumber,
  parsePublish,
  parseRate,
  parseReferNeed,
  parseServed,
  parseSignup,
  parsePropose,
  parseNumbers,
  parseReview,
  parseProgress,
  parseTicket,
  parseTicketAnswer,
  parseTicketRating,
  parseTicketText,
} from '../parse/arguments.ts';
import { cancelTurn, claimTurn, decideClaimTurn, listProjectsTurn, meTurn, publishTurn, signUpTurn } from '../projects.ts';
import { answerTicketTurn, closeTicketTurn, humanTurn, rateTicketTurn } from '../tickets.ts';
import { needOutcomeTurn, needStatusTurn } from '../need-answers.ts';
import { swapTurn, takeOverTurn } from '../substitutes.ts';
import { addShiftTurn, cancelShiftTurn, makeProjectTurn, moveShiftTurn, todoTurn } from '../project-admin.ts';
import type { Turn } from '../turn.ts';
import {
  approveHoursTurn,
  attendTurn,
  checkinCodeTurn,
  checkinTurn,
  checkoutTurn,
  closeTurn,
  rateTurn,
  remindTurn,
  servedTurn,
  subscriptionTurn,
} from '../volunteering.ts';
import {
  askForProposal,
  closeVotingTurn,
  listProposalsTurn,
  myBallotTurn,
  openVotingTurn,
  progressTurn,
  proposeTurn,
  reviewProposalTurn,
  unvoteTurn,
  voteTurn,
} from '../ventures.ts';
import { renderHelp, renderMenu, type HelpOptions } from './help.ts';
import { bare, withArguments, type ArgsOf, type CommandDeps, type CommandSpec } from './spec.ts';

/**
 * Every command a person can type (../shared/chat-contract.md), one entry each, after grammY's
 * `bot.command(word, handler)`: its words in each language and script, its argument parser, its
 * handler, who it is for, its usage and help lines and its menu line. The parser's word tables,
 * the router's dispatch, help and the Telegram menu are all derived from this table, in its order
 * (which is the order help lists the commands in). A command that is not built has no entry: its
 * words are ordinary text. Adding a command is adding an entry, its handler and its messages.
 */
export const commands = {
  need: withArguments({
    words: { 'zh-Hans': ['需求', '提需求', '报需求'], 'zh-Hant': ['需求', '提需求', '報需求'], en: ['need'] },
    who: 'anyone',
    parse: parseNeedText,
    separated: true,
    usage: 'usage_need',
    askForArguments: askForNeed,
    help: { line: 'help_need', inGroup: true },
    menu: 'menu_need',
    // `需求 12`, a number only, looks the need up instead (chat contract).
    run: (turn, { text, lookup }) => (lookup === undefined ? reportNeedTurn(turn, text) : needStatusTurn(turn, lookup)),
  }),
  /** Also `+1 N`: the parser reads that form itself (it needs a space or `#` before the number). */
  upvote: withArguments({
    words: { 'zh-Hans': ['同求'], 'zh-Hant': ['同求'], en: ['upvote'] },
    who: 'anyone',
    parse: parseNumber,
    usage: 'usage_upvote',
    help: { line: 'help_upvote', inGroup: true },
    menu: 'menu_upvote',
    run: (turn, { number }) => upvoteTurn(turn, number),
  }),
  needs: bare({
    words: {
      'zh-Hans': ['需求清单', '需求列表', '需求 清单', '需求 列表'],
      'zh-Hant': ['需求清單', '需求列表', '需求 清單', '需求 列表'],
      en: ['needs'],
    },
    who: 'anyone',
    help: { line: 'help_needs', inGroup: true },
    menu: 'menu_needs',
    run: (turn) => listNeedsTurn(turn),
  }),
  projects: bare({
    words: {
      'zh-Hans': ['项目', '项目清单', '项目列表', '项目 清单', '项目 列表'],
      'zh-Hant': ['項目', '項目清單', '項目列表', '項目 清單', '項目 列表'],
      en: ['projects', 'project'],
    },
    who: 'anyone',
    help: { line: 'help_projects', inGroup: true },
    menu: 'menu_projects',
    run: (turn) => listProjectsTurn(turn),
  }),
  signup: withArguments({
    words: { 'zh-Hans': ['报名', '我要报名'], 'zh-Hant': ['報名', '我要報名'], en: ['signup'] },
    who: 'anyone',
    parse: parseSignup,
    usage: 'usage_signup',
    help: { line: 'help_signup', inGroup: true },
    menu: 'menu_signup',
    run: (turn, { number, shift }) => signUpTurn(turn, number, shift),
  }),
  cancel: withArguments({
    words: { 'zh-Hans': ['取消报名', '取消'], 'zh-Hant': ['取消報名', '取消'], en: ['cancel'] },
    everyday: ['取消'],
    who: 'anyone',
    parse: parseNumber,
    usage: 'usage_cancel',
    help: { line: 'help_cancel', inGroup: false },
    menu: 'menu_cancel',
    run: (turn, { number }) => cancelTurn(turn, number),
  }),
  // Substitutes: a confirmed volunteer offers their place; the first to accept takes it.
  swap: withArguments({
    words: { 'zh-Hans': ['找人替班', '找人代班'], 'zh-Hant': ['找人替班', '找人代班'], en: ['swap'] },
    who: 'anyone',
    parse: parseSignup,
    usage: 'usage_substitute',
    help: { line: 'help_substitute', inGroup: false },
    run: (turn, { number, shift }) => swapTurn(turn, number, shift),
  }),
  takeOver: withArguments({
    words: { 'zh-Hans': ['接班', '我来接班'], 'zh-Hant': ['接班', '我來接班'], en: ['takeover'] },
    // `接班` is an everyday word too (接班人): it counts only with a project number.
    everyday: ['接班'],
    who: 'anyone',
    parse: parseSignup,
    usage: 'usage_takeOver',
    help: { line: 'help_substitute', inGroup: false },
    run: (turn, { number, shift }) => takeOverTurn(turn, number, shift),
  }),
  claim: withArguments({
    words: { 'zh-Hans': ['认领'], 'zh-Hant': ['認領'], en: ['claim'] },
    who: 'anyone',
    parse: parseClaim,
    usage: 'usage_claim',
    help: { line: 'help_claim', inGroup: false },
    menu: 'menu_claim',
    run: (turn, { number, org }) => claimTurn(turn, number, org),
  }),
  checkin: withArguments({
    words: { 'zh-Hans': ['签到'], 'zh-Hant': ['簽到'], en: ['checkin'] },
    who: 'anyone',
    parse: parseCheckin,
    usage: 'usage_checkin',
    help: { line: 'help_checkin', inGroup: true },
    menu: 'menu_checkin',
    run: (turn, { number, code }) => checkinTurn(turn, number, code),
  }),
  checkout: withArguments({
    words: { 'zh-Hans': ['签退'], 'zh-Hant': ['簽退'], en: ['checkout'] },
    who: 'anyone',
    parse: parseNumber,
    usage: 'usage_checkout',
    help: { line: 'help_checkin', inGroup: true },
    run: (turn, { number }) => checkoutTurn(turn, number),
  }),
  rate: withArguments({
    words: { 'zh-Hans': ['评价', '打分'], 'zh-Hant': ['評價', '打分'], en: ['rate'] },
    who: 'anyone',
    parse: parseRate,
    usage: 'usage_rate',
    help: { line: 'help_rate', inGroup: true },
    menu: 'menu_rate',
    run: (turn, { number, rating, comment }) => rateTurn(turn, number, rating, comment),
  }),
  me: bare({
    words: { 'zh-Hans': ['我的', '我的报名', '我的记录'], 'zh-Hant': ['我的', '我的報名', '我的記錄'], en: ['me'] },
    who: 'anyone',
    help: { line: 'help_me', inGroup: true },
    menu: 'menu_me',
    run: (turn) => meTurn(turn),
  }),
  unsubscribe: bare({
    words: { 'zh-Hans': ['退订', '取消订阅'], 'zh-Hant': ['退訂', '取消訂閱'], en: ['unsubscribe'] },
    who: 'anyone',
    help: { line: 'help_subscribe', inGroup: true },
    run: (turn) => subscriptionTurn(turn, true),
  }),
  subscribe: bare({
    words: { 'zh-Hans': ['订阅'], 'zh-Hant': ['訂閱'], en: ['subscribe'] },
    who: 'anyone',
    help: { line: 'help_subscribe', inGroup: true },
    run: (turn) => subscriptionTurn(turn, false),
  }),
  language: withArguments({
    words: { 'zh-Hans': ['语言', '切换语言'], 'zh-Hant': ['語言', '切換語言'], en: ['lang', 'language'] },
    who: 'anyone',
    parse: parseLanguage,
    usage: 'usage_language',
    help: { line: 'help_language', inGroup: false },
    run: (turn, { locale }, deps) => languageTurn(turn, locale, deps.people),
  }),
  help: bare({
    words: {
      'zh-Hans': ['帮助', '菜单', '使用说明', '?', '？'],
      'zh-Hant': ['幫助', '菜單', '使用說明', '?', '？'],
      en: ['help', 'start', 'menu'],
    },
    who: 'anyone',
    help: { line: 'help_help', inGroup: false },
    menu: 'menu_help',
    run: (turn) => helpTurn(turn, helpText),
  }),
  // Community workers' commands (the role is checked in core).
  bind: withArguments({
    words: { 'zh-Hans': ['绑定', '绑定社区'], 'zh-Hant': ['綁定', '綁定社區'], en: ['bind'] },
    who: 'worker',
    parse: parseBind,
    usage: 'usage_bind',
    help: { line: 'help_bind', inGroup: true },
    run: (turn, { code, building }, deps) => bindTurn(turn, code, building, deps.groups),
  }),
  publish: withArguments({
    words: { 'zh-Hans': ['发布'], 'zh-Hant': ['發佈'], en: ['publish'] },
    who: 'worker',
    parse: parsePublish,
    usage: 'usage_publish',
    help: { line: 'help_publish', inGroup: true },
    run: (turn, { number, groups }) => publishTurn(turn, number, groups),
  }),
  approveClaim: withArguments({
    words: { 'zh-Hans': ['同意认领', '批准认领'], 'zh-Hant': ['同意認領', '批准認領'], en: ['approve'] },
    who: 'worker',
    parse: parseNumber,
    usage: 'usage_approveClaim',
    help: { line: 'help_decideClaim', inGroup: false },
    run: (turn, { number }) => decideClaimTurn(turn, number, true),
  }),
  declineClaim: withArguments({
    words: { 'zh-Hans': ['拒绝认领', '不同意认领'], 'zh-Hant': ['拒絕認領', '不同意認領'], en: ['decline'] },
    who: 'worker',
    parse: parseDecline,
    usage: 'usage_declineClaim',
    help: { line: 'help_decideClaim', inGroup: false },
    run: (turn, { number, reason }) => decideClaimTurn(turn, number, false, reason),
  }),
  remind: withArguments({
    words: { 'zh-Hans': ['提醒'], 'zh-Hant': ['提醒'], en: ['remind'] },
    who: 'worker',
    parse: parseNumber,
    usage: 'usage_remind',
    help: { line: 'help_remind', inGroup: true },
    run: (turn, { number }) => remindTurn(turn, number),
  }),
  close: withArguments({
    words: { 'zh-Hans': ['结项'], 'zh-Hant': ['結項'], en: ['close'] },
    who: 'worker',
    parse: parseNumber,
    usage: 'usage_close',
    help: { line: 'help_remind', inGroup: true },
    run: (turn, { number }) => closeTurn(turn, number),
  }),
  checkinCode: withArguments({
    words: { 'zh-Hans': ['签到码'], 'zh-Hant': ['簽到碼'], en: ['code'] },
    who: 'worker',
    parse: parseNumber,
    usage: 'usage_checkinCode',
    help: { line: 'help_checkinCode', inGroup: true },
    run: (turn, { number }) => checkinCodeTurn(turn, number),
  }),
  attend: withArguments({
    words: { 'zh-Hans': ['补签'], 'zh-Hant': ['補簽'], en: ['attend'] },
    who: 'worker',
    parse: parseAttend,
    usage: 'usage_attend',
    help: { line: 'help_attend', inGroup: true },
    run: (turn, { number, name }) => attendTurn(turn, number, name),
  }),
  approveHours: withArguments({
    words: { 'zh-Hans': ['通过时长', '审核时长'], 'zh-Hant': ['通過時長', '審核時長'], en: ['approvehours'] },
    who: 'worker',
    parse: parseNumber,
    usage: 'usage_approveHours',
    help: { line: 'help_attend', inGroup: true },
    run: (turn, { number }) => approveHoursTurn(turn, number),
  }),
  served: withArguments({
    words: { 'zh-Hans': ['受益', '受益人次'], 'zh-Hant': ['受益', '受益人次'], en: ['served'] },
    who: 'worker',
    parse: parseServed,
    usage: 'usage_served',
    help: { line: 'help_served', inGroup: true },
    run: (turn, { number, count }) => servedTurn(turn, number, count),
  }),
  // 微创投: residents propose and vote; workers review, open and close the vote, report progress.
  propose: withArguments({
    words: { 'zh-Hans': ['提案', '我要提案'], 'zh-Hant': ['提案', '我要提案'], en: ['propose'] },
    who: 'anyone',
    parse: parsePropose,
    separated: true,
    usage: 'usage_propose',
    askForArguments: askForProposal,
    help: { line: 'help_propose', inGroup: false },
    menu: 'menu_propose',
    run: (turn, { title, description, yuan }) => proposeTurn(turn, title, description, yuan),
  }),
  proposals: bare({
    words: {
      'zh-Hans': ['提案清单', '提案列表', '提案 清单', '提案 列表'],
      'zh-Hant': ['提案清單', '提案列表', '提案 清單', '提案 列表'],
      en: ['proposals'],
    },
    who: 'anyone',
    help: { line: 'help_proposals', inGroup: false },
    menu: 'menu_proposals',
    run: (turn) => listProposalsTurn(turn),
  }),
  vote: withArguments({
    words: { 'zh-Hans': ['投票'], 'zh-Hant': ['投票'], en: ['vote'] },
    who: 'anyone',
    parse: parseNumbers,
    usage: 'usage_vote',
    help: { line: 'help_vote', inGroup: false },
    menu: 'menu_vote',
    run: (turn, { numbers }) => voteTurn(turn, numbers),
  }),
  unvote: withArguments({
    words: { 'zh-Hans': ['撤销投票', '取消投票'], 'zh-Hant': ['撤銷投票', '取消投票'], en: ['unvote'] },
    who: 'anyone',
    parse: parseNumber,
    usage: 'usage_unvote',
    help: { line: 'help_vote', inGroup: false },
    run: (turn, { number }) => unvoteTurn(turn, number),
  }),
  myBallot: bare({
    words: { 'zh-Hans': ['我的投票', '我的选票'], 'zh-Hant': ['我的投票', '我的選票'], en: ['myvote', 'ballot'] },
    who: 'anyone',
    help: { line: 'help_vote', inGroup: false },
    run: (turn) => myBallotTurn(turn),
  }),
  reviewProposal: withArguments({
    words: { 'zh-Hans': ['审核提案'], 'zh-Hant': ['審核提案'], en: ['review'] },
    who: 'worker',
    parse: parseReview,
    usage: 'usage_reviewProposal',
    help: { line: 'help_reviewProposal', inGroup: false },
    run: (turn, { number, approve, reason }) => reviewProposalTurn(turn, number, approve, reason),
  }),
  openVoting: bare({
    words: { 'zh-Hans': ['开始投票'], 'zh-Hant': ['開始投票'], en: ['openvote'] },
    who: 'worker',
    help: { line: 'help_ventureRound', inGroup: false },
    run: (turn) => openVotingTurn(turn),
  }),
  closeVoting: bare({
    words: { 'zh-Hans': ['结束投票'], 'zh-Hant': ['結束投票'], en: ['closevote'] },
    who: 'worker',
    help: { line: 'help_ventureRound', inGroup: false },
    run: (turn) => closeVotingTurn(turn),
  }),
  progress: withArguments({
    words: { 'zh-Hans': ['提案进度'], 'zh-Hant': ['提案進度'], en: ['progress'] },
    who: 'worker',
    parse: parseProgress,
    usage: 'usage_progress',
    help: { line: 'help_ventureRound', inGroup: false },
    run: (turn, { number, percent, note }) => progressTurn(turn, number, percent, note),
  }),
  // Tickets: a resident asks for a person, a worker answers through the bot (chat contract).
  human: withArguments({
    words: { 'zh-Hans': ['转人工', '联系社工', '找社工', '人工服务'], 'zh-Hant': ['轉人工', '聯繫社工', '找社工', '人工服務'], en: ['human'] },
    who: 'anyone',
    parse: parseTicketText,
    usage: 'usage_human',
    // A group's help must fit one phone screen (in English too): listed in private.
    help: { line: 'help_human', inGroup: false },
    menu: 'menu_human',
    run: (turn, { text }) => humanTurn(turn, text),
  }),
  rateTicket: withArguments({
    words: { 'zh-Hans': ['评价工单'], 'zh-Hant': ['評價工單'], en: ['rateticket'] },
    who: 'anyone',
    parse: parseTicketRating,
    usage: 'usage_rateTicket',
    help: { line: 'help_rateTicket', inGroup: false },
    run: (turn, { number, rating }) => rateTicketTurn(turn, number, rating),
  }),
  /** Also the resident's follow-up on their own ticket. */
  answerTicket: withArguments({
    words: { 'zh-Hans': ['回复'], 'zh-Hant': ['回覆'], en: ['reply'] },
    who: 'worker',
    parse: parseTicketAnswer,
    usage: 'usage_answerTicket',
    help: { line: 'help_tickets', inGroup: false },
    run: (turn, { number, text }) => answerTicketTurn(turn, number, text),
  }),
  closeTicket: withArguments({
    words: { 'zh-Hans': ['结束', '结束工单'], 'zh-Hant': ['結束', '結束工單'], en: ['endticket'] },
    everyday: ['结束'],
    who: 'worker',
    parse: parseTicket,
    usage: 'usage_closeTicket',
    help: { line: 'help_tickets', inGroup: false },
    run: (turn, { number }) => closeTicketTurn(turn, number),
  }),
  // Needs answered: an outcome with a reason; the supporters are told in private.
  needOutcome: withArguments({
    words: { 'zh-Hans': ['处理需求', '答复需求'], 'zh-Hant': ['處理需求', '答覆需求'], en: ['outcome'] },
    who: 'worker',
    parse: parseNeedOutcome,
    usage: 'usage_needOutcome',
    help: { line: 'help_needOutcome', inGroup: false },
    run: (turn, args) => needOutcomeTurn(turn, args),
  }),
  referNeed: withArguments({
    words: { 'zh-Hans': ['转交'], 'zh-Hant': ['轉交'], en: ['refer'] },
    who: 'worker',
    parse: parseReferNeed,
    usage: 'usage_referNeed',
    help: { line: 'help_needOutcome', inGroup: false },
    run: (turn, args) => needOutcomeTurn(turn, args),
  }),
  // Projects and shifts from the chat, and what waits for a worker.
  makeProject: withArguments({
    words: { 'zh-Hans': ['立项'], 'zh-Hant': ['立項'], en: ['makeproject'] },
    who: 'worker',
    parse: parseMakeProject,
    usage: 'usage_makeProject',
    help: { line: 'help_makeProject', inGroup: false },
    run: (turn, { needs, title }) => makeProjectTurn(turn, needs, title),
  }),
  addShift: withArguments({
    words: { 'zh-Hans': ['加班次', '添加班次'], 'zh-Hant': ['加班次', '添加班次'], en: ['addshift'] },
    who: 'worker',
    parse: parseAddShift,
    separated: true,
    usage: 'usage_addShift',
    help: { line: 'help_makeProject', inGroup: false },
    run: (turn, args) => addShiftTurn(turn, args),
  }),
  moveShift: withArguments({
    words: { 'zh-Hans': ['改班次', '修改班次'], 'zh-Hant': ['改班次', '修改班次'], en: ['moveshift'] },
    who: 'worker',
    parse: parseMoveShift,
    separated: true,
    usage: 'usage_moveShift',
    help: { line: 'help_makeProject', inGroup: false },
    run: (turn, args) => moveShiftTurn(turn, args),
  }),
  cancelShift: withArguments({
    words: { 'zh-Hans': ['取消班次'], 'zh-Hant': ['取消班次'], en: ['cancelshift'] },
    who: 'worker',
    parse: parseCancelShift,
    separated: true,
    usage: 'usage_cancelShift',
    help: { line: 'help_makeProject', inGroup: false },
    run: (turn, args) => cancelShiftTurn(turn, args),
  }),
  todo: bare({
    words: { 'zh-Hans': ['待办', '待办事项'], 'zh-Hant': ['待辦', '待辦事項'], en: ['todo'] },
    who: 'worker',
    help: { line: 'help_todo', inGroup: false },
    run: (turn) => todoTurn(turn),
  }),
} satisfies Record<string, CommandSpec>;

/** Every command's name. */
export type CommandKind = keyof typeof commands;

type Flat<T> = { [P in keyof T]: T[P] };

/** A command as parsed: its kind and the arguments its entry's parser read. JSON-safe. */
export type ParsedCommand = { [K in CommandKind]: Flat<{ kind: K } & ArgsOf<(typeof commands)[K]>> }[CommandKind];

/**
 * What a person typed, read (chat contract, "Commands"). JSON-safe. `usage` means the command
 * word was there but its arguments were missing or wrong; `exact` means the text was only the word.
 */
export type Command = ParsedCommand | { kind: 'usage'; command: CommandKind; exact: boolean };

/** The entries with their names, in the registry's order. */
export const commandEntries: ReadonlyArray<readonly [CommandKind, CommandSpec]> = Object.entries(commands) as Array<[CommandKind, CommandSpec]>;

/**
 * Runs a parsed command: its entry's handler with the parsed arguments, or for `usage` the
 * entry's usage line (or its question, for a bare `需求`).
 */
export async function runCommand(turn: Turn, command: Command, deps: CommandDeps): Promise<void> {
  if (command.kind === 'usage') {
    const spec: CommandSpec = commands[command.command];
    // A word without arguments has no usage line: its only form is the whole text.
    if (spec.parse === undefined) return spec.run(turn, {}, deps);
    if (spec.askForArguments) return spec.askForArguments(turn);
    turn.reply(turn.say(spec.usage));
    return;
  }
  const { kind, ...args } = command;
  // The entry of `kind` parsed these very arguments, so its handler takes them.
  const spec: CommandSpec = commands[kind];
  return spec.run(turn, args, deps);
}

/** The help text (see {@link renderHelp}): what `帮助` answers, and the welcome in a bound group. */
export function helpText(locale: Locale, opts: HelpOptions): string {
  return renderHelp(locale, Object.values(commands), opts);
}

/**
 * The platform `/` menus: Simplified Chinese by default, English for people whose app is in
 * English. For the app to hand to adapters (Telegram's setMyCommands). JSON-safe.
 */
export function commandMenus(): CommandMenu[] {
  const specs = Object.values(commands);
  return [{ commands: renderMenu('zh-Hans', specs) }, { language: 'en', commands: renderMenu('en', specs) }];
}

/**
 * Runs command `kind` with arguments already read (plain language, src/flows/understand.ts): the
 * entry's own handler, so what happens, and every role check in core, is what the typed command does.
 */
export async function runCommandKind<K extends CommandKind>(turn: Turn, kind: K, args: ArgsOf<(typeof commands)[K]>, deps: CommandDeps): Promise<void> {
  const spec: CommandSpec = commands[kind];
  return spec.run(turn, args, deps);
}
