import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese word segmentation with jieba (@node-rs/jieba), its default dictionary plus the words a
 * model was trained with (`userWords`: the need lexicon's terms and a few chat words, so 楼道灯 and
 * 签到码 stay whole). Loading takes most of a second and some 60 MB, so it happens once per
 * process, on first use; after that a cut is pure CPU (tens of microseconds for a chat line).
 */
export interface Segmenter {
  cut(text: string): string[];
}

let loaded: { jieba: Jieba; words: string } | undefined;

/** The process's segmenter, with `userWords` added (the first caller's words are the ones loaded). */
export function segmenter(userWords: readonly string[]): Segmenter {
  if (!loaded) {
    const jieba = Jieba.withDict(dict);
    // jieba's user dictionary format: "word freq" per line; a high frequency keeps the word whole.
    if (userWords.length) jieba.loadDict(Buffer.from(userWords.map((w) => `${w} 20000`).join('\n')));
    loaded = { jieba, words: userWords.join('|') };
  }
  const jieba = loaded.jieba;
  return { cut: (text) => jieba.cut(text, false) };
}
