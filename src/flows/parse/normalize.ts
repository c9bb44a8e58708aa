import { toSimplified } from '../../lib/chinese-script.ts';

/**
 * Input tolerance for what residents type on phones (chat contract, "Input tolerance"):
 * full-width forms, invisible characters, @mentions, trailing emoji and Traditional characters.
 * Everything here is a pure function over strings, linear in the input, safe to call on every
 * message of every group.
 */

/** Which script the person wrote in; lets a reply answer in the same script. */
export type Script = 'hans' | 'hant' | 'latin' | 'none';

/** The result of {@link normalizeText}: JSON-safe. */
export interface NormalizedText {
  /** NFKC, mentions and trailing decoration removed, whitespace collapsed, in Simplified characters. */
  text: string;
  /** Some @mention in the message names one of the bot's names. */
  mentionedBot: boolean;
  /** `hant` when the Traditional→Simplified conversion changed something. */
  script: Script;
}

export interface NormalizeOptions {
  /** The bot's names as people @mention it (display names, Telegram usernames); may be empty. */
  botNames: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Traditional → Simplified: OpenCC `hk → cn`, the process's one converter (src/lib/chinese-script.ts).

function t2s(s: string): string {
  return toSimplified(s);
}

// ---------------------------------------------------------------------------------------------
// Character classes, compiled once.

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
/** Whitespace-like controls that become a space; the rest of Cc/Cf is dropped. */
const CONTROL_SPACE = /[\t\n\v\f\r\u0085]/g;
/**
 * Control and format characters (zero-width space/joiner, BOM, bidi marks, tags), variation
 * selectors, the keycap combiner (3️⃣ → 3) and the invisible fillers people use as blank names.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\uFE00-\uFE0F\u20E3\u115F\u1160\u3164\uFFA0\u2800]/gu;
/** Emoji stars kept as ★ (ratings such as `评价 3 ⭐⭐⭐⭐⭐`), so trailing-emoji removal keeps them. */
const EMOJI_STAR = /\u2B50|\u{1F31F}/gu;
const WECHAT_MENTION_END = '\u2005';
const WHITESPACE_RUN = /\s+/g;
const SPACE = /\s/;
/** A character that would continue a name: a mention only ends before something else. */
const NAME_CHAR = /[\p{L}\p{N}_]/u;
/** Characters that may precede `@` in an e-mail address (so `a@b` is not a mention). */
const EMAIL_CHAR = /[A-Za-z0-9._%+-]/;
const SLASH_COMMAND_ONLY = /^\/[A-Za-z]+$/;
/** A WeChat mention: `@` + display name + U+2005 (the name may contain spaces). */
const WECHAT_MENTION = /@([^@\u2005\n]{1,48})\u2005/y;
/** Any other mention: `@` + a run without spaces. */
const PLAIN_MENTION = /@[^\s@]{1,64}/y;

/** Emoji and pictographs: removed at both ends. */
const EMOJI_CHAR = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{1F1E6}-\u{1F1FF}]/u;
/**
 * Trailing decoration removed one character at a time: emoji, symbols (★☆ and ° excepted) and
 * end punctuation. Kaomoji parts (`^ _ ( )`) are not in it: the tail patterns below take those
 * whole, so `好的^_^` loses the whole face, not just its last `^`.
 */
const TRAILING_CHAR =
  /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{1F1E6}-\u{1F1FF}!.。~〜…,、;:·•\s]|(?![★☆°])\p{So}/u;
/** A parenthesised kaomoji at the end: no Han, no ASCII letters or digits inside `( )`. */
const KAOMOJI_TAIL =
  /(?:(?<![A-Za-z])[oO]|[ヾ٩\\ノ])?[(][^()\p{Script=Han}A-Za-z0-9]{1,14}[)](?:[oOノ۶ﾉ/*♪~]){0,2}$/u;
/** Text emoticons at the end: ^_^ ^^ -_- T_T QAQ orz :) :-( ;) :D XD. */
const EMOTICON_TAIL =
  /(?:\^[_\-.ωoO▽]?\^|[-=><][_.][-=><]|(?<![A-Za-z0-9])(?:T[_.]?T|Q[Aw]Q|qwq|orz|OTL|[xX]D)|(?<!\d)[:;=][-']?[)(\]\[DPp])$/u;
/** WeChat's text form of its own emoji, e.g. `[抱拳]`, at the end. */
const WECHAT_EMOJI_TAIL = /\[([\p{Script=Han}A-Za-z]{1,4})\]$/u;
const WECHAT_EMOJI_NAMES: ReadonlySet<string> = new Set(
  (
    '微笑 撇嘴 色 发呆 得意 流泪 害羞 闭嘴 睡 大哭 尴尬 发怒 调皮 呲牙 惊讶 难过 囧 抓狂 吐 偷笑 愉快 ' +
    '白眼 傲慢 困 惊恐 憨笑 悠闲 咒骂 疑问 嘘 晕 衰 骷髅 敲打 再见 擦汗 抠鼻 鼓掌 坏笑 右哼哼 左哼哼 ' +
    '鄙视 委屈 快哭了 亲亲 可怜 笑脸 生病 脸红 破涕为笑 恐惧 失望 无语 嘿哈 捂脸 奸笑 机智 皱眉 耶 吃瓜 ' +
    '加油 汗 天啊 社会社会 旺柴 好的 打脸 哇 翻白眼 叹气 苦涩 裂开 嘴唇 爱心 心碎 拥抱 强 弱 握手 胜利 ' +
    '抱拳 勾引 拳头 合十 啤酒 咖啡 蛋糕 玫瑰 凋谢 菜刀 炸弹 便便 月亮 太阳 庆祝 礼物 红包 福 烟花 爆竹 ' +
    '猪头 跳跳 发抖 转圈 Emm OK Smile Grin Joyful Thumbsup ThumbsUp Clap Hug Rose Heart Lol'
  ).split(' '),
);

// ---------------------------------------------------------------------------------------------
// Bot names, compared without spaces, case and script.

const botNameCache = new Map<string, readonly string[]>();

function compactName(name: string): string {
  const s = name.normalize('NFKC').replace(INVISIBLE, '').replace(WHITESPACE_RUN, '').toLowerCase();
  const bare = s.startsWith('@') ? s.slice(1) : s;
  return HAN.test(bare) ? t2s(bare) : bare;
}

function compactBotNames(botNames: readonly string[]): readonly string[] {
  const key = botNames.join('\u0000');
  let names = botNameCache.get(key);
  if (names === undefined) {
    names = [...new Set(botNames.map(compactName).filter((n) => n.length > 0))];
    if (botNameCache.size > 64) botNameCache.clear();
    botNameCache.set(key, names);
  }
  return names;
}

function sameChar(c: string, nameChar: string): boolean {
  if (c === nameChar || c.toLowerCase() === nameChar) return true;
  return HAN.test(c) && t2s(c) === nameChar;
}

/**
 * If `s` at `start` spells one of `names` (spaces inside ignored) and the name ends there,
 * the index just past it; otherwise -1. The longest matching name wins.
 */
function matchBotName(s: string, start: number, names: readonly string[]): number {
  let best = -1;
  for (const name of names) {
    let j = start;
    let k = 0;
    while (k < name.length && j < s.length) {
      const c = s.charAt(j);
      if (k > 0 && SPACE.test(c)) {
        j++;
      } else if (sameChar(c, name.charAt(k))) {
        j++;
        k++;
      } else {
        break;
      }
    }
    if (k < name.length) continue;
    const next = s.codePointAt(j);
    if (next !== undefined && NAME_CHAR.test(String.fromCodePoint(next))) continue;
    if (j > best) best = j;
  }
  return best;
}

/** Removes the leading mentions and the bot's mentions elsewhere; tells whether the bot was named. */
function stripMentions(s: string, names: readonly string[]): { text: string; mentionedBot: boolean } {
  let mentionedBot = false;
  let i = 0;
  while (i < s.length && SPACE.test(s.charAt(i))) i++;
  while (s.charAt(i) === '@') {
    let end = -1;
    WECHAT_MENTION.lastIndex = i;
    const wx = WECHAT_MENTION.exec(s);
    if (wx !== null) {
      end = i + wx[0].length;
      const name = wx[1]!.trimEnd();
      if (matchBotName(s, i + 1, names) === i + 1 + name.length) mentionedBot = true;
    } else {
      const bot = matchBotName(s, i + 1, names);
      if (bot >= 0) {
        mentionedBot = true;
        end = bot;
      } else {
        PLAIN_MENTION.lastIndex = i;
        const plain = PLAIN_MENTION.exec(s);
        end = plain === null ? i + 1 : i + plain[0].length; // a lone or doubled "@" is dropped
      }
    }
    i = end;
    while (i < s.length && SPACE.test(s.charAt(i))) i++;
  }
  let rest = s.slice(i);
  if (names.length === 0 || !rest.includes('@')) return { text: rest, mentionedBot };

  // Mentions of the bot further on ("请问@邻里 怎么报名", Telegram's "/need@linli_bot ...").
  let out = '';
  let from = 0;
  for (let at = rest.indexOf('@'); at >= 0; at = rest.indexOf('@', at + 1)) {
    const prev = at > 0 ? rest.charAt(at - 1) : ' ';
    const slashCommand = at <= 24 && rest.charAt(0) === '/' && SLASH_COMMAND_ONLY.test(rest.slice(0, at));
    if (EMAIL_CHAR.test(prev) && !slashCommand) continue;
    const end = matchBotName(rest, at + 1, names);
    if (end < 0) continue;
    mentionedBot = true;
    out += rest.slice(from, at) + ' ';
    from = end;
    at = end - 1;
  }
  rest = out + rest.slice(from);
  return { text: rest, mentionedBot };
}

// ---------------------------------------------------------------------------------------------
// Trailing and leading decoration.

/** The code point that ends at `end` (1 or 2 UTF-16 units). */
function lastCodePoint(s: string, end: number): string {
  const lo = s.charCodeAt(end - 1);
  if (end >= 2 && lo >= 0xdc00 && lo <= 0xdfff) {
    const hi = s.charCodeAt(end - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return s.slice(end - 2, end);
  }
  return s.charAt(end - 1);
}

/**
 * Strips trailing emoji, kaomoji, emoticons and punctuation. A question mark among them is kept
 * once (`帮助？？😊` → `帮助?`, `?` stays `?`): it says the person is asking.
 */
function stripTrailing(s: string): string {
  let end = s.length;
  let question = false;
  for (;;) {
    const before = end;
    while (end > 0) {
      const cp = lastCodePoint(s, end);
      if (cp === '?') question = true;
      else if (!TRAILING_CHAR.test(cp)) break;
      end -= cp.length;
    }
    if (end === 0) break;
    // Bounded tails: the patterns below are at most ~24 units long.
    const tail = s.slice(Math.max(0, end - 32), end);
    const m = KAOMOJI_TAIL.exec(tail) ?? EMOTICON_TAIL.exec(tail);
    if (m !== null) {
      end -= m[0].length;
    } else {
      const wx = WECHAT_EMOJI_TAIL.exec(tail);
      if (wx !== null && WECHAT_EMOJI_NAMES.has(wx[1]!)) end -= wx[0].length;
    }
    if (end === before) break;
  }
  const kept = s.slice(0, end);
  return question ? `${kept}?` : kept;
}

/** Strips leading emoji (`🙏 报名 3`), never punctuation or text. */
function stripLeadingEmoji(s: string): string {
  let i = 0;
  while (i < s.length) {
    const cp = String.fromCodePoint(s.codePointAt(i)!);
    if (!SPACE.test(cp) && !EMOJI_CHAR.test(cp)) break;
    i += cp.length;
  }
  return i === 0 ? s : s.slice(i);
}

// ---------------------------------------------------------------------------------------------

/**
 * Normalises one chat message before parsing: NFKC (`＋１　１２` → `+1 12`), control and
 * zero-width characters removed, leading @mentions removed (WeChat's `@name` + U+2005, Telegram's
 * `@bot_name`, anyone's), the bot's @mentions removed anywhere, leading and trailing emoji,
 * kaomoji and end punctuation removed (one `?` kept), whitespace collapsed, Traditional converted
 * to Simplified. Pure, linear in the input, and JSON-safe in its result.
 */
export function normalizeText(raw: string, opts: NormalizeOptions): NormalizedText {
  let s = raw.replace(CONTROL_SPACE, ' ').replace(INVISIBLE, '').replace(EMOJI_STAR, '★');
  // NFKC turns U+2005 into a plain space: keep it, it marks where a WeChat mention ends.
  s = s.includes(WECHAT_MENTION_END)
    ? s
        .split(WECHAT_MENTION_END)
        .map((part) => part.normalize('NFKC'))
        .join(WECHAT_MENTION_END)
    : s.normalize('NFKC');

  const names = opts.botNames.length === 0 ? [] : compactBotNames(opts.botNames);
  // Leading emoji go first, so "🙏 /upvote@bot 3" has its command at the start when mentions are read.
  s = stripLeadingEmoji(s.trimStart());
  const mentions = s.includes('@') ? stripMentions(s, names) : { text: s, mentionedBot: false };

  s = stripTrailing(stripLeadingEmoji(mentions.text)).replace(WHITESPACE_RUN, ' ').trim();

  let script: Script = 'none';
  if (s.length > 0) {
    if (HAN.test(s)) {
      const simplified = t2s(s);
      script = simplified === s ? 'hans' : 'hant';
      s = simplified;
    } else {
      script = LATIN.test(s) ? 'latin' : 'hans';
    }
  }
  return { text: s, mentionedBot: mentions.mentionedBot, script };
}

// ---------------------------------------------------------------------------------------------
// Item numbers.

const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** The value of one Chinese digit (1–9), or undefined. */
function cnDigit(c: string | undefined): number | undefined {
  if (c === undefined) return undefined;
  const d = CN_DIGIT[c];
  return d === undefined || d === 0 ? undefined : d;
}

/** Tens and units: `十` `十二` `二十` `二十三` `一十二`. */
function parseCnBelow100(s: string): number | null {
  if (s.length === 0) return null;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? (cnDigit(s) ?? null) : null;
  if (ten > 1 || s.length > ten + 2) return null;
  const tens = ten === 0 ? 1 : cnDigit(s.charAt(0));
  if (tens === undefined) return null;
  if (s.length === ten + 1) return tens * 10;
  const units = cnDigit(s.charAt(ten + 1));
  return units === undefined ? null : tens * 10 + units;
}

/**
 * A Chinese numeral below 1000: `五` `十二` `两百` `一百零五` `一百一十` and the spoken
 * `三百五` (= 350). Returns null for anything else (digit strings such as `一二三` included).
 */
export function parseChineseNumber(s: string): number | null {
  const hundred = s.indexOf('百');
  if (hundred < 0) return parseCnBelow100(s);
  if (hundred !== 1) return null;
  const h = cnDigit(s.charAt(0));
  if (h === undefined) return null;
  const rest = s.slice(2);
  if (rest.length === 0) return h * 100;
  if (rest.charAt(0) === '零' || rest.charAt(0) === '〇') {
    const units = rest.length === 2 ? cnDigit(rest.charAt(1)) : undefined;
    return units === undefined ? null : h * 100 + units;
  }
  if (rest.length === 1) {
    const tens = cnDigit(rest); // 三百五 = 350
    return tens === undefined ? null : h * 100 + tens * 10;
  }
  const below = parseCnBelow100(rest);
  return below === null || below < 10 ? null : h * 100 + below;
}

const ITEM_NUMBER =
  /^(?:(#|no\.?|第)\s?)?(\d{1,7}|[零〇一二两兩三四五六七八九十百]{1,8})\s?(号|號|个|個|项|項|条|條)?$/i;
const MAX_ITEM_NUMBER = 1_000_000;
const ASCII_DIGIT_START = /^\d/;

/**
 * Reads an item number as residents write it: `12`, `#12`, `＃12`, `12号`, `第12个`, `第12号`,
 * `No.12`, `no 12`, and Chinese numerals below 1000 (`十二`, `第十二个`, `一百零五`, `两`).
 * `个`/`项`/`条` need the `第` in front. Returns a positive integer ≤ 1,000,000, or null.
 */
export function parseItemNumber(s: string): number | null {
  const m = ITEM_NUMBER.exec(s.normalize('NFKC').trim());
  if (m === null) return null;
  const [, prefix, digits, suffix] = m;
  if (suffix !== undefined && suffix !== '号' && suffix !== '號' && prefix !== '第') return null;
  const n = ASCII_DIGIT_START.test(digits!) ? Number(digits) : parseChineseNumber(digits!);
  return n !== null && n >= 1 && n <= MAX_ITEM_NUMBER ? n : null;
}
