/**
 * Near-duplicate check between need reports ("3号楼楼道灯坏了" then "楼道的灯又坏了").
 *
 * A signature is small and JSON-safe, so it can be stored with the need and compared later
 * without re-reading the text. Rules:
 *  - different categories → not duplicates;
 *  - both sides name a building (or unit, gate, floor, courtyard) and they differ → not duplicates;
 *    one side naming a place and the other none can still match;
 *  - otherwise mostly the overlap of topic concepts (送饭 ≈ 助餐点 via 'meal'),
 *    plus a little overlap of the words; two sides with topics but none in common
 *    cannot reach the threshold ("想组建合唱团" vs "想组建广场舞队").
 *
 * The words are cut by the same jieba segmenter as the classifier's features (the committed
 * model's dictionary and user words, src/core/understanding/offline-model.ts), so 楼道灯 is one
 * word here as it is there. Signatures stored before (v 1: character bigrams) are brought to v 2
 * from their need's text when compared (`currentSignature`), their places kept.
 */
import { type NeedCategory } from './categories.ts';
import { analyzeNeed, conceptParents, lexiconTerms, normalizeNeedText } from './classify-need.ts';
import { normalizeForModel } from '../understanding/features.ts';
import { committedModel } from '../understanding/offline-model.ts';
import { segmenter } from '../understanding/segmenter.ts';

export interface NeedSignature {
  v: 2;
  category: NeedCategory;
  /** topic concepts (plus their broader parents), sorted */
  concepts: string[];
  /** place tokens: b3 building, u2 unit, f5 floor, c1 courtyard, g:east / g2 gate; sorted */
  places: string[];
  /**
   * The content's jieba words (as the classifier cuts them) minus stop words and places, with the
   * character bigrams inside words of three or more characters (楼道灯 → 楼道, 道灯) so 楼道灯 and
   * 楼道的灯 share something; sorted, capped.
   */
  words: string[];
}

/** A signature as stored before jieba (character bigrams); read only to be brought to v 2. */
interface NeedSignatureV1 {
  v: 1;
  category: NeedCategory;
  concepts: string[];
  places: string[];
  grams: string[];
}

export const DUPLICATE_THRESHOLD = 0.5;
const MAX_WORDS = 48;

// ---- places ---------------------------------------------------------------------------

const CN_DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** '3' → 3, '十二' → 12, '二十三' → 23, '一〇一' → 101; NaN if not a number. */
function parseNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const ten = s.indexOf('十');
  if (ten >= 0) {
    const hi = ten === 0 ? 1 : CN_DIGITS[s.slice(0, ten)];
    const rest = s.slice(ten + 1);
    const lo = rest === '' ? 0 : CN_DIGITS[rest];
    if (hi === undefined || lo === undefined || ten > 1 || rest.length > 1) return NaN;
    return hi * 10 + lo;
  }
  let n = 0;
  for (const ch of s) {
    const d = CN_DIGITS[ch];
    if (d === undefined) return NaN;
    n = n * 10 + d;
  }
  return s === '' ? NaN : n;
}

const NUM = '(\\d+|[零〇一二两三四五六七八九十]{1,3})';
const GATE_DIRS: Readonly<Record<string, string>> = {
  东: 'east', 西: 'west', 南: 'south', 北: 'north', 正: 'main', 后: 'back', 侧: 'side',
  east: 'east', west: 'west', south: 'south', north: 'north', main: 'main', back: 'back', side: 'side', front: 'main',
};

interface PlaceRule {
  re: RegExp;
  make: (m: RegExpExecArray) => string[];
}

function num(s: string | undefined): string | null {
  if (s === undefined) return null;
  const n = parseNumber(s);
  return Number.isFinite(n) ? String(n) : null;
}

function tok(prefix: string, s: string | undefined): string[] {
  const n = num(s);
  return n === null ? [] : [prefix + n];
}

// Order matters: each match is blanked out before the next rule runs.
const PLACE_RULES: readonly PlaceRule[] = [
  // 3-2-301 style addresses: building-unit-room (the room masked at intake: 3-2-***)
  { re: /(\d{1,3})-(\d{1,2})-(?:\d{3,4}|\*{3})/g, make: (m) => [...tok('b', m[1]), ...tok('u', m[2])] },
  { re: new RegExp(`${NUM}\\s*号?院`, 'g'), make: (m) => tok('c', m[1]) },
  { re: new RegExp(`${NUM}\\s*(?:号楼|栋|幢|号(?=\\s*${NUM}\\s*单元))`, 'g'), make: (m) => tok('b', m[1]) },
  { re: new RegExp(`${NUM}\\s*单元`, 'g'), make: (m) => tok('u', m[1]) },
  { re: /(\d+)\s*号门(?![口禁卡锁])/g, make: (m) => tok('g', m[1]) },
  { re: /([东西南北正后侧])(?:大)?门(?![口禁卡锁])/g, make: (m) => [`g:${GATE_DIRS[m[1]!]}`] },
  { re: new RegExp(`${NUM}\\s*(?:楼|层)(?![道梯房顶上下前后里])`, 'g'), make: (m) => tok('f', m[1]) },
  { re: /\b(?:building|block|bldg)\s*(?:no\.?\s*)?#?(\d+)/g, make: (m) => tok('b', m[1]) },
  { re: /\b(?:unit|entrance)\s*#?(\d+)/g, make: (m) => tok('u', m[1]) },
  { re: /\b(\d+)(?:st|nd|rd|th)\s+floor/g, make: (m) => tok('f', m[1]) },
  { re: /\bfloor\s*(\d+)/g, make: (m) => tok('f', m[1]) },
  { re: /\b(east|west|south|north|main|back|side|front)\s+gate/g, make: (m) => [`g:${GATE_DIRS[m[1]!]}`] },
  { re: /\bgate\s*#?(\d+)/g, make: (m) => tok('g', m[1]) },
];

function extractPlaces(text: string): { places: string[]; rest: string } {
  const places = new Set<string>();
  let rest = text;
  for (const rule of PLACE_RULES) {
    rule.re.lastIndex = 0;
    rest = rest.replace(rule.re, (...args: unknown[]) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray; // match + groups
      for (const p of rule.make(m)) places.add(p);
      return ' ';
    });
  }
  return { places: [...places].sort(), rest };
}

// ---- words ------------------------------------------------------------------------------

const STOP_PHRASES = [
  '希望', '能不能', '能否', '可不可以', '可以', '有没有', '社区', '小区', '我们', '我家', '大家',
  '一下', '一个', '这个', '那个', '什么', '怎么', '已经', '好几', '一直', '总是', '老是', '天天',
  '每天', '最近', '现在', '今天', '昨天', '晚上', '居委会', '物业', '麻烦', '谢谢', '需要', '建议',
  '想要', '问题', '情况', '反映', '请', '帮忙',
];
const STOP_CHARS = '的了吗呢啊吧呀哦嘛么又也都就还很太在是有被把给和跟与让个们着过得地这那我你他她它';
const EN_STOP = new Set([
  'the', 'and', 'for', 'with', 'our', 'your', 'are', 'was', 'were', 'has', 'have', 'had', 'been',
  'again', 'please', 'can', 'could', 'would', 'this', 'that', 'there', 'some', 'any', 'not',
  'since', 'from', 'into', 'community', 'building', 'block', 'unit',
]);
const STOP_WORDS = new Set(STOP_PHRASES);
const ONLY_STOP_CHARS = new RegExp(`^[${STOP_CHARS}]+$`);
const CJK_WORD = /^[\u3400-\u9fff]+$/;
const EN_WORD = /^[a-z]{3,}$/;

/** The words of the classifier's segmenter: the committed model's, or jieba with the lexicon's terms when there is no model file. */
function cut(text: string): string[] {
  const normalized = normalizeForModel(text);
  const model = committedModel();
  return model ? model.words(normalized) : segmenter(lexiconTerms()).cut(normalized);
}

function words(rest: string): string[] {
  const out = new Set<string>();
  for (const raw of cut(rest)) {
    const w = raw.trim();
    if (CJK_WORD.test(w)) {
      if (STOP_WORDS.has(w) || ONLY_STOP_CHARS.test(w)) continue;
      out.add(w);
      if (w.length >= 3) for (let i = 0; i + 1 < w.length; i++) out.add(w.slice(i, i + 2));
    } else if (EN_WORD.test(w) && !EN_STOP.has(w)) {
      out.add(w.replace(/(?:es|s)$/, ''));
    }
  }
  return [...out].sort().slice(0, MAX_WORDS);
}

// ---- public API -------------------------------------------------------------------------

/**
 * Signature of a need text. Pass `category` when the need's stored category is known
 * (a worker may have changed it); otherwise the classifier's category is used.
 */
export function needSignature(text: string, category?: NeedCategory): NeedSignature {
  const normalized = normalizeNeedText(typeof text === 'string' ? text : '');
  const analysis = analyzeNeed(normalized);
  const concepts = new Set<string>();
  for (const t of analysis.topics) {
    concepts.add(t);
    const parent = conceptParents[t];
    if (parent !== undefined) concepts.add(parent);
  }
  const { places, rest } = extractPlaces(normalized);
  return {
    v: 2,
    category: category ?? analysis.category,
    concepts: [...concepts].sort(),
    places,
    words: words(rest),
  };
}

/**
 * A stored signature as this version compares it: a v 2 one as it is; an older one (v 1, character
 * bigrams) or an unreadable one is computed again from the need's text and category, keeping the
 * stored places (a 楼栋 group may have lent its building). Pure.
 */
export function currentSignature(stored: unknown, text: string, category: NeedCategory): NeedSignature {
  const s = stored as Partial<NeedSignature | NeedSignatureV1> | null;
  if (s && s.v === 2 && Array.isArray(s.words) && Array.isArray(s.places) && Array.isArray(s.concepts)) return s as NeedSignature;
  const fresh = needSignature(text, category);
  const places = Array.isArray(s?.places) && s.places.every((p) => typeof p === 'string') ? s.places : fresh.places;
  return { ...fresh, places: [...new Set([...fresh.places, ...places])].sort() };
}

function intersectionSize(a: readonly string[], b: readonly string[]): number {
  if (a.length > b.length) [a, b] = [b, a];
  const set = new Set(b);
  let n = 0;
  for (const x of a) if (set.has(x)) n++;
  return n;
}

/** Both sides name places of the same kind (building, unit, gate …) and none is shared. */
function placesConflict(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const kinds = (ps: readonly string[]) => {
    const m = new Map<string, Set<string>>();
    for (const p of ps) {
      const kind = p.startsWith('g') ? 'g' : p[0]!;
      let s = m.get(kind);
      if (!s) m.set(kind, (s = new Set()));
      s.add(p);
    }
    return m;
  };
  const ka = kinds(a);
  const kb = kinds(b);
  for (const [kind, sa] of ka) {
    const sb = kb.get(kind);
    if (!sb) continue;
    let shared = false;
    for (const p of sa) if (sb.has(p)) shared = true;
    if (!shared) return true;
  }
  return false;
}

function dice(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return (2 * intersectionSize(a, b)) / (a.length + b.length);
}

/** Similarity of two needs in [0, 1]. */
export function needSimilarity(a: NeedSignature, b: NeedSignature): number {
  if (a.category !== b.category) return 0;
  if (placesConflict(a.places, b.places)) return 0;
  const d = dice(a.words, b.words);
  const ca = a.concepts;
  const cb = b.concepts;
  let s: number;
  if (ca.length > 0 && cb.length > 0) {
    const inter = intersectionSize(ca, cb);
    if (inter === 0) {
      // about different things: text overlap alone must not make them duplicates
      s = 0.3 * d;
    } else {
      const overlap = inter / Math.min(ca.length, cb.length);
      const jaccard = inter / (ca.length + cb.length - inter);
      s = 0.55 * overlap + 0.2 * jaccard + 0.25 * d;
    }
  } else if (ca.length === 0 && cb.length === 0) {
    s = d;
  } else {
    s = 0.6 * d;
  }
  return Math.max(0, Math.min(1, Math.round(s * 1000) / 1000));
}

export function isNearDuplicate(a: NeedSignature, b: NeedSignature): boolean {
  return needSimilarity(a, b) >= DUPLICATE_THRESHOLD;
}
