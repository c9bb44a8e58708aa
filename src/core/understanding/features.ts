import { toSimplified } from '../../lib/chinese-script.ts';
import type { NeedAnalysis } from '../needs/classify-need.ts';
import type { Segmenter } from './segmenter.ts';

/**
 * What the offline models see of a message: pure functions from text to feature names. The same
 * code runs when training (scripts/train-understanding.ts) and when answering, so a model never
 * meets text prepared differently from what it learnt on.
 */

const MENTION = /@(?:邻里助手|邻里|linli\w*)\s*|@[^\s@]{1,24}[\s\u2005]+/giu;
const INVISIBLE = /[\p{Cc}\p{Cf}\uFE00-\uFE0F\u20E3]/gu;
const CJK_SPACES = /(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g;
const SPACES = /\s+/g;

/**
 * NFKC, lower case, Traditional → Simplified (OpenCC hk → cn, as the router does), @-mentions
 * and invisible characters removed, spaces between Chinese characters dropped. Idempotent.
 */
export function normalizeForModel(text: string): string {
  return toSimplified(
    text
      .normalize('NFKC')
      .replace(MENTION, ' ')
      .replace(INVISIBLE, '')
      .toLowerCase(),
  )
    .replace(CJK_SPACES, '')
    .replace(SPACES, ' ')
    .trim();
}

const CJK = /[\u3400-\u9fff]/;
const CJK_RUN = /[\u3400-\u9fff]+/g;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const DIGITS = /^\d+$/;
const LATIN_WORD = /^[a-z]+$/;
const EMOJI = /\p{Extended_Pictographic}/u;
const SIX_DIGITS = /(?<!\d)\d{6}(?!\d)/;
const ITEM_NUMBER = /#\s?\d|(?<![\d月])\d{1,4}\s?号(?![楼院门])|第\s?[\d一二两三四五六七八九十]{1,3}\s?[个项号场班]/;
const PLACE = /\d+\s?(?:号楼|栋|幢|单元|号院|楼)|[东西南北]门/;
const DAY = /今天|明天|后天|周末|[这下本上]?(?:周|星期|礼拜)[一二三四五六日天1-7]|\d{1,2}月\d{1,2}[日号]/;
const DAYPART = /上午|下午|中午|晚上|早上|傍晚|早晨|夜里|\d{1,2}\s?点|[一二两三四五六七八九十]{1,3}点/;
const SHIFT_LETTER = /(?<![a-z])[a-e]\s?(?:班|场)|班次\s?[a-e](?![a-z])/;
const RATING = /[1-5一二两三四五]\s?(?:分|星|颗星)|[★☆]/;

/** A word as a feature: digits become their length, so "3号" and "12号" share "<n>号". */
function wordFeature(w: string): string | null {
  if (!WORD_CHAR.test(w) && !EMOJI.test(w)) return null;
  if (DIGITS.test(w)) return w.length === 6 ? 'w:<code>' : 'w:<n>';
  if (LATIN_WORD.test(w)) return `w:${w.length > 3 ? w.replace(/(?:es|s)$/, '') : w}`;
  if (EMOJI.test(w) && !CJK.test(w)) return 'w:<emoji>';
  return `w:${w}`;
}

/**
 * The feature names of a normalised message: jieba words, Chinese characters and character bigrams, the need lexicon's concepts and cues, the shapes the slot readers
 * know (an item number, a six-digit code, a day, a place, a rating) and a length bucket. A set:
 * each name once.
 */
export function textFeatures(text: string, seg: Segmenter, lexicon: NeedAnalysis): string[] {
  const out = new Set<string>();
  for (const w of seg.cut(text)) {
    const f = wordFeature(w.trim());
    if (f) out.add(f);
  }
  const runs = text.match(CJK_RUN) ?? [];
  for (const run of runs) {
    for (let i = 0; i + 1 < run.length; i++) out.add(`b:${run.slice(i, i + 2)}`);
  }
  for (const run of runs) for (const ch of run) out.add(`u:${ch}`);
  for (const c of lexicon.concepts) out.add(`c:${c}`);
  if (lexicon.category !== 'other') out.add(`lc:${lexicon.category}`);
  if (lexicon.problem) out.add('f:problem');
  if (lexicon.wish) out.add('f:wish');
  if (lexicon.ask) out.add('f:ask');
  if (lexicon.fixed) out.add('f:fixed');
  if (SIX_DIGITS.test(text)) out.add('s:code');
  if (ITEM_NUMBER.test(text)) out.add('s:number');
  if (PLACE.test(text)) out.add('s:place');
  if (DAY.test(text)) out.add('s:day');
  if (DAYPART.test(text)) out.add('s:daypart');
  if (SHIFT_LETTER.test(text)) out.add('s:shift');
  if (RATING.test(text)) out.add('s:rating');
  if (EMOJI.test(text)) out.add('s:emoji');
  const len = Array.from(text).length;
  out.add(len <= 2 ? 'len:1' : len <= 5 ? 'len:2' : len <= 12 ? 'len:3' : len <= 30 ? 'len:4' : 'len:5');
  if (!CJK.test(text) && /[a-z]/.test(text)) out.add('s:latin');
  return [...out];
}
