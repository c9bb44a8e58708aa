import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';

/**
 * Chinese word segmentation with jieba (@node-rs/jieba), its default dictionary plus the words a
 * model was trained with (`userWords`: the need lexicon's terms and a few chat words, so 楼道灯 and
 * 签到码 stay whole). Loading takes most of a second and some 60 MB, so it happens once per
 * process, on first use; after that a cut is pure CPU (tens of microseconds for a chat line).
 * The dictionary file is read here rather than through `@node-rs/jieba/dict.js`, which also reads
 * the 6 MB TF-IDF table (not used) and keeps both buffers alive for the life of the process: the
 * same bytes reach `Jieba.withDict`, and the buffer is garbage once jieba has built its own copy.
 */
export interface Segmenter {
  cut(text: string): string[];
}

let loaded: { jieba: Jieba; words: string } | undefined;

/** The process's segmenter, with `userWords` added (the first caller's words are the ones loaded). */
export function segmenter(userWords: readonly string[]): Segmenter {
  if (!loaded) {
    const jieba = Jieba.withDict(readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt')));
    // jieba's user dictionary format: "word freq" per line; a high frequency keeps the word whole.
    if (userWords.length) jieba.loadDict(Buffer.from(userWords.map((w) => `${w} 20000`).join('\n')));
    loaded = { jieba, words: userWords.join('|') };
  }
  const jieba = loaded.jieba;
  return { cut: (text) => jieba.cut(text, false) };
}
