import type { CommandMenu } from '../../bots/types.ts';
import { t, type Locale } from '../messages.ts';
import type { Audience, CommandSpec, HelpKey } from './spec.ts';

export interface HelpOptions {
  /** The bot's name, as the help's first line introduces it. */
  bot: string;
  /** In a group the help lists only the lines marked `inGroup` (one phone screen). */
  inGroup: boolean;
  /** Workers also see the workers' commands. */
  worker: boolean;
}

/** Each help line once, in the registry's order, for one audience. */
function helpLines(specs: Iterable<CommandSpec>, who: Audience, inGroup: boolean): HelpKey[] {
  const lines: HelpKey[] = [];
  for (const s of specs) {
    if (s.who !== who || (inGroup && !s.help.inGroup) || lines.includes(s.help.line)) continue;
    lines.push(s.help.line);
  }
  return lines;
}

/**
 * The help text, derived from registry entries: an introduction, the residents' lines, and for
 * a worker the workers' lines after their own heading. Pure.
 */
export function renderHelp(locale: Locale, specs: Iterable<CommandSpec>, opts: HelpOptions): string {
  const list = [...specs];
  const lines = [t(locale, 'helpIntro', { bot: opts.bot }), ...helpLines(list, 'anyone', opts.inGroup).map((k) => t(locale, k))];
  if (opts.worker) lines.push(t(locale, 'helpWorkerIntro'), ...helpLines(list, 'worker', opts.inGroup).map((k) => t(locale, k)));
  return lines.join('\n');
}

/** A platform `/` menu in one language, from the entries that have a menu line. Pure, JSON-safe. */
export function renderMenu(locale: Locale, specs: Iterable<CommandSpec>): CommandMenu['commands'] {
  const commands: Array<{ command: string; description: string }> = [];
  for (const s of specs) {
    const command = s.words.en[0];
    if (s.menu !== undefined && command !== undefined) commands.push({ command, description: t(locale, s.menu) });
  }
  return commands;
}
