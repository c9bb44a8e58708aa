import type { Understanding } from './understanding.ts';

/**
 * The slots of a message that rules read better than a model: numbers, places, days, shift
 * letters, ratings and urgent words, as written. Pure, linear in the text; input is the normalised
 * text (see normalizeForModel: Simplified, half-width, lower case).
 */
export type Slots = Understanding['slots'];

const CN_DIGIT: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "3" → 3, "十二" → 12, "二十三" → 23; null when it is not a number below 100 in words or digits. */
export function smallNumber(s: string): number | null {
  if (/^\d{1,9}$/.test(s)) return Number(s);
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? (CN_DIGIT[s] ?? null) : null;
  if (ten > 1 || s.length > 3) return null;
  const hi = ten === 0 ? 1 : CN_DIGIT[s.charAt(0)];
  const rest = s.slice(ten + 1);
  const lo = rest === '' ? 0 : CN_DIGIT[rest];
  return hi === undefined || lo === undefined ? null : hi * 10 + lo;
}

const N = '(\\d{1,7}|[一二两三四五六七八九十]{1,3})';

/**
 * An item number: "#3", "3号项目", "项目3", "第三个", "投3号", "12号需求". Not a building (3号楼),
 * a date (12月5号), a time (3点), a count (3个人) or a six-digit code.
 */
const NUMBER_RULES: readonly RegExp[] = [
  /#\s?(\d{1,7})(?!\d)/,
  new RegExp(`${N}\\s?号?\\s?(?:项目|需求|提案|方案|活动)`),
  new RegExp(`(?:项目|需求|提案|方案)\\s?#?${N}(?![\\d点号楼栋])`),
  new RegExp(`第\\s?${N}\\s?(?:个|项|号|条)`),
  new RegExp(`(?<![\\d月])${N}\\s?号(?![楼栋院门床单线车位\\d])`),
];

export function readNumber(text: string): number | undefined {
  for (const re of NUMBER_RULES) {
    const m = re.exec(text);
    if (!m) continue;
    const n = smallNumber(m[1]!);
    if (n !== null && n >= 1) return n;
  }
  return undefined;
}

const PLACE = new RegExp(
  `(?:${N}\\s?(?:号楼|栋|幢|号院)(?:\\s?${N}\\s?单元)?(?:\\s?\\d{3,4}室?)?|${N}\\s?单元|[东西南北]\\s?(?:大)?门(?![口禁卡锁])|\\d{1,3}-\\d{1,2}-\\d{3,4})`,
);

export function readPlace(text: string): string | undefined {
  return PLACE.exec(text)?.[0].replace(/\s+/g, '');
}

const DAY_WORD = '(?:今天|明天|后天|大后天|今晚|明晚|这周末|下周末|周末|(?:这|下|本|下下)?(?:个)?(?:周|星期|礼拜)[一二三四五六日天1-7]|\\d{1,2}月\\d{1,2}[日号])';
const PART_WORD = '(?:上午|下午|中午|晚上|早上|傍晚|早晨|夜里|凌晨)';
const CLOCK = '(?:\\d{1,2}|[一二两三四五六七八九十]{1,3})\\s?点(?:半|\\d{1,2}分?|[一二三四五]十分?)?';
const WHEN = new RegExp(`${DAY_WORD}\\s?${PART_WORD}?\\s?(?:${CLOCK})?|${PART_WORD}\\s?(?:${CLOCK})?|${CLOCK}`);

/** A day and time as written: "周六上午", "明天下午两点", "下周三", "12月5号". */
export function readWhen(text: string): string | undefined {
  return WHEN.exec(text)?.[0].replace(/\s+/g, '');
}

const SHIFT_RULES: readonly RegExp[] = [/(?<![a-z])([a-e])\s?(?:班次|班|场)/, /班次\s?([a-e])(?![a-z])/, /(?:#\s?\d{1,7}|\d{1,7}\s?号(?:项目)?(?:的)?)\s?([a-e])(?![a-z])/];

/** A shift letter: "B班", "班次 B", "3号的A班", "#3 b". */
export function readShift(text: string): string | undefined {
  for (const re of SHIFT_RULES) {
    const m = re.exec(text);
    if (m) return m[1]!.toUpperCase();
  }
  return undefined;
}

const RATING_RULES: ReadonlyArray<[RegExp, (m: RegExpExecArray) => number | null]> = [
  [/([1-5])\s?(?:分|星|颗星|stars?)(?![\d])/, (m) => Number(m[1])],
  [/([一二两三四五])\s?(?:分|星|颗星)/, (m) => smallNumber(m[1]!)],
  [/满分/, () => 5],
  [/[★]{1,5}/, (m) => m[0].length],
  [/(?:rate it|rating)\s?([1-5])/, (m) => Number(m[1])],
];

export function readRating(text: string): number | undefined {
  for (const [re, value] of RATING_RULES) {
    const m = re.exec(text.replace(/\u2b50/g, '★'));
    if (!m) continue;
    const n = value(m);
    if (n !== null && n >= 1 && n <= 5) return n;
  }
  return undefined;
}

/** Words that mean someone may be in danger now (chat contract, "Plain language"). */
const URGENT = /有人摔倒|摔倒了|晕倒|昏倒|昏迷|不省人事|着火|起火|失火|火灾|冒烟了|煤气味|燃气味|煤气泄漏|燃气泄漏|漏气了|救命|走失|走丢了|找不到人|喘不上气|心脏病|流了好多血|出车祸|有人跳楼|触电|fire!|help!|gas leak|someone fell/;

export function isUrgent(text: string): boolean {
  return URGENT.test(text);
}

/** Every slot the rules can read from a normalised text. */
export function readSlots(text: string): Slots {
  const slots: Slots = {};
  // A six-digit check-in code is no item number.
  const withoutCode = text.replace(/(?<!\d)\d{6}(?!\d)/g, ' ');
  const number = readNumber(withoutCode);
  if (number !== undefined) slots.number = number;
  const place = readPlace(withoutCode);
  if (place !== undefined) slots.place = place;
  const when = readWhen(withoutCode);
  if (when !== undefined) slots.when = when;
  const shift = readShift(withoutCode);
  if (shift !== undefined) slots.shift = shift;
  const rating = readRating(withoutCode);
  if (rating !== undefined) slots.rating = rating;
  if (isUrgent(text)) slots.urgent = true;
  return slots;
}
