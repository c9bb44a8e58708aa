// The command registry (src/flows/commands/registry.ts) is the one place a command is declared:
// these tests fail when an entry lacks words, a handler, a usage, help or a menu line, when two
// entries claim one word, or when the tables derived from it (parser, help, menu) drift from it.
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import { grantRole } from '../../../src/core/roles/grant-role.ts';
import { commandEntries, commandMenus, helpText, type CommandKind } from '../../../src/flows/commands/registry.ts';
import { bare, withArguments, type CommandSpec } from '../../../src/flows/commands/spec.ts';
import { errorText, locales, t } from '../../../src/flows/messages.ts';
import { parseNumber } from '../../../src/flows/parse/arguments.ts';
import { normalizeText } from '../../../src/flows/parse/normalize.ts';
import { parseCommand } from '../../../src/flows/parse/parse-command.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';

const entries = commandEntries;
const kinds = entries.map(([k]) => k);
const norm = (s: string) => normalizeText(s, { botNames: [] }).text;
/** A rendered line is real text: not empty, no template left over, no missing parameter. */
const rendered = (s: string) => s.trim().length > 0 && !s.includes('undefined') && !s.includes('${');

/** What a word alone parses to: its command (bare), its usage (with arguments), or nothing (an everyday alias). */
function kindOf(text: string): string | null {
  const c = parseCommand(text);
  if (c === null) return null;
  return c.kind === 'usage' ? c.command : c.kind;
}

describe('the command registry', () => {
  it('has the commands of the chat contract that are built, and none that are not', () => {
    expect(kinds).toEqual(expect.arrayContaining(['need', 'upvote', 'needs', 'projects', 'signup', 'cancel', 'claim', 'checkin', 'rate', 'me', 'help', 'bind', 'publish', 'remind', 'close', 'vote', 'unvote', 'propose', 'proposals', 'human', 'todo', 'makeProject', 'addShift', 'moveShift', 'cancelShift', 'swap', 'takeOver']));
  });

  describe.each(entries)('%s', (kind, spec) => {
    it('has words in Simplified, Traditional and English; the Traditional ones normalise to the Simplified, index for index', () => {
      expect(spec.words['zh-Hans'].length).toBeGreaterThan(0);
      expect(spec.words.en.length).toBeGreaterThan(0);
      expect(spec.words['zh-Hant']).toHaveLength(spec.words['zh-Hans'].length);
      spec.words['zh-Hant'].forEach((w, i) => expect(norm(w)).toBe(norm(spec.words['zh-Hans'][i]!)));
      // The parser reads `/name` with 1 to 20 Latin letters.
      for (const w of spec.words.en) expect(w).toMatch(/^[a-z]{1,20}$/);
    });

    it('every word, in every script, reaches this command through the parser', () => {
      const everyday = spec.parse === undefined ? [] : (spec.everyday ?? []);
      for (const w of everyday) expect(spec.words['zh-Hans']).toContain(w);
      for (const w of [...spec.words['zh-Hans'], ...spec.words['zh-Hant']]) {
        if (everyday.includes(norm(w))) {
          expect(kindOf(norm(w)), w).toBeNull(); // "取消" alone is chatter...
          expect(kindOf(`${norm(w)} 3`), w).toBe(kind); // ...with a number it is the command
        } else {
          expect(kindOf(norm(w)), w).toBe(kind);
        }
      }
      for (const w of spec.words.en) {
        expect(kindOf(`/${w}`), w).toBe(kind);
        expect(kindOf(`/${w.toUpperCase()}@linli_bot`), w).toBe(kind);
      }
    });

    it('has a handler', () => {
      expect(typeof spec.run).toBe('function');
      if (spec.parse !== undefined) expect(typeof spec.parse).toBe('function');
    });

    it('has a help line in every locale; with arguments, a usage line in every locale that shows an English word', () => {
      for (const l of locales) expect(rendered(t(l, spec.help.line)), `${l} ${spec.help.line}`).toBe(true);
      if (spec.parse === undefined) return;
      for (const l of locales) expect(rendered(t(l, spec.usage)), `${l} ${spec.usage}`).toBe(true);
      expect(spec.words.en.some((w) => t('en', spec.usage).includes(`/${w}`)), t('en', spec.usage)).toBe(true);
    });

    it('has a menu line where it is in the menu: a Telegram command name and a 1-256 character description', () => {
      if (spec.menu === undefined) return;
      expect(spec.words.en[0]).toMatch(/^[a-z0-9_]{1,32}$/);
      for (const l of locales) {
        const d = t(l, spec.menu);
        expect(rendered(d)).toBe(true);
        expect(d.length).toBeLessThanOrEqual(256);
      }
    });
  });

  it('no two entries share a word, in any script', () => {
    for (const script of ['zh-Hans', 'zh-Hant', 'en'] as const) {
      const owners = new Map<string, CommandKind[]>();
      for (const [k, s] of entries) for (const w of s.words[script]) owners.set(w.toLowerCase(), [...(owners.get(w.toLowerCase()) ?? []), k]);
      const shared = [...owners].filter(([, ks]) => ks.length > 1);
      expect(shared, script).toEqual([]);
    }
  });

  it('help in private lists every command (in each locale), a worker seeing the workers’ lines too', () => {
    for (const l of locales) {
      const resident = helpText(l, { bot: '邻里助手', inGroup: false, worker: false });
      const worker = helpText(l, { bot: '邻里助手', inGroup: false, worker: true });
      for (const [k, s] of entries) {
        const line = t(l, s.help.line);
        expect(worker, `${l}: ${k}`).toContain(line);
        if (s.who === 'anyone') expect(resident, `${l}: ${k}`).toContain(line);
        else expect(resident, `${l}: ${k}`).not.toContain(line);
      }
    }
  });

  it('help in a group is the short list and fits one phone screen, even a worker’s', () => {
    for (const l of locales) {
      const text = helpText(l, { bot: '邻里助手', inGroup: true, worker: true });
      expect(text.length, l).toBeLessThanOrEqual(600);
      for (const [, s] of entries) expect(text.includes(t(l, s.help.line)), s.help.line).toBe(s.help.inGroup);
    }
  });

  it('the Telegram menus are the entries with a menu line, in the registry’s order, default (zh-Hans) and English', () => {
    const inMenu = entries.filter(([, s]) => s.menu !== undefined).map(([, s]) => s.words.en[0]);
    const [zh, en] = commandMenus();
    expect(zh?.language).toBeUndefined();
    expect(en?.language).toBe('en');
    expect(zh?.commands.map((c) => c.command)).toEqual(inMenu);
    expect(en?.commands.map((c) => c.command)).toEqual(inMenu);
    expect(zh?.commands[0]).toEqual({ command: 'need', description: t('zh-Hans', 'menu_need') });
  });

  test('the compiler refuses an entry without a handler, help or usage, and a handler that wants other arguments', () => {
    const words = { 'zh-Hans': ['示例'], 'zh-Hant': ['示例'], en: ['example'] };
    const help = { line: 'help_remind', inGroup: false } as const;
    const specs: CommandSpec[] = [
      // @ts-expect-error: no handler (`run`)
      withArguments({ words, who: 'worker', parse: parseNumber, usage: 'usage_close', help }),
      // @ts-expect-error: no handler (`run`)
      bare({ words, who: 'anyone', help }),
      // @ts-expect-error: no help line
      bare({ words, who: 'anyone', run: async () => {} }),
      // @ts-expect-error: a command with arguments needs a usage line
      withArguments({ words, who: 'worker', parse: parseNumber, help, run: async () => {} }),
      // @ts-expect-error: there is no message `usage_example` (a command not built has none)
      withArguments({ words, who: 'anyone', parse: parseNumber, usage: 'usage_example', help, run: async () => {} }),
      // @ts-expect-error: parseNumber reads `{ number }`, not `{ name }`
      withArguments({ words, who: 'worker', parse: parseNumber, usage: 'usage_close', help, run: async (_turn, { name }: { name: string }) => void name }),
    ];
    expect(specs).toHaveLength(6);
  });
});

describe('commands through the router', () => {
  let h: Harness;
  let lastId = 0;
  let n = 0;
  const say = async (persona: string, conversation: string, text: string): Promise<string[]> => {
    await h.app.webChat.receive({ conversation, persona, text, clientId: `c-${persona}-${++n}` }, persona);
    await h.drain();
    const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { senderId: null, id: { gt: lastId } }, orderBy: { id: 'asc' } });
    lastId = rows.at(-1)?.id ?? lastId;
    return rows.map((r) => r.text);
  };

  beforeAll(async () => {
    h = await createHarness();
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: 'g1' });
    await grantRole(h.app.ctx, { community: 'HT01', role: 'worker', platform: 'web', user: '王书记', name: '王书记' });
    await say('张阿姨', 'g1', '需求清单'); // makes 回天一社区 her home for private chat
    await say('王书记', 'g1', '需求清单');
  });
  afterAll(async () => h?.close());

  test('找人替班 / 接班, built now, reach their entries: a refusal that says why, a usage line, and 接班 alone is chatter', async () => {
    const notFound = errorText('zh-Hans', 'PROJECT_NOT_FOUND', { number: 2 });
    expect(await say('张阿姨', 'dm:张阿姨', '找人替班 2')).toEqual([notFound]);
    expect(await say('张阿姨', 'g1', '找人替班 2')).toEqual([`@张阿姨 ${notFound}`]);
    expect(await say('张阿姨', 'dm:张阿姨', '/swap 2')).toEqual([notFound]);
    expect(await say('张阿姨', 'dm:张阿姨', '/takeover 2')).toEqual([notFound]);
    expect(await say('张阿姨', 'dm:张阿姨', '找人替班')).toEqual([t('zh-Hans', 'usage_substitute')]);
    expect(await say('张阿姨', 'g1', '接班')).toEqual([]); // an everyday word alone: group chatter, no reply
    expect(await say('张阿姨', 'g1', '接班人选好了吗')).toEqual([]);
  });

  test('regression: a bare 语言 gets its own usage line, not "没看懂这条指令" (usage_generic)', async () => {
    expect(await say('张阿姨', 'dm:张阿姨', '语言')).toEqual([t('zh-Hans', 'usage_language')]);
  });

  test('帮助 in private lists every command this person may use; a worker sees the workers’ too', async () => {
    expect(await say('张阿姨', 'dm:张阿姨', '帮助')).toEqual([helpText('zh-Hans', { bot: '邻里助手', inGroup: false, worker: false })]);
    const worker = await say('王书记', 'dm:王书记', '帮助');
    expect(worker).toEqual([helpText('zh-Hans', { bot: '邻里助手', inGroup: false, worker: true })]);
    expect(worker[0]).toContain('同意认领 申请号 / 拒绝认领 申请号 原因');
  });

  test('a usage line comes from the entry: 报名 without a number', async () => {
    expect(await say('张阿姨', 'g1', '报名')).toEqual([`@张阿姨 ${t('zh-Hans', 'usage_signup')}`]);
    expect(await say('张阿姨', 'dm:张阿姨', '/claim')).toEqual([t('zh-Hans', 'usage_claim')]);
  });
});
