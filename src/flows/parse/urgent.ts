/**
 * Urgent words (chat contract, "Plain language"): a fire, a gas leak, someone hurt or lost, a cry
 * for help. The router reads every message with {@link readUrgent} before any I/O, so it must stay
 * cheap: one regex over the text, and the finer rule only for a text that holds one of the words.
 * Pure; linear in the text.
 */

/** What kind of emergency the words are about, which decides the number to call. */
export type Emergency = 'fire' | 'gas' | 'medical' | 'police' | 'help';

/** The number to call for each kind: 119 fire and gas, 120 ambulance, 110 police; all three for 救命. */
export const emergencyNumbers: Record<Emergency, string> = { fire: '119', gas: '119', medical: '120', police: '110', help: '110 / 119 / 120' };

/** The words, in Simplified characters (the router reads normalised text). Longer ones first where they overlap. */
const WORDS: ReadonlyArray<readonly [string, Emergency]> = [
  ...['着火', '失火', '起火', '火灾', '烧起来', '冒浓烟', '冒黑烟'].map((w) => [w, 'fire'] as const),
  ...['燃气泄漏', '煤气泄漏', '天然气泄漏', '燃气泄露', '煤气泄露', '煤气味', '燃气味', '天然气味', '漏煤气', '漏燃气', '漏气了'].map((w) => [w, 'gas'] as const),
  ...['有人摔倒', '摔倒', '跌倒', '晕倒', '昏倒', '昏迷', '不省人事', '出血', '流血', '没有呼吸', '没呼吸', '喘不上气', '抽搐', '心脏病发', '中风了'].map(
    (w) => [w, 'medical'] as const,
  ),
  ...['走失', '走丢', '孩子丢了', '老人丢了', '抢劫', '有人打架', '砍人', '跳楼'].map((w) => [w, 'police'] as const),
  ...['救命', '快来人', '紧急求助'].map((w) => [w, 'help'] as const),
];

const ANY_WORD = new RegExp(WORDS.map(([w]) => w).join('|'), 'g');
const KIND = new Map(WORDS);

/** Where one clause ends: an emergency and "but last year…" are usually in different clauses. */
const CLAUSE_BREAK = /[，。！？,.!?；;\n]/;

/**
 * Before the word, in its clause: it did not happen (没, 不是), it happened before (去年, 以前,
 * 三天前), it might (如果, 万一), or it is a topic (演练, 预防, 怎么). "不小心摔倒了" is not a denial,
 * so a bare 不 is not one either.
 */
const NOT_NOW_BEFORE =
  /没|不是|不会|不要|不怕|别|以前|之前|从前|去年|前年|当年|那年|上次|上回|上个月|上周|上星期|小时候|曾经|曾|如果|万一|假如|要是|假设|防|避免|模拟|讲座|培训|知识|宣传|怎么|如何|(?:\d+|[一二两三四五六七八九十几半]+)\s?(?:年|个月|月|周|星期|天|日)前/;
/** Right after the word: 摔倒过 (it happened once), 着火的话 / 的时候 (if it happens). */
const NOT_NOW_AFTER = /^(?:了)?(?:过|的话|的时候|演练|演习|预案|隐患|知识|讲座|怎么办呢)/;
/** Words that hold an urgent word without being one, or a text about a drill (in any clause). */
const NOT_URGENT_PHRASES = /演练|演习|出血价|放血价|跳楼价|救命稻草|救命恩人|笑死|哈哈|走失的猫|走失的狗|走丢的猫|走丢的狗/;
/** A lost pet is not a case for 110. */
const PET_BEFORE = /猫|狗|宠物|鹦鹉|兔子/;

/**
 * The emergency a message is about, or null. A word counts when, in its own clause, nothing says
 * it is past, denied or hypothetical ("我去年摔倒过", "没有着火", "如果着火了"); one such word is
 * enough. Pure and cheap: texts without any of the words cost one regex test.
 */
export function readUrgent(text: string): Emergency | null {
  ANY_WORD.lastIndex = 0;
  if (!ANY_WORD.test(text)) return null;
  if (NOT_URGENT_PHRASES.test(text)) return null;
  ANY_WORD.lastIndex = 0;
  for (const m of text.matchAll(ANY_WORD)) {
    const word = m[0];
    const at = m.index ?? 0;
    const kind = KIND.get(word);
    if (kind === undefined) continue;
    const before = clauseBefore(text, at);
    const after = text.slice(at + word.length);
    if (NOT_NOW_BEFORE.test(before) || NOT_NOW_AFTER.test(after)) continue;
    if (kind === 'police' && PET_BEFORE.test(before)) continue;
    return kind;
  }
  return null;
}

/** The part of the word's clause before it. */
function clauseBefore(text: string, at: number): string {
  let start = at;
  while (start > 0 && !CLAUSE_BREAK.test(text.charAt(start - 1))) start--;
  return text.slice(start, at);
}
