// The WeCom self-built app as a transcript driver: a member's private message goes in as the
// signed, encrypted callback WeCom would POST (through WecomAppAdapter.handleCallback, what the
// /wecom/callback route calls), and the bot's replies are read back from the fake WeCom API's
// message/send (and robot webhook) records.
//
// An app has no group chats: members talk to it in private only. So this driver plays a
// transcript's `@dm` lines; its group lines belong to the 智能机器人 (see wecom-bot-driver.ts,
// which hands its `@dm` lines to this driver when both run).
import type { WecomCallbackRequest, WecomCallbackResponse } from '../../src/bots/wecom/wecom-app-adapter.ts';
import type { FakeWecomApi, CallbackSecrets } from './fakes/wecom-api-server.ts';
import { signedCallback, textMessageXml } from './fakes/wecom-api-server.ts';
import type { Harness } from './harness.ts';
import type { Step, TranscriptDriver } from './transcript.ts';
import type { WecomPeople } from './wecom-people.ts';

export interface WecomAppDriverOptions {
  h: Harness;
  /** What handles the callback URL: the WecomAppAdapter, or the WecomAdapter holding it. */
  app: { handleCallback(req: WecomCallbackRequest): Promise<WecomCallbackResponse> };
  api: FakeWecomApi;
  secrets: CallbackSecrets & { agentId: number };
  people: WecomPeople;
  /** Robot-webhook groups by name → key, to show their messages as `bot @hook:<name>`. */
  webhooks?: ReadonlyMap<string, string>;
}

export function wecomAppDriver(o: WecomAppDriverOptions): TranscriptDriver {
  let msgSeq = 0n;
  let lastSeq = 0;
  let previous: WecomCallbackRequest | undefined;
  const hookName = new Map([...(o.webhooks ?? new Map<string, string>())].map(([name, key]) => [key, name]));

  const post = async (req: WecomCallbackRequest, step: Extract<Step, { kind: 'say' }>) => {
    const res = await o.app.handleCallback(req);
    if (res.status !== 200) throw new Error(`transcript line ${step.line}: the callback was answered ${res.status} ${res.body}`);
  };

  return {
    platform: 'wecom',
    groupChatId: (alias) => `hook:${alias}`,
    userId: (person) => o.people.userId(person),
    async say(step) {
      if (step.conv !== 'dm') {
        throw new Error(`transcript line ${step.line}: a WeCom app has no group chats; play group lines through the 智能机器人`);
      }
      if (step.again) {
        if (previous) await post(previous, step); // WeCom's retry: the very same request
        return;
      }
      // App MsgIds are 64-bit numbers, beyond a JS number's precision.
      const msgId = String(7_300_000_000_000_000_000n + ++msgSeq);
      const xml = textMessageXml({
        corpId: o.secrets.corpId,
        fromUser: o.people.userId(step.person),
        content: step.text,
        msgId,
        agentId: o.secrets.agentId,
      });
      previous = signedCallback(o.secrets, xml, { agentId: o.secrets.agentId });
      await post(previous, step);
    },
    async collect() {
      await o.h.drain();
      const lines: Array<{ conv: string; seq: number; text: string }> = [];
      for (const m of o.api.appMessages) {
        if (m.seq > lastSeq) lines.push({ conv: `dm:${o.people.name(m.touser) ?? m.touser}`, seq: m.seq, text: m.content });
      }
      for (const m of o.api.webhookMessages) {
        if (m.seq > lastSeq) lines.push({ conv: `hook:${hookName.get(m.key) ?? m.key}`, seq: m.seq, text: m.content });
      }
      lastSeq = Math.max(lastSeq, ...lines.map((l) => l.seq));
      return lines.sort((a, b) => a.conv.localeCompare(b.conv) || a.seq - b.seq).map((l) => `bot @${l.conv}: ${l.text}`);
    },
  };
}
