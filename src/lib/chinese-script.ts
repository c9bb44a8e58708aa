import { Converter as ToTraditional } from 'opencc-js/cn2t';
import { Converter as ToSimplified } from 'opencc-js/t2cn';

// One OpenCC converter per direction for the whole process, each built on first use. A converter
// is a trie of its dictionaries, and a large one: Simplified → Traditional (Taiwan) holds some
// 40 MB of heap, Traditional → Simplified some 2 MB. Built once per caller instead, the chat's
// catalogue and the console's each carried their own 40 MB copy, and the router's normalising and
// the understanding model's features two of the other.

let hant: ((s: string) => string) | undefined;
let hans: ((s: string) => string) | undefined;

/** Simplified Chinese in Traditional characters, Taiwan standard (OpenCC `cn → tw`). Pure. */
export function toTraditional(simplified: string): string {
  return (hant ??= ToTraditional({ from: 'cn', to: 'tw' }))(simplified);
}

/**
 * Traditional → Simplified. `hk → cn` is OpenCC's `hk2s`: standard Traditional plus the Hong Kong
 * variant forms (衞 → 卫), with no false positives on Simplified text (unlike `tw → cn`, which turns a
 * lone 么 into 幺). Pure.
 */
export function toSimplified(text: string): string {
  return (hans ??= ToSimplified({ from: 'hk', to: 'cn' }))(text);
}
