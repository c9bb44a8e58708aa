import { parseChineseNumber, parseItemNumber } from './normalize.ts';

/**
 * A command a person typed (chat contract, "Commands"). JSON-safe. `usage` means the command word
 * was there but its arguments were missing or wrong; `exact` means the text was only the word.
 */
export type Command =
  | { kind: 'need'; text: string }
  | { kind: 'upvote'; number: number }
  | { kind: 'needs' }
  | { kind: 'projects' }
  | { kind: 'signup'; number: number; shift?: string }
  | { kind: 'cancel'; number: number }
  | { kind: 'claim'; number: number; org?: string }
  | { kind: 'checkin'; number: number; code: string }
  | { kind: 'checkinCode'; number: number }
  | { kind: 'checkout'; number: number }
  | { kind: 'attend'; number: number; name: string }
  | { kind: 'approveHours'; number: number }
  | { kind: 'served'; number: number; count: number }
  | { kind: 'rate'; number: number; rating: number; comment: string }
  | { kind: 'vote'; number: number }
  | { kind: 'me' }
  | { kind: 'help' }
  | { kind: 'bind'; code: string; building?: string }
  | { kind: 'publish'; number: number; groups: string[] }
  | { kind: 'remind'; number: number }
  | { kind: 'close'; number: number }
  | { kind: 'approveClaim'; number: number }
  | { kind: 'declineClaim'; number: number; reason: string }
  | { kind: 'unsubscribe' }
  | { kind: 'subscribe' }
  | { kind: 'language'; locale: 'zh-Hans' | 'zh-Hant' | 'en' }
  | { kind: 'usage'; command: Exclude<Command['kind'], 'usage'>; exact: boolean };

/** Every command kind but `usage`. */
export type CommandKind = Exclude<Command['kind'], 'usage'>;

type Locale = Extract<Command, { kind: 'language' }>['locale'];

/** Reads the arguments (already trimmed, never empty); null when they do not fit. */
type ArgParser = (args: string) => Command | null;

// ---------------------------------------------------------------------------------------------
// Argument parsers. All regexes are anchored, with bounded or single-class quantifiers.

const SEPARATORS = /^[\s:,：，]+/;
const ONLY_SEPARATORS = /^[\s:,：，?？!！.。~～]*$/;
/** An item number at the start of the arguments, in any form {@link parseItemNumber} accepts. */
const ITEM_HEAD =
  /^(?:(?:#|no\.?|第)\s?)?(?:\d{1,7}|[零〇一二两兩三四五六七八九十百]{1,8})(?:\s?(?:号|號|个|個|项|項|条|條))?/i;
const SHIFT = /^(?:班次\s?|第\s?)?([A-Za-z]|\d{1,3}|[一二两三四五六七八九十]{1,3})\s?(?:班次|班|场)?$/;
const CHECKIN_CODE = /^(?:签到码|码|code)?\s?(\d{3})\s?(\d{3})$/i;
const RATING =
  /^(?:([1-5])(?!\d|\.\d)(?:\s?[星分])?|([一二两三四五])\s?[星分]|([一二三四五])(?=[\s,]|$)|([★☆]{1,10}))/;
const BIND_ARGS = /^([A-Za-z0-9]{2,32})(?:[\s,]+(.+))?$/s;
const GROUP_SPLIT = /[\s,，、;；]+/;
const TRAILING_QUESTION = /\s?[?？]+$/;
const COUNTER_WORD_END = /[个個项項条條]$/;
const ENDS_WITH_DIGIT = /\d$/;
const LATIN_LETTER = /^[A-Za-z]$/;
const ARG_BOUNDARY = /^[\s,，:：]$/;
const STARTS_WITH_DIGIT = /^\d/;
const STARTS_WITH_CN_NUMERAL = /^[一二两三四五六七八九十]/;

/** `报名 3?` reads as `报名 3`: the question mark is dropped where the arguments are not free text. */
function dropQuestion(args: string): string {
  return args.replace(TRAILING_QUESTION, '');
}

/** Splits an item number off the front: `{ number, rest }` (rest trimmed), or null. */
function takeItemNumber(args: string, letterMayFollow = false): { number: number; rest: string } | null {
  const m = ITEM_HEAD.exec(args);
  if (m === null) return null;
  let token = m[0];
  let number = parseItemNumber(token);
  if (number === null && COUNTER_WORD_END.test(token)) {
    // "3个人": the counter word belongs to what follows, not to the number.
    token = token.slice(0, -1).trimEnd();
    number = parseItemNumber(token);
  }
  if (number === null) return null;
  const next = args.charAt(token.length);
  const letterNext = letterMayFollow && LATIN_LETTER.test(next) && ENDS_WITH_DIGIT.test(token);
  if (next !== '' && !ARG_BOUNDARY.test(next) && !letterNext) return null;
  return { number, rest: args.slice(token.length).replace(SEPARATORS, '').trimEnd() };
}

function numberOnly(kind: 'upvote' | 'cancel' | 'checkinCode' | 'checkout' | 'approveHours' | 'vote' | 'remind' | 'close' | 'approveClaim'): ArgParser {
  return (args) => {
    const number = parseItemNumber(dropQuestion(args));
    return number === null ? null : { kind, number };
  };
}

const parseNeed: ArgParser = (args) => ({ kind: 'need', text: args });

/** `拒绝认领 7 [原因]`: the claim's number, then an optional reason in free text. */
const parseDecline: ArgParser = (args) => {
  const head = takeItemNumber(args);
  return head === null ? null : { kind: 'declineClaim', number: head.number, reason: head.rest };
};

const parseSignup: ArgParser = (args) => {
  const head = takeItemNumber(dropQuestion(args), true);
  if (head === null) return null;
  if (head.rest === '') return { kind: 'signup', number: head.number };
  const m = SHIFT.exec(head.rest);
  if (m === null) return null;
  const raw = m[1]!;
  let shift = raw.toUpperCase();
  if (STARTS_WITH_CN_NUMERAL.test(raw)) {
    const n = parseChineseNumber(raw);
    if (n === null || n === 0) return null;
    shift = String(n);
  } else if (STARTS_WITH_DIGIT.test(raw)) {
    const n = Number(raw);
    if (n === 0) return null;
    shift = String(n);
  }
  return { kind: 'signup', number: head.number, shift };
};

const parseClaim: ArgParser = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  return head.rest === '' ? { kind: 'claim', number: head.number } : { kind: 'claim', number: head.number, org: head.rest };
};

const parseCheckin: ArgParser = (args) => {
  const head = takeItemNumber(dropQuestion(args));
  if (head === null) return null;
  const m = CHECKIN_CODE.exec(head.rest);
  return m === null ? null : { kind: 'checkin', number: head.number, code: m[1]! + m[2]! };
};

/** `补签 3 张阿姨`: a project number, then the volunteer's name as the community knows it. */
const parseAttend: ArgParser = (args) => {
  const head = takeItemNumber(args);
  if (head === null || head.rest === '' || head.rest.length > 50) return null;
  return { kind: 'attend', number: head.number, name: head.rest };
};

const SERVED_COUNT = /^(\d{1,7})\s?(?:人次|人)?$/;
/** `受益 3 120`: a project number, then how many people were served (受益人次). */
const parseServed: ArgParser = (args) => {
  const head = takeItemNumber(dropQuestion(args));
  if (head === null) return null;
  const m = SERVED_COUNT.exec(head.rest);
  return m === null ? null : { kind: 'served', number: head.number, count: Number(m[1]) };
};

const parseRate: ArgParser = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  const m = RATING.exec(head.rest);
  if (m === null) return null;
  let rating: number;
  if (m[1] !== undefined) rating = Number(m[1]);
  else if (m[2] !== undefined || m[3] !== undefined) rating = parseChineseNumber((m[2] ?? m[3])!)!;
  else {
    rating = 0;
    for (const c of m[4]!) if (c === '★') rating++;
    if (rating < 1 || rating > 5) return null;
  }
  const comment = head.rest.slice(m[0].length).replace(SEPARATORS, '').trim();
  return { kind: 'rate', number: head.number, rating, comment };
};

const parseBind: ArgParser = (args) => {
  const m = BIND_ARGS.exec(dropQuestion(args));
  if (m === null) return null;
  const code = m[1]!.toUpperCase();
  const building = m[2]?.trim();
  return building ? { kind: 'bind', code, building } : { kind: 'bind', code };
};

const parsePublish: ArgParser = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  const groups = head.rest === '' ? [] : head.rest.split(GROUP_SPLIT).filter((g) => g.length > 0);
  return { kind: 'publish', number: head.number, groups };
};

const LOCALES: ReadonlyMap<string, Locale> = new Map<string, Locale>([
  ...['简体', '简体中文', '简', '简中', '中文', '普通话', 'zh', 'zh-cn', 'zh-hans', 'cn', 'chs', 'hans', 'chinese'].map(
    (w) => [w, 'zh-Hans'] as const,
  ),
  ...['繁体', '繁体中文', '繁', '繁中', '正体', '正体中文', 'tw', 'hk', 'zh-tw', 'zh-hk', 'zh-hant', 'cht', 'hant'].map(
    (w) => [w, 'zh-Hant'] as const,
  ),
  ...['english', 'en', 'eng', '英文', '英语'].map((w) => [w, 'en'] as const),
]);

const LOCALE_NOISE = /[\s_]+/g;
const LOCALE_ZH_PREFIX = /^zh(?=cn|hans|tw|hk|hant)/;

const parseLanguage: ArgParser = (args) => {
  const locale = LOCALES.get(dropQuestion(args).toLowerCase().replace(LOCALE_NOISE, '').replace(LOCALE_ZH_PREFIX, 'zh-'));
  return locale === undefined ? null : { kind: 'language', locale };
};

// ---------------------------------------------------------------------------------------------
// The vocabulary.

type BareKind = 'needs' | 'projects' | 'me' | 'help' | 'unsubscribe' | 'subscribe';

/** A command word that takes no arguments: it matches only as the whole text. */
interface BareWord {
  readonly kind: BareKind;
  readonly bare: true;
}

/** A command word followed by arguments. */
interface ArgWord {
  readonly kind: Exclude<CommandKind, BareKind>;
  readonly bare?: undefined;
  readonly parse: ArgParser;
  /**
   * An alias that is also an everyday word (`取消`): it counts only with well-formed arguments;
   * otherwise the text is chatter (null), never `usage`.
   */
  readonly quiet?: true;
  /** Needs a separator (space, `:` or `,`) after the word: `需求太多了` is chatter. */
  readonly separated?: true;
}

type WordSpec = BareWord | ArgWord;

const NEED: WordSpec = { kind: 'need', parse: parseNeed, separated: true };
const UPVOTE: WordSpec = { kind: 'upvote', parse: numberOnly('upvote') };
const NEEDS: WordSpec = { kind: 'needs', bare: true };
const PROJECTS: WordSpec = { kind: 'projects', bare: true };
const SIGNUP: WordSpec = { kind: 'signup', parse: parseSignup };
const CANCEL: WordSpec = { kind: 'cancel', parse: numberOnly('cancel') };
const CLAIM: WordSpec = { kind: 'claim', parse: parseClaim };
const CHECKIN: WordSpec = { kind: 'checkin', parse: parseCheckin };
const CHECKIN_CODE_CMD: WordSpec = { kind: 'checkinCode', parse: numberOnly('checkinCode') };
const CHECKOUT: WordSpec = { kind: 'checkout', parse: numberOnly('checkout') };
const ATTEND: WordSpec = { kind: 'attend', parse: parseAttend };
const APPROVE_HOURS: WordSpec = { kind: 'approveHours', parse: numberOnly('approveHours') };
const SERVED: WordSpec = { kind: 'served', parse: parseServed };
const RATE: WordSpec = { kind: 'rate', parse: parseRate };
const VOTE: WordSpec = { kind: 'vote', parse: numberOnly('vote') };
const ME: WordSpec = { kind: 'me', bare: true };
const HELP: WordSpec = { kind: 'help', bare: true };
const BIND: WordSpec = { kind: 'bind', parse: parseBind };
const PUBLISH: WordSpec = { kind: 'publish', parse: parsePublish };
const REMIND: WordSpec = { kind: 'remind', parse: numberOnly('remind') };
const CLOSE: WordSpec = { kind: 'close', parse: numberOnly('close') };
const APPROVE_CLAIM: WordSpec = { kind: 'approveClaim', parse: numberOnly('approveClaim') };
const DECLINE_CLAIM: WordSpec = { kind: 'declineClaim', parse: parseDecline };
const UNSUBSCRIBE: WordSpec = { kind: 'unsubscribe', bare: true };
const SUBSCRIBE: WordSpec = { kind: 'subscribe', bare: true };
const LANGUAGE: WordSpec = { kind: 'language', parse: parseLanguage };

/** Command words at the start of a message (Simplified only: normalisation converts Traditional). */
const WORDS: ReadonlyArray<readonly [string, WordSpec]> = [
  ['需求', NEED],
  ['提需求', NEED],
  ['报需求', NEED],
  ['同求', UPVOTE],
  ['需求清单', NEEDS],
  ['需求列表', NEEDS],
  ['需求 清单', NEEDS],
  ['需求 列表', NEEDS],
  ['项目', PROJECTS],
  ['项目清单', PROJECTS],
  ['项目列表', PROJECTS],
  ['项目 清单', PROJECTS],
  ['项目 列表', PROJECTS],
  ['报名', SIGNUP],
  ['我要报名', SIGNUP],
  ['取消报名', CANCEL],
  ['取消', { ...CANCEL, quiet: true }],
  ['认领', CLAIM],
  ['签到', CHECKIN],
  ['签到码', CHECKIN_CODE_CMD],
  ['签退', CHECKOUT],
  ['补签', ATTEND],
  ['通过时长', APPROVE_HOURS],
  ['审核时长', APPROVE_HOURS],
  ['受益', SERVED],
  ['受益人次', SERVED],
  ['评价', RATE],
  ['打分', RATE],
  ['投票', VOTE],
  ['我的', ME],
  ['我的报名', ME],
  ['帮助', HELP],
  ['菜单', HELP],
  ['使用说明', HELP],
  ['?', HELP],
  ['？', HELP],
  ['绑定', BIND],
  ['绑定社区', BIND],
  ['发布', PUBLISH],
  ['提醒', REMIND],
  ['结项', CLOSE],
  ['同意认领', APPROVE_CLAIM],
  ['批准认领', APPROVE_CLAIM],
  ['拒绝认领', DECLINE_CLAIM],
  ['不同意认领', DECLINE_CLAIM],
  ['退订', UNSUBSCRIBE],
  ['取消订阅', UNSUBSCRIBE],
  ['订阅', SUBSCRIBE],
  ['语言', LANGUAGE],
  ['切换语言', LANGUAGE],
];

/** Words by first character, longest first: `需求清单` is tried before `需求`. */
const WORDS_BY_FIRST: ReadonlyMap<string, ReadonlyArray<readonly [string, WordSpec]>> = (() => {
  const map = new Map<string, Array<readonly [string, WordSpec]>>();
  for (const entry of WORDS) {
    const first = entry[0].charAt(0);
    const list = map.get(first) ?? [];
    list.push(entry);
    map.set(first, list);
  }
  for (const list of map.values()) list.sort((a, b) => b[0].length - a[0].length);
  return map;
})();

/** Slash commands (case-insensitive), Telegram style. */
const SLASH: ReadonlyMap<string, WordSpec> = new Map<string, WordSpec>([
  ['need', NEED],
  ['upvote', UPVOTE],
  ['needs', NEEDS],
  ['projects', PROJECTS],
  ['project', PROJECTS],
  ['signup', SIGNUP],
  ['cancel', CANCEL],
  ['claim', CLAIM],
  ['approve', APPROVE_CLAIM],
  ['decline', DECLINE_CLAIM],
  ['checkin', CHECKIN],
  ['code', CHECKIN_CODE_CMD],
  ['checkout', CHECKOUT],
  ['attend', ATTEND],
  ['approvehours', APPROVE_HOURS],
  ['served', SERVED],
  ['rate', RATE],
  ['vote', VOTE],
  ['me', ME],
  ['help', HELP],
  ['start', HELP],
  ['menu', HELP],
  ['bind', BIND],
  ['publish', PUBLISH],
  ['remind', REMIND],
  ['close', CLOSE],
  ['unsubscribe', UNSUBSCRIBE],
  ['subscribe', SUBSCRIBE],
  ['lang', LANGUAGE],
  ['language', LANGUAGE],
]);

/** `/name`, an optional Telegram `@botname`, then the rest. */
const SLASH_COMMAND = /^\/([A-Za-z]{1,20})(?:@[A-Za-z0-9_]{1,64})?(?![A-Za-z])/;
const PLUS_ONE = '+1';
const DIGIT_OR_HASH = /^[0-9#]/;
const STARTS_WITH_SEPARATOR = /^[\s:,：，]/;

function usage(kind: CommandKind, exact: boolean): Command {
  return { kind: 'usage', command: kind, exact };
}

function runParser(spec: WordSpec, args: string, exact: boolean): Command | null {
  if (spec.bare === true) return { kind: spec.kind };
  if (args === '') return spec.quiet === true ? null : usage(spec.kind, exact);
  const command = spec.parse(args);
  if (command !== null) return command;
  return spec.quiet === true ? null : usage(spec.kind, false);
}

function parseSlash(text: string): Command | null | undefined {
  const m = SLASH_COMMAND.exec(text);
  if (m === null) return undefined;
  const spec = SLASH.get(m[1]!.toLowerCase());
  if (spec === undefined) return null;
  const rest = text.slice(m[0].length);
  const args = rest.replace(SEPARATORS, '').trim();
  // A slash command is explicit: its arguments need no separator (`/signup3`); bare ones ignore
  // theirs (Telegram's `/start <payload>`).
  return runParser(spec, args, ONLY_SEPARATORS.test(rest));
}

function parseWord(text: string): Command | null {
  if (text.startsWith(PLUS_ONE)) return parsePlusOne(text.slice(PLUS_ONE.length));
  const candidates = WORDS_BY_FIRST.get(text.charAt(0));
  if (candidates === undefined) return null;
  for (const [word, spec] of candidates) {
    if (!text.startsWith(word)) continue;
    const rest = text.slice(word.length);
    if (ONLY_SEPARATORS.test(rest)) return runParser(spec, '', true); // "帮助?", "报名"
    if (spec.bare === true) return null; // "项目经理说明天停水", "我的天"
    if (STARTS_WITH_SEPARATOR.test(rest)) return runParser(spec, rest.replace(SEPARATORS, '').trim(), false);
    if (spec.separated === true) return null; // "需求太多了"
    // No separator: "报名3", "同求#12", "报名第3个" count; "报名的人多吗" is chatter unless its
    // arguments happen to parse ("报名三号").
    if (DIGIT_OR_HASH.test(rest) || rest.startsWith('第')) return runParser(spec, rest.trim(), false);
    return spec.parse(rest.trim());
  }
  return null;
}

/** `+1` needs a space or `#` before the number: `+112` could be `+1 12` or `+11 2`. */
function parsePlusOne(rest: string): Command | null {
  if (ONLY_SEPARATORS.test(rest)) return usage('upvote', true);
  if (STARTS_WITH_SEPARATOR.test(rest) || rest.startsWith('#')) {
    return runParser(UPVOTE, rest.replace(SEPARATORS, '').trim(), false);
  }
  if (STARTS_WITH_DIGIT.test(rest)) return usage('upvote', false);
  return null;
}

/**
 * Parses a command from normalised text (see `normalizeText`). A command word counts only at the
 * start; bare words (`项目`, `我的`, ...) only as the whole text. Returns null for chatter, for
 * the `1`/`2` answers to a reminder (the flow reads those from session state) and for unknown
 * slash commands. Pure; JSON-safe result.
 */
export function parseCommand(text: string): Command | null {
  const t = text.trim();
  if (t === '') return null;
  if (t.charAt(0) === '/') {
    const slash = parseSlash(t);
    if (slash !== undefined) return slash;
    return parseWord(t.slice(1).trimStart()); // "/报名 3"
  }
  return parseWord(t);
}
