import { commandEntries, commands, type Command, type CommandKind, type ParsedCommand } from '../commands/registry.ts';
import type { CommandSpec } from '../commands/spec.ts';
import { SEPARATORS } from './arguments.ts';

export type { Command, CommandKind } from '../commands/registry.ts';

/**
 * How one word reads: its command and the parts of its registry entry matching needs. The word
 * tables below are built from the command registry (src/flows/commands/registry.ts), never
 * written here.
 */
interface WordSpec {
  readonly kind: CommandKind;
  /** Absent for a word that takes no arguments: it matches only as the whole text. */
  readonly parse?: (args: string) => object | null;
  /**
   * An alias that is also an everyday word (`取消`): it counts only with well-formed arguments;
   * otherwise the text is chatter (null), never `usage`.
   */
  readonly quiet?: true;
  /** Needs a separator (space, `:` or `,`) after the word: `需求太多了` is chatter. */
  readonly separated?: true;
}

function wordSpec(kind: CommandKind, spec: CommandSpec, quiet: boolean): WordSpec {
  if (spec.parse === undefined) return { kind };
  return {
    kind,
    parse: spec.parse,
    ...(quiet ? { quiet: true as const } : {}),
    ...(spec.separated ? { separated: true as const } : {}),
  };
}

/** Command words by first character, longest first: `需求清单` is tried before `需求`. */
const WORDS_BY_FIRST: ReadonlyMap<string, ReadonlyArray<readonly [string, WordSpec]>> = (() => {
  const map = new Map<string, Array<readonly [string, WordSpec]>>();
  for (const [kind, spec] of commandEntries) {
    // Simplified only: normalisation converts Traditional before parsing.
    for (const word of spec.words['zh-Hans']) {
      const everyday = spec.parse !== undefined && (spec.everyday ?? []).includes(word);
      const list = map.get(word.charAt(0)) ?? [];
      list.push([word, wordSpec(kind, spec, everyday)]);
      map.set(word.charAt(0), list);
    }
  }
  for (const list of map.values()) list.sort((a, b) => b[0].length - a[0].length);
  return map;
})();

/** Slash commands (case-insensitive), Telegram style: the registry's English words. */
const SLASH: ReadonlyMap<string, WordSpec> = new Map(
  commandEntries.flatMap(([kind, spec]) => spec.words.en.map((w) => [w.toLowerCase(), wordSpec(kind, spec, false)] as const)),
);

/** `+1 N` is upvote's own syntax (see {@link parsePlusOne}). */
const UPVOTE: WordSpec = wordSpec('upvote', commands.upvote, false);
const ONLY_SEPARATORS = /^[\s:,：，?？!！.。~～]*$/;
/** `/name`, an optional Telegram `@botname`, then the rest. */
const SLASH_COMMAND = /^\/([A-Za-z]{1,20})(?:@[A-Za-z0-9_]{1,64})?(?![A-Za-z])/;
const PLUS_ONE = '+1';
const DIGIT_OR_HASH = /^[0-9#]/;
const STARTS_WITH_SEPARATOR = /^[\s:,：，]/;
const STARTS_WITH_DIGIT = /^\d/;

function usage(kind: CommandKind, exact: boolean): Command {
  return { kind: 'usage', command: kind, exact };
}

/** The parsed command: the word's kind with what its entry's parser read. */
function parsed(spec: WordSpec, args: object): Command {
  // The entry of `kind` produced `args`: together they are that command.
  return { kind: spec.kind, ...args } as ParsedCommand;
}

function runParser(spec: WordSpec, args: string, exact: boolean): Command | null {
  if (spec.parse === undefined) return { kind: spec.kind } as ParsedCommand;
  if (args === '') return spec.quiet === true ? null : usage(spec.kind, exact);
  const read = spec.parse(args);
  if (read !== null) return parsed(spec, read);
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
    if (spec.parse === undefined) return null; // "项目经理说明天停水", "我的天"
    if (STARTS_WITH_SEPARATOR.test(rest)) return runParser(spec, rest.replace(SEPARATORS, '').trim(), false);
    if (spec.separated === true) return null; // "需求太多了"
    // No separator: "报名3", "同求#12", "报名第3个" count; "报名的人多吗" is chatter unless its
    // arguments happen to parse ("报名三号").
    if (DIGIT_OR_HASH.test(rest) || rest.startsWith('第')) return runParser(spec, rest.trim(), false);
    const read = spec.parse(rest.trim());
    return read === null ? null : parsed(spec, read);
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
