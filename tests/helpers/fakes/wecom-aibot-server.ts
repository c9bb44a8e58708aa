// A local stand-in for WeCom's 智能机器人 long-connection server, written from
// @wecom/aibot-node-sdk's source (WsConnectionManager / MessageHandler) and the official protocol
// pages, so the real SDK talks to it unchanged. Frames are JSON `{ cmd, headers: { req_id }, body }`:
//
//   client → server  aibot_subscribe { bot_id, secret }    answered { headers, errcode, errmsg }
//                    ping                                  answered likewise
//                    aibot_send_msg { chatid, msgtype, … }  recorded, then answered likewise
//                    aibot_respond_msg / _welcome_msg / _update_msg   recorded, answered likewise
//   server → client  aibot_msg_callback { msgid, aibotid, chatid?, chattype, from, msgtype, text… }
//                    aibot_event_callback { …, msgtype: 'event', event: { eventtype, <eventtype>: {…} } }
//
// Like WeCom, it pushes a group message only when the text @-mentions the bot (`@<botName>`), and
// one connection per bot: a newer login gets the older one a `disconnected_event` and a close.
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedFrame {
  cmd: string;
  reqId: string;
  body: Record<string, unknown>;
  /** The order frames arrived in, over all connections. */
  seq: number;
  at: number;
}

export interface FakeAibotOptions {
  botId: string;
  secret: string;
  /** The bot's name in groups; a group message reaches the bot only when it contains `@<botName>`. */
  botName: string;
}

export interface PushedMessage {
  chattype: 'group' | 'single';
  /** The group's WeCom chatid (groups only). */
  chatid?: string;
  userid: string;
  /** Text as the member typed it (with the `@<botName>` they typed, in a group). */
  content: string;
  msgid?: string;
}

export class FakeWecomAibotServer {
  /** Every frame the bot sent besides logins and heartbeats, in order. */
  readonly sent: RecordedFrame[] = [];
  /** Group messages WeCom would not have pushed (no @ of the bot). */
  readonly dropped: PushedMessage[] = [];
  logins = 0;
  private seq = 0;
  private msgSeq = 0;
  private active?: WebSocket;
  private readonly failures: Array<{ cmd: string; errcode: number; errmsg: string }> = [];
  private readonly authWaiters = new Set<() => void>();

  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
    private readonly opts: FakeAibotOptions,
  ) {
    wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(opts: FakeAibotOptions): Promise<FakeWecomAibotServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    const addr = wss.address();
    if (typeof addr !== 'object' || addr === null) throw new Error('no address');
    return new FakeWecomAibotServer(wss, `ws://127.0.0.1:${addr.port}`, opts);
  }

  /** Whether a bot is logged in right now. */
  get online(): boolean {
    return this.active !== undefined && this.active.readyState === this.active.OPEN;
  }

  /** Resolves once a bot is logged in. */
  async waitForLogin(timeoutMs = 5000): Promise<void> {
    if (this.online) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.authWaiters.delete(done);
        reject(new Error('no bot logged in to the fake WeCom server'));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.authWaiters.add(done);
    });
  }

  /**
   * Pushes a member's message as WeCom would (`aibot_msg_callback`). A group message without the
   * bot's @ is not pushed (WeCom does not either): returns `delivered: false` and records it.
   */
  async push(m: PushedMessage): Promise<{ delivered: boolean; frame: Record<string, unknown> }> {
    const msgid = m.msgid ?? this.newMsgId();
    const body: Record<string, unknown> = {
      msgid,
      aibotid: this.opts.botId,
      chattype: m.chattype,
      from: { userid: m.userid },
      create_time: Math.floor(Date.now() / 1000),
      msgtype: 'text',
      text: { content: m.content },
    };
    if (m.chattype === 'group') body.chatid = m.chatid;
    const frame = { cmd: 'aibot_msg_callback', headers: { req_id: `callback_${msgid}` }, body };
    if (m.chattype === 'group' && !m.content.includes(`@${this.opts.botName}`)) {
      this.dropped.push(m);
      return { delivered: false, frame };
    }
    await this.sendToBot(frame);
    return { delivered: true, frame };
  }

  /** Pushes a frame again, unchanged (WeCom redelivers with the same msgid). */
  async redeliver(frame: Record<string, unknown>): Promise<void> {
    await this.sendToBot(frame);
  }

  /** A member clicks a button of a `button_interaction` card (`template_card_event`). */
  async clickButton(c: { chattype: 'group' | 'single'; chatid?: string; userid: string; eventKey: string; taskId: string; msgid?: string }): Promise<string> {
    const msgid = c.msgid ?? this.newMsgId();
    const body: Record<string, unknown> = {
      msgid,
      create_time: Math.floor(Date.now() / 1000),
      aibotid: this.opts.botId,
      chattype: c.chattype,
      from: { userid: c.userid },
      msgtype: 'event',
      event: {
        eventtype: 'template_card_event',
        template_card_event: { card_type: 'button_interaction', event_key: c.eventKey, task_id: c.taskId },
      },
    };
    if (c.chattype === 'group') body.chatid = c.chatid;
    await this.sendToBot({ cmd: 'aibot_event_callback', headers: { req_id: `event_${msgid}` }, body });
    return msgid;
  }

  /** The next frame of this command (e.g. `aibot_send_msg`) is refused with this error code. */
  failNext(cmd: string, errcode: number, errmsg = 'api freq out of limit'): void {
    this.failures.push({ cmd, errcode, errmsg });
  }

  /** Drops the connection as a network failure would (no close handshake). */
  dropConnection(): void {
    this.active?.terminate();
    this.active = undefined;
  }

  /** The messages the bot sent proactively (`aibot_send_msg`). */
  get sentMessages(): RecordedFrame[] {
    return this.sent.filter((f) => f.cmd === 'aibot_send_msg');
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private newMsgId(): string {
    return `CAIQ${(++this.msgSeq).toString(36).padStart(6, '0')}${randomBytes(6).toString('base64url')}`;
  }

  private async sendToBot(frame: Record<string, unknown>): Promise<void> {
    await this.waitForLogin();
    const ws = this.active;
    if (!ws) throw new Error('no bot connected');
    await new Promise<void>((resolve, reject) => ws.send(JSON.stringify(frame), (err) => (err ? reject(err) : resolve())));
  }

  private onConnection(ws: WebSocket): void {
    ws.on('message', (data) => {
      let frame: { cmd?: unknown; headers?: { req_id?: unknown }; body?: unknown };
      try {
        frame = JSON.parse(String(data)) as typeof frame;
      } catch {
        return;
      }
      const cmd = typeof frame.cmd === 'string' ? frame.cmd : '';
      const reqId = typeof frame.headers?.req_id === 'string' ? frame.headers.req_id : '';
      const body = (typeof frame.body === 'object' && frame.body !== null ? frame.body : {}) as Record<string, unknown>;
      const answer = (errcode = 0, errmsg = 'ok') => ws.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg }));

      if (cmd === 'aibot_subscribe') {
        if (body.bot_id !== this.opts.botId || body.secret !== this.opts.secret) {
          answer(40001, 'invalid bot_id or secret');
          return;
        }
        const previous = this.active;
        this.active = ws;
        this.logins++;
        answer();
        if (previous && previous !== ws && previous.readyState === previous.OPEN) {
          previous.send(
            JSON.stringify({
              cmd: 'aibot_event_callback',
              headers: { req_id: `event_${this.newMsgId()}` },
              body: { msgid: this.newMsgId(), aibotid: this.opts.botId, msgtype: 'event', event: { eventtype: 'disconnected_event' } },
            }),
          );
          previous.close();
        }
        for (const w of [...this.authWaiters]) {
          this.authWaiters.delete(w);
          w();
        }
        return;
      }
      if (ws !== this.active) {
        answer(40001, 'not logged in');
        return;
      }
      if (cmd === 'ping') {
        answer();
        return;
      }
      const i = this.failures.findIndex((f) => f.cmd === cmd);
      if (i >= 0) {
        const [f] = this.failures.splice(i, 1);
        answer(f?.errcode, f?.errmsg); // refused: not delivered, not recorded
        return;
      }
      this.sent.push({ cmd, reqId, body, seq: ++this.seq, at: Date.now() });
      answer();
    });
    ws.on('close', () => {
      if (this.active === ws) this.active = undefined;
    });
  }
}
