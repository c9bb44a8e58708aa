import type { GroupDirectory } from '../../core/groups/group-directory.ts';
import type { PersonDirectory } from '../../core/people/resolve-person.ts';
import type { MessageKey } from '../messages.ts';
import type { ArgumentParser } from '../parse/arguments.ts';
import type { Turn } from '../turn.ts';

/** What a handler may need besides its turn: the router's directories, whose caches it clears. */
export interface CommandDeps {
  readonly groups: GroupDirectory;
  readonly people: PersonDirectory;
}

/**
 * Who a command is for, as help shows it: `worker` commands are listed only to the community's
 * workers. This is not the permission check: that stays in core (`requireWorker`).
 */
export type Audience = 'anyone' | 'worker';

/**
 * A command's words. Simplified words are matched at the start of a message (normalisation turns
 * Traditional into Simplified first, so the Traditional list spells the same words, index for
 * index, and the registry test checks that they normalise to them). English words are typed as
 * slash commands (`/signup`), any case; the first is the one the platform menu shows.
 */
export interface CommandWords {
  readonly 'zh-Hans': readonly string[];
  readonly 'zh-Hant': readonly string[];
  readonly en: readonly string[];
}

export type UsageKey = Extract<MessageKey, `usage_${string}`>;
export type HelpKey = Extract<MessageKey, `help_${string}`>;
export type MenuKey = Extract<MessageKey, `menu_${string}`>;

/** The help line that lists a command. Commands shown together (签到 / 签退) name the same line. */
export interface HelpLine {
  readonly line: HelpKey;
  /** Listed in a group's help too, which must fit one phone screen; otherwise only in private. */
  readonly inGroup: boolean;
}

interface CommonSpec {
  readonly words: CommandWords;
  readonly who: Audience;
  readonly help: HelpLine;
  /** The command's line in the platform's `/` menu (Telegram), when it has one. */
  readonly menu?: MenuKey;
}

/** Arguments of a command that takes none. */
export type NoArgs = Record<never, never>;

/** A command word that takes no arguments (`项目`, `我的`): it counts only as the whole text. */
export interface BareCommandSpec extends CommonSpec {
  readonly parse?: undefined;
  readonly run: (turn: Turn, args: NoArgs, deps: CommandDeps) => Promise<void>;
}

/** A command word followed by arguments, which `parse` reads into `A` for `run`. */
export interface ArgCommandSpec<A extends object> extends CommonSpec {
  readonly parse: ArgumentParser<A>;
  /** What to say when the word came without (well-formed) arguments. */
  readonly usage: UsageKey;
  /** Instead of the usage line: a bare `需求` asks for the text and waits for it. */
  readonly askForArguments?: (turn: Turn) => Promise<void>;
  /** Needs a separator (space, `:` or `,`) after the word: `需求太多了` is chatter. */
  readonly separated?: true;
  /**
   * Aliases that are also everyday words (`取消`): they count only with well-formed arguments;
   * otherwise the text is chatter, never a usage line. Each must be one of the Simplified words.
   */
  readonly everyday?: readonly string[];
  readonly run: (turn: Turn, args: A, deps: CommandDeps) => Promise<void>;
}

/**
 * One registry entry. `any` only here, where entries of different argument types meet in one
 * table; each entry is typed exactly by {@link withArguments} / {@link bare}.
 */
export type CommandSpec = BareCommandSpec | ArgCommandSpec<any>;

/** The arguments an entry's parser produces (none for a bare command). */
export type ArgsOf<S> = S extends ArgCommandSpec<infer A> ? A : NoArgs;

/**
 * An entry for a command with arguments; `A` is inferred from `parse`, so `run` gets exactly what
 * was parsed. An entry without `run`, `usage` or `help` does not compile.
 */
export function withArguments<A extends object>(spec: ArgCommandSpec<A>): ArgCommandSpec<A> {
  return spec;
}

/** An entry for a command without arguments. An entry without `run` or `help` does not compile. */
export function bare(spec: BareCommandSpec): BareCommandSpec {
  return spec;
}
