// Regression for "each throttled message still gets a public reply": 60 messages at once in a
// group got 30 answers and 30 public "@周经理 说得太快了", 300 in private 270 such notices. A person
// over the limit is now told once per window, and the rest of their messages get nothing.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InboundEvent } from '../../src/bots/types.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import type { SendEffect } from '../../src/core/effects.ts';
import { Router } from '../../src/flows/router.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

const GROUP = 'g-rate';
const notice = '说得太快了，请稍后再试';

let h: Harness;
let seq = 0;

function event(who: string, name: string, text: string, where: 'group' | 'dm'): InboundEvent {
  return {
    platform: 'web',
    messageId: `rate-${++seq}`,
    chat: where === 'dm' ? { platform: 'web', chatId: who, kind: 'direct' } : { platform: 'web', chatId: GROUP, kind: 'group' },
    sender: { userId: who, displayName: name },
    text,
  };
}

/** The bot's lines in a conversation, after the outbound queue has drained. */
async function botLines(conversation: string): Promise<string[]> {
  await h.drain(30_000);
  const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { conversation, senderId: null }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.text);
}

beforeAll(async () => {
  h = await createHarness({ personRatePerMinute: 30 });
  await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
  await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: GROUP, title: '1号楼群' });
});

afterAll(async () => {
  await h?.close();
});

describe('a person over the limit is told once, then nothing', () => {
  test('60 messages at once in a group: 30 answers and one public notice', { timeout: 60_000 }, async () => {
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => h.app.handleInbound(event('zhou', '周经理', '需求清单', 'group'))));
    expect(outcomes.every((o) => o.handled)).toBe(true);
    const lines = await botLines(GROUP);
    expect(lines.filter((l) => l.startsWith('@周经理 目前没有待解决的需求'))).toHaveLength(30);
    expect(lines.filter((l) => l === `@周经理 ${notice}`)).toHaveLength(1);
    expect(lines).toHaveLength(31);
    // Every message was recorded once, throttled or not: a redelivery of one is a duplicate.
    expect(await h.app.ctx.prisma.inboundMessage.count({ where: { userId: 'zhou', completedAt: { not: null } } })).toBe(60);
  });

  test('300 messages at once in private: 30 answers and one notice', { timeout: 120_000 }, async () => {
    await Promise.all(Array.from({ length: 300 }, () => h.app.handleInbound(event('li', '李阿姨', '帮助', 'dm'))));
    const lines = await botLines('dm:li');
    expect(lines.filter((l) => l === notice)).toHaveLength(1);
    expect(lines).toHaveLength(31);
  });

  test('the next window tells once again; long texts count against the limit too', async () => {
    const limiter = new RateLimiterMemory({ points: 2, duration: 1 });
    const router = new Router({ ctx: h.app.ctx, log: silentLogger, botNames: ['邻里助手'], limiter });
    const texts = async (text: string, n: number) => {
      const out: string[][] = [];
      for (let i = 0; i < n; i++) {
        const o = await router.route(event('wu', '吴大姐', text, 'group'));
        if (!o.handled) throw new Error(`not handled: ${o.reason}`);
        out.push(o.events.filter((e): e is SendEffect => e.kind === 'send').map((e) => e.message.text));
      }
      return out;
    };
    const first = await texts('需求清单', 5);
    expect(first.map((r) => r.length)).toEqual([1, 1, 1, 0, 0]);
    expect(first[2]).toEqual([notice]);

    await new Promise((r) => setTimeout(r, 1100)); // the window (one second here) is over
    const long = await texts(`需求 ${'灯坏了'.repeat(800)}`, 4);
    expect(long.map((r) => r.length)).toEqual([1, 1, 1, 0]);
    expect(long[0]?.[0]).toContain('消息太长了');
    expect(long[2]).toEqual([notice]);
  });
});
