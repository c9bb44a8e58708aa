// The WeCom 智能机器人 as a transcript driver: members' messages are pushed by the fake WeCom
// long-connection server to the real SDK inside WecomBotAdapter, and the bot's replies are read
// back from what the fake recorded (`aibot_send_msg`), shown as a WeCom client shows them.
//
// In a WeCom group the bot receives only messages that @ it (official docs, 智能机器人 接收消息:
// "用户群里@智能机器人…发送文本消息"); the fake server enforces that. A resident who means the
// bot therefore @s it. This driver plays the transcript's residents that way: a group line that
// addresses the bot by the chat contract (a command word or /command at the start, urgent words
// (which WeCom would not show the bot otherwise: a resident there must @ it), an @ of the
// bot, a reply to the bot, or the answer to a question the bot has just put to this person in
// this group) is typed with `@<bot name> ` in front, unless it already @s the bot. Any other line
// is typed as written and WeCom never delivers it: the transcript's silence for group chatter is,
// on WeCom, the platform's doing. A bare `+1` is agreement with a neighbour (chat contract), not
// addressed. `@dm` lines go to `direct` (the app driver) when given, else to the bot's private
// chat. `(again)` pushes the previous frame once more, same msgid.
import { readUrgent } from '../../src/flows/parse/urgent.ts';
import { normalizeText } from '../../src/flows/parse/normalize.ts';
import { parseCommand } from '../../src/flows/parse/parse-command.ts';
import type { WecomBotAdapter } from '../../src/bots/wecom/wecom-bot-adapter.ts';
import type { FakeWecomAibotServer, RecordedFrame } from './fakes/wecom-aibot-server.ts';
import type { Harness } from './harness.ts';
import type { Step, TranscriptDriver } from './transcript.ts';
import type { WecomPeople } from './wecom-people.ts';

export interface WecomBotDriverOptions {
  h: Harness;
  bot: WecomBotAdapter;
  server: FakeWecomAibotServer;
  people: WecomPeople;
  /** The name residents @; default the app's bot name. */
  botName?: string;
  /** Plays the `@dm` lines (the self-built app); default the bot's own private chat. */
  direct?: TranscriptDriver;
  /** How long to wait for a pushed frame to be handled. */
  timeoutMs?: number;
}

/** WeCom group chatids look like `wrkSFfCgAA…`. */
const rawChatId = (alias: string) => `wrkSFfCgAA${alias}`;

export function wecomBotDriver(o: WecomBotDriverOptions): TranscriptDriver {
  const botName = o.botName ?? o.h.app.opts.config.botName;
  const aliases = new Map<string, string>();
  let msgSeq = 0;
  let lastSeq = 0;
  let previous: { frame: Record<string, unknown>; msgid: string } | undefined;

  /** Resolves when the adapter has handed frame `msgid` to the router and the router returned. */
  const handled = (msgid: string): { promise: Promise<void>; cancel(): void } => {
    let stop = () => undefined as unknown;
    const promise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`frame ${msgid} was not handled in time`));
      }, o.timeoutMs ?? 10_000);
      const off = o.bot.onInbound((r) => {
        if (r.msgid !== msgid) return;
        stop();
        if (r.result === 'failed') reject(new Error(`frame ${msgid} failed`));
        else resolve();
      });
      stop = () => {
        clearTimeout(timer);
        off();
      };
    });
    return { promise, cancel: () => stop() };
  };

  const push = async (frame: { chattype: 'group' | 'single'; chatid?: string; userid: string; content: string }) => {
    const msgid = `CAIQ${String(++msgSeq).padStart(8, '0')}`;
    const wait = handled(msgid);
    const r = await o.server.push({ ...frame, msgid });
    if (!r.delivered) {
      wait.cancel();
      previous = undefined;
      return;
    }
    previous = { frame: r.frame, msgid };
    await wait.promise;
  };

  const addressesBot = async (step: Extract<Step, { kind: 'say' }>, chatId: string, userId: string): Promise<boolean> => {
    if (step.reply) return true;
    const norm = normalizeText(step.text, { botNames: [botName] });
    if (norm.mentionedBot) return true;
    // Urgent words: the chat contract answers them even unaddressed, but WeCom never shows the bot
    // a group message that does not @ it, so on WeCom a resident must @ the bot to get the numbers.
    if (readUrgent(norm.text) !== null) return true;
    const command = parseCommand(norm.text);
    if (command && command.kind !== 'usage') return true;
    if (command?.kind === 'usage' && command.command !== 'upvote' && (command.exact || norm.text.startsWith('/'))) return true;
    const waiting = await o.h.app.router.sessions.get({ platform: 'wecom', chatId, userId });
    return waiting !== null;
  };

  return {
    platform: 'wecom',
    groupChatId(alias) {
      aliases.set(rawChatId(alias), alias);
      return `bot:${rawChatId(alias)}`;
    },
    userId: (person) => o.people.userId(person),
    async say(step) {
      if (step.again) {
        if (step.conv === 'dm' && o.direct) return o.direct.say(step);
        if (!previous) return; // the platform never delivered it the first time either
        const wait = handled(previous.msgid);
        await o.server.redeliver(previous.frame);
        await wait.promise;
        return;
      }
      const userid = o.people.userId(step.person);
      if (step.conv === 'dm') {
        if (o.direct) return o.direct.say(step);
        return push({ chattype: 'single', userid, content: step.text });
      }
      const chatid = rawChatId(step.conv);
      aliases.set(chatid, step.conv);
      const addressed = await addressesBot(step, `bot:${chatid}`, userid);
      const mentioned = normalizeText(step.text, { botNames: [botName] }).mentionedBot;
      await push({ chattype: 'group', chatid, userid, content: addressed && !mentioned ? `@${botName} ${step.text}` : step.text });
    },
    async collect() {
      await o.h.drain();
      const mine: Array<{ conv: string; line: string }> = [];
      const fresh = o.server.sentMessages.filter((f) => f.seq > lastSeq);
      for (const f of fresh) {
        const chatid = String(f.body.chatid ?? '');
        const conv = aliases.get(chatid) ?? `dm:${o.people.name(chatid) ?? chatid}`;
        mine.push({ conv, line: `bot @${conv}: ${o.people.render(shown(f))}` });
      }
      lastSeq = Math.max(lastSeq, ...fresh.map((f) => f.seq));
      const theirs = (o.direct ? await o.direct.collect() : []).map((line) => ({ conv: /^bot @(.+?): /.exec(line)?.[1] ?? '', line }));
      return [...mine, ...theirs].sort((a, b) => a.conv.localeCompare(b.conv)).map((x) => x.line);
    },
  };
}

/** What a WeCom client shows for a message the bot sent: markdown as text, a card's title and text. */
function shown(f: RecordedFrame): string {
  const b = f.body;
  if (b.msgtype === 'markdown') return String((b.markdown as { content?: unknown } | undefined)?.content ?? '');
  if (b.msgtype === 'template_card') {
    const card = (b.template_card ?? {}) as { main_title?: { title?: unknown }; sub_title_text?: unknown };
    const title = String(card.main_title?.title ?? '');
    return typeof card.sub_title_text === 'string' ? `${title}\n${card.sub_title_text}` : title;
  }
  return JSON.stringify(b);
}
