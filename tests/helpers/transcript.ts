// Golden transcripts: a script of what people type and the exact replies expected.
//
//   # comment
//   !community HT01 回天一社区 [街道]      a community (on that street, made when new)
//   !streetworker 回龙观街道 李主任          a person with the worker role on a street
//   !group g1 HT01 [building]             a group bound to it (alias g1)
//   !group g9                             a group bound to nothing
//   !worker HT01 王书记                    a person with the worker role there
//   !project HT01 {"title":…,"needs":[1],"shifts":["2026-12-05 09:00-11:00|3|门口"]}   a project, made as
//                                         the API makes it (its needs' supporters are told in private)
//   !org HT01 {"name":…,"serves":["repair"],"members":["陈老师"]}   an organization and its members
//   !round HT01 {"title":…,"budget":30000,"votes":2}   a 微创投 round (CLI's round create), moved to
//                                         collecting: its announcement is the bot lines that follow
//   !clock 2026-12-04T09:00+08:00         moves the test clock there; reminders due by then are sent
//                                         (their messages are the bot lines that follow)
//   张阿姨 @g1: 需求 3号楼楼道灯坏了         a person says something in group g1 (or @dm: in private)
//   张阿姨 @g1 (reply): …                  … replying to one of the bot's messages
//   张阿姨 @g1 (again)                     the platform delivers the previous message once more
//   bot @g1: @张阿姨 已登记需求 #1（物业维修）…  a reply expected in g1 (@dm:张阿姨 for private)
//     | a continuation line of the same reply
//
// After each person line, the replies that follow it must be exactly what the bot sent, no more,
// no fewer (a person line with no bot lines after it expects silence).
import { readFileSync } from 'node:fs';
import type { Platform } from '../../src/bots/types.ts';

export type Step =
  | { kind: 'community'; code: string; name: string; street?: string }
  | { kind: 'streetworker'; street: string; person: string }
  | { kind: 'group'; alias: string; community?: string; building?: string }
  | { kind: 'worker'; community: string; person: string }
  | { kind: 'project'; community: string; spec: ProjectSpec; line: number; expected: string[] }
  | { kind: 'org'; community: string; spec: OrgSpec }
  | { kind: 'round'; community: string; spec: RoundSpec; line: number; expected: string[] }
  | { kind: 'clock'; at: string; line: number; expected: string[] }
  | { kind: 'say'; person: string; conv: string; text: string; reply: boolean; again: boolean; line: number; expected: string[] };

/** `!project HT01 {"title":…,"needs":[1],"claim":"both","shifts":["2026-12-05 09:00-11:00|3|3号楼门口"]}` */
export interface ProjectSpec {
  title: string;
  needs?: number[];
  claim?: 'volunteers' | 'organization' | 'both';
  shifts?: string[];
  description?: string;
  /** Check-in secrets for the shifts, in order, so the codes a transcript shows are always the same. */
  checkinSecrets?: string[];
}
/** `!round HT01 {"title":"2027年微创投","budget":30000,"votes":2,"minVotes":1}` */
export interface RoundSpec {
  title: string;
  budget: number;
  style?: 'approval' | 'knapsack';
  votes?: number;
  minShare?: number;
  minVotes?: number;
  hiddenTallies?: boolean;
}
/** `!org HT01 {"name":"夕阳天使志愿服务队","serves":["elderly"],"members":["陈老师"]}` */
export interface OrgSpec {
  name: string;
  serves?: string[];
  members?: string[];
}

export function parseTranscript(source: string): Step[] {
  const steps: Step[] = [];
  const lines = source.split('\n');
  let last: { expected: string[] } | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (!line.trim() || line.trim().startsWith('#')) return;
    if (line.startsWith('  | ') || line === '  |') {
      if (!last || last.expected.length === 0) throw new Error(`line ${i + 1}: continuation without a bot line`);
      last.expected[last.expected.length - 1] += `\n${line.slice(4)}`;
      return;
    }
    const words = line.split(/\s+/);
    if (line.startsWith('!community ')) steps.push({ kind: 'community', code: words[1] ?? '', name: words[2] ?? '', street: words[3] });
    else if (line.startsWith('!streetworker ')) steps.push({ kind: 'streetworker', street: words[1] ?? '', person: words[2] ?? '' });
    else if (line.startsWith('!group ')) steps.push({ kind: 'group', alias: words[1] ?? '', community: words[2], building: words[3] });
    else if (line.startsWith('!worker ')) steps.push({ kind: 'worker', community: words[1] ?? '', person: words[2] ?? '' });
    else if (line.startsWith('!project ')) {
      const project: Extract<Step, { kind: 'project' }> = {
        kind: 'project',
        community: words[1] ?? '',
        spec: JSON.parse(line.slice(line.indexOf('{'))) as ProjectSpec,
        line: i + 1,
        expected: [],
      };
      last = project;
      steps.push(project);
    }
    else if (line.startsWith('!round ')) {
      const round: Extract<Step, { kind: 'round' }> = {
        kind: 'round',
        community: words[1] ?? '',
        spec: JSON.parse(line.slice(line.indexOf('{'))) as RoundSpec,
        line: i + 1,
        expected: [],
      };
      last = round;
      steps.push(round);
    }
    else if (line.startsWith('!org ')) steps.push({ kind: 'org', community: words[1] ?? '', spec: JSON.parse(line.slice(line.indexOf('{'))) as OrgSpec });
    else if (line.startsWith('!clock ')) {
      const at = words[1] ?? '';
      if (Number.isNaN(new Date(at).getTime())) throw new Error(`line ${i + 1}: "${at}" is not an ISO time`);
      const clock: Extract<Step, { kind: 'clock' }> = { kind: 'clock', at, line: i + 1, expected: [] };
      last = clock;
      steps.push(clock);
    }
    else if (line.startsWith('bot @')) {
      if (!last) throw new Error(`line ${i + 1}: a bot line before anyone spoke`);
      last.expected.push(line);
    } else {
      const m = /^(\S+) @(\S+?)(?: \((reply|again)\))?(?:: (.*))?$/.exec(line);
      if (!m) throw new Error(`line ${i + 1}: cannot read "${line}"`);
      const say: Extract<Step, { kind: 'say' }> = {
        kind: 'say',
        person: m[1] ?? '',
        conv: m[2] ?? '',
        text: m[4] ?? '',
        reply: m[3] === 'reply',
        again: m[3] === 'again',
        line: i + 1,
        expected: [],
      };
      last = say;
      steps.push(say);
    }
  });
  return steps;
}

/** What a transcript needs from a platform: set up chats, deliver a message, read the replies. */
export interface TranscriptDriver {
  readonly platform: Platform;
  /** The platform's chat id for a group alias. */
  groupChatId(alias: string): string;
  /** The platform's user id for a person's name. */
  userId(person: string): string;
  /** Delivers a message as the platform would; `again` redelivers the previous one. */
  say(step: Extract<Step, { kind: 'say' }>): Promise<void>;
  /** Everything the bot sent since the last call, as `bot @<conv>: text` lines. */
  collect(): Promise<string[]>;
}

export function loadTranscript(name: string): Step[] {
  return parseTranscript(readFileSync(new URL(`../transcripts/${name}`, import.meta.url), 'utf8'));
}
