import type { Locale } from '../messages.ts';
import { parseChineseNumber, parseItemNumber } from './normalize.ts';

/**
 * Reads a command's arguments (already trimmed, never empty) into a typed object; null when they
 * do not fit. Pure; the result is JSON-safe. The command registry (src/flows/commands) names one
 * of these per command; all regexes are anchored, with bounded or single-class quantifiers.
 */
export type ArgumentParser<A extends object> = (args: string) => A | null;

/** Separators between a command word and its arguments, and between arguments. */
export const SEPARATORS = /^[\s:,：，]+/;
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
const SERVED_COUNT = /^(\d{1,7})\s?(?:人次|人)?$/;

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

/** One item number and nothing else: `提醒 3`, `+1 #12`, `取消报名 第三个`. */
export const parseNumber: ArgumentParser<{ number: number }> = (args) => {
  const number = parseItemNumber(dropQuestion(args));
  return number === null ? null : { number };
};

/**
 * `需求 <text>`: the text as typed (cutting at 500 is the use case's job). A number alone
 * (`需求 12`, `需求 #12`) is a lookup of that need instead: `lookup` holds it.
 */
export const parseNeedText: ArgumentParser<{ text: string; lookup?: number }> = (args) => {
  const lookup = parseItemNumber(dropQuestion(args));
  return lookup === null ? { text: args } : { text: args, lookup };
};

/** `拒绝认领 7 [原因]`: the claim's number, then an optional reason in free text. */
export const parseDecline: ArgumentParser<{ number: number; reason: string }> = (args) => {
  const head = takeItemNumber(args);
  return head === null ? null : { number: head.number, reason: head.rest };
};

/** `报名 3 [B]`: a project number, then optionally a shift by its letter or number. */
export const parseSignup: ArgumentParser<{ number: number; shift?: string }> = (args) => {
  const head = takeItemNumber(dropQuestion(args), true);
  if (head === null) return null;
  if (head.rest === '') return { number: head.number };
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
  return { number: head.number, shift };
};

/** `认领 3 [组织名]`. */
export const parseClaim: ArgumentParser<{ number: number; org?: string }> = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  return head.rest === '' ? { number: head.number } : { number: head.number, org: head.rest };
};

/** `签到 3 123456`: a project number and the six-digit code shown on site. */
export const parseCheckin: ArgumentParser<{ number: number; code: string }> = (args) => {
  const head = takeItemNumber(dropQuestion(args));
  if (head === null) return null;
  const m = CHECKIN_CODE.exec(head.rest);
  return m === null ? null : { number: head.number, code: m[1]! + m[2]! };
};

/** `补签 3 张阿姨`: a project number, then the volunteer's name as the community knows it. */
export const parseAttend: ArgumentParser<{ number: number; name: string }> = (args) => {
  const head = takeItemNumber(args);
  if (head === null || head.rest === '' || head.rest.length > 50) return null;
  return { number: head.number, name: head.rest };
};

/** `受益 3 120`: a project number, then how many people were served (受益人次). */
export const parseServed: ArgumentParser<{ number: number; count: number }> = (args) => {
  const head = takeItemNumber(dropQuestion(args));
  if (head === null) return null;
  const m = SERVED_COUNT.exec(head.rest);
  return m === null ? null : { number: head.number, count: Number(m[1]) };
};

/** `评价 3 5 很好`: a project number, a rating from 1 to 5 (digits, 五星, ★★★), an optional comment. */
export const parseRate: ArgumentParser<{ number: number; rating: number; comment: string }> = (args) => {
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
  return { number: head.number, rating, comment };
};

/** `绑定 HT01 [楼栋]`: a community code (upper-cased), then optionally a building. */
export const parseBind: ArgumentParser<{ code: string; building?: string }> = (args) => {
  const m = BIND_ARGS.exec(dropQuestion(args));
  if (m === null) return null;
  const code = m[1]!.toUpperCase();
  const building = m[2]?.trim();
  return building ? { code, building } : { code };
};

/** `发布 3 [群…]`: a project number, then the names of the groups (none: all bound groups). */
export const parsePublish: ArgumentParser<{ number: number; groups: string[] }> = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  const groups = head.rest === '' ? [] : head.rest.split(GROUP_SPLIT).filter((g) => g.length > 0);
  return { number: head.number, groups };
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

/** `语言 繁体`, `/lang en`: a language by any of its everyday names. */
export const parseLanguage: ArgumentParser<{ locale: Locale }> = (args) => {
  const locale = LOCALES.get(dropQuestion(args).toLowerCase().replace(LOCALE_NOISE, '').replace(LOCALE_ZH_PREFIX, 'zh-'));
  return locale === undefined ? null : { locale };
};

// 微创投 (src/flows/ventures.ts).
const AMOUNT = /^(?:预算|金额|申请|budget)?\s?[:：]?\s?[¥￥]?\s?(\d{1,8}(?:\.\d{1,2})?)\s?(?:元|块钱|块|yuan|rmb)?$/i;
const PROPOSAL_PARTS = /\s?[;；]\s?/;
const NUMBER_LIST_SPLIT = /[\s,，、]+/;
const REVIEW_YES = /^(?:通过|同意|批准|yes|approve|ok)(?![^\s,，:：])[\s,，:：]*(.*)$/is;
const REVIEW_NO = /^(?:不通过|不同意|不批准|拒绝|驳回|no|decline)(?![^\s,，:：])[\s,，:：]*(.*)$/is;
const PERCENT = /^(\d{1,3})\s?(?:%|％|percent)?(?:[\s,，:：]+(.*))?$/is;

/** An amount in yuan as residents write it: `2000`, `预算 2000`, `¥1999.5`, `2000元`; null otherwise. */
export function parseYuan(text: string): number | null {
  const m = AMOUNT.exec(text.trim());
  if (m === null) return null;
  const yuan = Number(m[1]);
  return yuan > 0 ? yuan : null;
}

/** `提案 标题；内容；预算 2000` (the content may be left out: `提案 标题；预算 2000`). */
export const parsePropose: ArgumentParser<{ title: string; description: string; yuan: number }> = (args) => {
  const parts = args.split(PROPOSAL_PARTS).map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3) return null;
  const yuan = parseYuan(parts[parts.length - 1]!);
  const title = parts[0]!;
  if (yuan === null || title === '') return null;
  return { title, description: parts.length === 3 ? parts[1]! : '', yuan };
};

/** `投票 2 5`, `投票 #2、#5`: one or more item numbers, each once (at most 20). */
export const parseNumbers: ArgumentParser<{ numbers: number[] }> = (args) => {
  const tokens = dropQuestion(args).split(NUMBER_LIST_SPLIT).filter(Boolean);
  if (tokens.length === 0 || tokens.length > 20) return null;
  const numbers: number[] = [];
  for (const token of tokens) {
    const n = parseItemNumber(token);
    if (n === null) return null;
    if (!numbers.includes(n)) numbers.push(n);
  }
  return { numbers };
};

/** `审核提案 3 通过` / `审核提案 3 不通过 原因`: a proposal number, the decision, the reason. */
export const parseReview: ArgumentParser<{ number: number; approve: boolean; reason: string }> = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  const no = REVIEW_NO.exec(head.rest);
  if (no !== null) return { number: head.number, approve: false, reason: no[1]!.trim() };
  const yes = REVIEW_YES.exec(head.rest);
  if (yes !== null) return { number: head.number, approve: true, reason: yes[1]!.trim() };
  return null;
};

/** `提案进度 1 50% 书架已装好`: a proposal number, a percentage (0–100), an optional note. */
export const parseProgress: ArgumentParser<{ number: number; percent: number; note: string }> = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  const m = PERCENT.exec(head.rest);
  if (m === null) return null;
  const percent = Number(m[1]);
  return percent > 100 ? null : { number: head.number, percent, note: (m[2] ?? '').trim() };
};

// ---- tickets, needs answered, projects from the chat ---------------------------------------------

/** A ticket as workers write it: `T3`, `t3`, `T-3`, `#T3`, `工单3`; a bare number too. */
const TICKET_HEAD = /^(?:#\s?)?(?:(?:[Tt]|工单)\s?-?\s?)?(\d{1,7})(?![\d])/;
const NEED_NUMBER_LIST = /^((?:#?\d{1,7}\s?[,，、和]\s?)*#?\d{1,7})(?=$|[\s:：])/;
const CAPACITY = /^(?:招\s?)?(\d{1,5}|[一二两三四五六七八九十百]{1,4})\s?(?:人|名|位)/;

/** Splits a ticket off the front: `{ number, rest }`, or null. */
function takeTicket(args: string): { number: number; rest: string } | null {
  const m = TICKET_HEAD.exec(args);
  if (m === null) return null;
  const number = Number(m[1]);
  if (number < 1) return null;
  const next = args.charAt(m[0].length);
  if (next !== '' && !ARG_BOUNDARY.test(next)) return null;
  return { number, rest: args.slice(m[0].length).replace(SEPARATORS, '').trim() };
}

/** `回复 T3 内容`: the ticket, then what to say (not empty). */
export const parseTicketAnswer: ArgumentParser<{ number: number; text: string }> = (args) => {
  const head = takeTicket(args);
  return head === null || head.rest === '' ? null : { number: head.number, text: head.rest };
};

/** `结束 T3`: a ticket and nothing else. */
export const parseTicket: ArgumentParser<{ number: number }> = (args) => {
  const head = takeTicket(dropQuestion(args));
  return head === null || head.rest !== '' ? null : { number: head.number };
};

/** `评价工单 T3 5`: a ticket, then 1-5 (digits, 五星, ★★★). */
export const parseTicketRating: ArgumentParser<{ number: number; rating: number }> = (args) => {
  const head = takeTicket(args);
  if (head === null) return null;
  const r = readRating(head.rest);
  return r === null ? null : { number: head.number, rating: r };
};

/** A rating from 1 to 5 alone (`5`, `五星`, `★★★★`, `5分`): the answer to "请打分". Null otherwise. */
export function readRating(text: string): number | null {
  const t = text.trim();
  const m = RATING.exec(t);
  if (m === null || t.slice(m[0].length).replace(SEPARATORS, '').trim() !== '') return null;
  if (m[1] !== undefined) return Number(m[1]);
  if (m[2] !== undefined || m[3] !== undefined) return parseChineseNumber((m[2] ?? m[3])!);
  let stars = 0;
  for (const c of m[4]!) if (c === '★') stars++;
  return stars >= 1 && stars <= 5 ? stars : null;
}

/** `转人工 内容`: what the resident wants a person for, as typed. */
export const parseTicketText: ArgumentParser<{ text: string }> = (args) => ({ text: args });

/** The outcomes `处理需求` knows, by the words workers use. */
const OUTCOMES: ReadonlyArray<readonly [RegExp, 'resolved' | 'rejected']> = [
  [/^(?:已解决|解决了|解决|已办结|办结|已完成|完成|resolved|done)/i, 'resolved'],
  [/^(?:不予处理|不处理|驳回|拒绝|不受理|rejected|declined?)/i, 'rejected'],
];
const REFER_WORD = /^(?:转交|转给|移交|refer(?:red)?(?:\s?to)?)\s?/i;

/**
 * `处理需求 12 已解决 说明`, `处理需求 12 不予处理 原因`, `处理需求 12 转交 物业公司 说明`: a need, an
 * outcome, then a note (needed when declining or referring, optional when resolved).
 */
export const parseNeedOutcome: ArgumentParser<{ number: number; outcome: 'resolved' | 'rejected' | 'referred'; to?: string; note: string }> = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  for (const [word, outcome] of OUTCOMES) {
    const m = word.exec(head.rest);
    if (m === null) continue;
    const note = head.rest.slice(m[0].length).replace(SEPARATORS, '').trim();
    if (outcome === 'rejected' && note === '') return null;
    return { number: head.number, outcome, note };
  }
  const refer = REFER_WORD.exec(head.rest);
  if (refer === null) return null;
  const referral = parseReferral(head.rest.slice(refer[0].length));
  return referral === null ? null : { number: head.number, ...referral };
};

/** `转交 12 物业公司 说明`: a need, who it goes to (one word), then an optional note. */
export const parseReferNeed: ArgumentParser<{ number: number; outcome: 'referred'; to: string; note: string }> = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  const referral = parseReferral(head.rest);
  return referral === null ? null : { number: head.number, ...referral };
};

function parseReferral(rest: string): { outcome: 'referred'; to: string; note: string } | null {
  const t = rest.replace(SEPARATORS, '').trim();
  if (t === '') return null;
  const space = t.search(/[\s,，:：]/);
  const to = (space < 0 ? t : t.slice(0, space)).slice(0, 50);
  const note = space < 0 ? '' : t.slice(space).replace(SEPARATORS, '').trim();
  return { outcome: 'referred', to, note };
}

/** `立项 12,15 楼道灯维修`: need numbers (comma, 、 or 和 between), then an optional title. */
export const parseMakeProject: ArgumentParser<{ needs: number[]; title: string }> = (args) => {
  const m = NEED_NUMBER_LIST.exec(args);
  if (m === null) return null;
  const needs = [...new Set(m[1]!.split(/[,，、和]/).map((s) => Number(s.replace('#', '').trim())))];
  if (needs.some((n) => !Number.isInteger(n) || n < 1)) return null;
  const title = args.slice(m[0].length).replace(SEPARATORS, '').trim();
  return { needs, title };
};

/**
 * `加班次 3 12月20日 9:00-11:00 3人 3号楼门口`: the project, then the time (read later with the
 * community's zone and clock, src/lib/time.ts parseShiftWhen), the capacity (`3人`) and the place.
 */
export const parseAddShift: ArgumentParser<{ number: number; when: string; capacity: number; place: string }> = (args) => {
  const head = takeItemNumber(args);
  if (head === null) return null;
  // The capacity ends the time: what comes before it is the time, after it the place.
  for (let i = 0; i < head.rest.length; i++) {
    if (i > 0 && !ARG_BOUNDARY.test(head.rest.charAt(i - 1))) continue;
    const m = CAPACITY.exec(head.rest.slice(i));
    if (m === null) continue;
    const raw = m[1]!;
    const capacity = STARTS_WITH_DIGIT.test(raw) ? Number(raw) : parseChineseNumber(raw);
    if (capacity === null || capacity < 1) return null;
    const when = head.rest.slice(0, i).trim();
    if (when === '') return null;
    return { number: head.number, when, capacity, place: head.rest.slice(i + m[0].length).replace(SEPARATORS, '').trim() };
  }
  return null;
};

/** `改班次 3 A 12月21日 9:00-11:00 [地点]`: the project, the shift letter, the new time (and place). */
export const parseMoveShift: ArgumentParser<{ number: number; shift: string; when: string }> = (args) => {
  const head = takeItemNumber(args, true);
  if (head === null) return null;
  const m = /^([A-Za-z]{1,2})(?=$|[\s,，:：])/.exec(head.rest);
  if (m === null) return null;
  const when = head.rest.slice(m[0].length).replace(SEPARATORS, '').trim();
  return when === '' ? null : { number: head.number, shift: m[1]!.toUpperCase(), when };
};

/** `取消班次 3 A 原因`: the project, the shift letter, an optional reason. */
export const parseCancelShift: ArgumentParser<{ number: number; shift: string; reason: string }> = (args) => {
  const head = takeItemNumber(args, true);
  if (head === null) return null;
  const m = /^([A-Za-z]{1,2})(?=$|[\s,，:：])/.exec(head.rest);
  if (m === null) return null;
  return { number: head.number, shift: m[1]!.toUpperCase(), reason: head.rest.slice(m[0].length).replace(SEPARATORS, '').trim() };
};
