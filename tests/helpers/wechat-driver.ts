// WeChat as a transcript driver: a real Wechaty bot on wechaty-puppet-mock. Rooms are made per
// group alias (`<alias>@chatroom`), contacts per person name, and the bot's own contact is the
// puppet's login user. People speak through the mocker (`contact.say(text, mentions).to(room)`);
// what the bot said is read back from the messages its contact sent.
import { WechatyBuilder, type Wechaty } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { WechatAdapter } from '../../src/bots/wechat/wechat-adapter.ts';
import type { Harness } from './harness.ts';
import type { Step, TranscriptDriver } from './transcript.ts';

/**
 * PuppetMock drops the mention list of a text the bot sends; this one keeps it on the message (as
 * WeChat does) and returns the new message's id, so tests can see whom a reply @-mentions.
 */
export class RecordingPuppetMock extends PuppetMock {
  override async messageSendText(conversationId: string, text: string, mentionIdList: string[] = []): Promise<void> {
    if (!this.isLoggedIn) throw new Error('not logged in');
    const user = this.mocker.ContactMock.load(this.currentUserId);
    const conversation = conversationId.includes('@') ? this.mocker.RoomMock.load(conversationId) : this.mocker.ContactMock.load(conversationId);
    user.say(text, mentionIdList.map((id) => this.mocker.ContactMock.load(id))).to(conversation);
  }
}

export interface WechatMock {
  mocker: mock.Mocker;
  puppet: RecordingPuppetMock;
  bot: Wechaty;
  /** The bot's own WeChat contact (the puppet's login user). */
  botUser: mock.ContactMock;
  botName: string;
}

/** A Wechaty bot on a fresh mocker; the bot's contact is named like the bot (`@邻里助手`). */
export function createWechatMock(botName = '邻里助手'): WechatMock {
  const mocker = new mock.Mocker();
  const puppet = new RecordingPuppetMock({ mocker });
  const bot = WechatyBuilder.build({ puppet });
  const botUser = mocker.createContact({ id: 'wxid_linli_bot', name: botName });
  return { mocker, puppet, bot, botUser, botName };
}

/** Logs the bot's account in and waits until the adapter is online. */
export async function loginWechatMock(m: WechatMock, adapter: WechatAdapter): Promise<void> {
  await adapter.puppetStarted();
  m.mocker.login(m.botUser);
  await waitFor(() => adapter.status === 'online', 'the WeChat adapter to come online');
}

/** One message the bot sent, as the mock recorded it. */
export interface BotMessage {
  seq: number;
  id: string;
  /** `g1`-style group alias, or `dm:<person>`. */
  conv: string;
  text: string;
  mentionIdList: string[];
}

export interface WechatDriver extends TranscriptDriver {
  /** The mock contact for a person (made on first use). */
  contact(person: string): mock.ContactMock;
  /** The mock room for a group alias (made on first use, with the bot in it). */
  room(alias: string): mock.RoomMock;
  /** A person says `text` in a group (alias) or `dm`; waits until the adapter is done with it. Returns the message id. */
  deliver(person: string, conv: string, text: string, opts?: { replyToBot?: boolean }): Promise<string>;
  /** The platform delivers message `id` once more; waits until the adapter is done with it. */
  redeliver(id: string): Promise<void>;
  /** Waits for the outbound queue to drain and returns what the bot sent since the last call. */
  collectMessages(): Promise<BotMessage[]>;
}

/**
 * Plays transcripts over WeChat. A group text that names the bot (`@邻里助手 …`) is sent the way
 * WeChat sends a mention: `@邻里助手` + U+2005, with the bot in the message's mention list.
 */
export function wechatDriver(h: Harness, m: WechatMock, adapter: WechatAdapter): WechatDriver {
  const contacts = new Map<string, mock.ContactMock>();
  const names = new Map<string, string>();
  const rooms = new Map<string, mock.RoomMock>();
  const aliases = new Map<string, string>();
  const settled = new Map<string, number>();
  const lastBotText = new Map<string, string>();
  let sent: BotMessage[] = [];
  let seq = 0;
  let previousId: string | undefined;

  adapter.events.on('settled', ({ messageId }) => settled.set(messageId, (settled.get(messageId) ?? 0) + 1));
  events(m.botUser).on('message', (msg) => {
    const p = msg.payload;
    if (p.talkerId !== m.botUser.id) return; // a message to the bot, not from it
    const conv = p.roomId ? (aliases.get(p.roomId) ?? p.roomId) : `dm:${names.get(p.listenerId ?? '') ?? p.listenerId}`;
    const text = p.text ?? '';
    sent.push({ seq: ++seq, id: p.id, conv, text, mentionIdList: 'mentionIdList' in p ? [...(p.mentionIdList ?? [])] : [] });
    lastBotText.set(conv, text);
  });

  const contact = (person: string) => {
    let c = contacts.get(person);
    if (!c) {
      c = m.mocker.createContact({ id: `wxid_p${contacts.size + 1}`, name: person });
      contacts.set(person, c);
      names.set(c.id, person);
    }
    return c;
  };
  const room = (alias: string) => {
    let r = rooms.get(alias);
    if (!r) {
      r = m.mocker.createRoom({ id: `${alias}@chatroom`, topic: alias, memberIdList: [m.botUser.id] });
      rooms.set(alias, r);
      aliases.set(r.id, alias);
    }
    return r;
  };

  const waitSettled = (id: string, times: number) =>
    waitFor(() => (settled.get(id) ?? 0) >= times, `the WeChat adapter to handle message ${id}`);

  const deliver = async (person: string, conv: string, text: string, opts: { replyToBot?: boolean } = {}) => {
    const who = contact(person);
    const mention = `@${m.botName}`;
    let body = text;
    const mentions: mock.ContactMock[] = [];
    if (conv !== 'dm' && body.includes(mention)) {
      body = body.split(`${mention} `).join(`${mention}\u2005`);
      mentions.push(m.botUser);
    }
    const key = conv === 'dm' ? `dm:${person}` : conv;
    if (opts.replyToBot) body = `「${m.botName}：${lastBotText.get(key) ?? ''}」\n- - - - - - - - - - - - - - -\n${body}`;
    let id: string | undefined;
    const grab = (msg: mock.MessageMock) => {
      id ??= msg.id;
    };
    events(who).on('message', grab);
    try {
      if (conv === 'dm') {
        who.say(body).to(m.botUser);
      } else {
        const r = room(conv);
        if (!r.payload.memberIdList.includes(who.id)) r.payload.memberIdList.push(who.id);
        who.say(body, mentions).to(r);
      }
    } finally {
      events(who).off('message', grab);
    }
    if (!id) throw new Error('the mock did not report the message id');
    await waitSettled(id, 1);
    return id;
  };

  const redeliver = async (id: string) => {
    const before = settled.get(id) ?? 0;
    m.puppet.emit('message', { messageId: id });
    await waitSettled(id, before + 1);
  };

  const collectMessages = async () => {
    await h.drain();
    const out = sent;
    sent = [];
    return out;
  };

  return {
    platform: 'wechat',
    contact,
    room,
    deliver,
    redeliver,
    collectMessages,
    groupChatId: (alias) => room(alias).id,
    userId: (person) => contact(person).id,
    async say(step: Extract<Step, { kind: 'say' }>) {
      if (step.again) {
        if (!previousId) throw new Error(`line ${step.line}: (again) before any message`);
        await redeliver(previousId);
        return;
      }
      previousId = await deliver(step.person, step.conv, step.text, { replyToBot: step.reply });
    },
    async collect() {
      const messages = await collectMessages();
      return messages
        .sort((a, b) => a.conv.localeCompare(b.conv) || a.seq - b.seq)
        .map((msg) => `bot @${msg.conv}: ${msg.text}`);
    },
  };
}

/** A mock contact's events (its typings name a package that is not installed). */
interface MessageEvents {
  on(event: 'message', listener: (msg: mock.MessageMock) => void): void;
  off(event: 'message', listener: (msg: mock.MessageMock) => void): void;
}
const events = (c: mock.ContactMock) => c as unknown as MessageEvents;

/** Polls `ok` every 5 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(ok: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
