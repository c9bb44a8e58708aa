// Redelivery: platforms deliver the same message again (a webhook retried, a puppet reconnecting,
// the page resending a POST). The same inbound message must be recorded once and answered once,
// whether the copies come one after the other, at the same moment, or after a first processing
// that failed. Checked on the rows (InboundMessage, Need, NeedSupport) and on what people saw:
// the web chat transcript after the outbound queue has drained.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../jobs/outbound.ts';
import { EffectExecutor } from '../../jobs/effects.ts';
import type { InboundEvent } from '../../src/bots/types.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { createInboundHandler } from '../../src/inbound.ts';
import { locales, t } from '../../src/flows/messages.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

const GROUP = 'g-redelivery';
const NAMES: Record<string, string> = { zhang: '张阿姨', li: '李大爷', wang: '王奶奶', zhao: '赵师傅', chen: '陈老师', liu: '刘叔', sun: '孙阿姨', zhou: '周姐' };
const sorryTexts = locales.map((l) => t(l, 'internalError'));

let h: Harness;
let seq = 0;
const nextId = (label: string) => `${label}-${++seq}`;

function event(messageId: string, who: string, text: string, where: 'group' | 'dm' = 'group'): InboundEvent {
  return {
    platform: 'web',
    messageId,
    chat: where === 'dm' ? { platform: 'web', chatId: who, kind: 'direct' } : { platform: 'web', chatId: GROUP, kind: 'group' },
    sender: { userId: who, displayName: NAMES[who] ?? who },
    text,
  };
}

interface Snapshot {
  inbound: number;
  needs: number;
  supports: number;
  lines: number;
}

async function snapshot(): Promise<Snapshot> {
  await h.drain();
  const prisma = h.app.ctx.prisma;
  return {
    inbound: await prisma.inboundMessage.count(),
    needs: await prisma.need.count(),
    supports: await prisma.needSupport.count(),
    lines: await prisma.webChatMessage.count({ where: { senderId: null } }),
  };
}

/** What changed since `before`, and the bot's new lines (after draining the outbound queue). */
async function since(before: Snapshot & { lastLine?: number }): Promise<{ delta: Snapshot; botLines: string[] }> {
  const now = await snapshot();
  const rows = await h.app.ctx.prisma.webChatMessage.findMany({
    where: { senderId: null, id: { gt: before.lastLine ?? 0 } },
    orderBy: { id: 'asc' },
  });
  return {
    delta: { inbound: now.inbound - before.inbound, needs: now.needs - before.needs, supports: now.supports - before.supports, lines: now.lines - before.lines },
    botLines: rows.map((r) => `${r.conversation}: ${r.text}`),
  };
}

async function mark(): Promise<Snapshot & { lastLine: number }> {
  const s = await snapshot();
  const last = await h.app.ctx.prisma.webChatMessage.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
  return { ...s, lastLine: last?.id ?? 0 };
}

async function supportCount(number: number): Promise<number> {
  const need = await h.app.ctx.prisma.need.findFirstOrThrow({ where: { number }, select: { supportCount: true } });
  return need.supportCount;
}

/** A need to +1, reported fresh by zhang. */
async function freshNeed(text: string): Promise<number> {
  const before = await h.app.ctx.prisma.need.count();
  await h.app.handleInbound(event(nextId('seed'), 'zhang', `需求 ${text}`));
  const need = await h.app.ctx.prisma.need.findFirstOrThrow({ orderBy: { id: 'desc' }, select: { number: true } });
  expect(await h.app.ctx.prisma.need.count()).toBe(before + 1);
  return need.number;
}

// A transient database failure while the message is being recorded, without mocking anything:
// a trigger in this test's own schema fails inserts into the named table while it is armed.
async function installCrashSwitch(): Promise<void> {
  const s = `"${h.db.schema}"`;
  await h.db.pool.query(`
    CREATE TABLE ${s}.crash_plan (tbl text PRIMARY KEY);
    CREATE FUNCTION ${s}.crash_if_planned() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM ${s}.crash_plan WHERE tbl = TG_TABLE_NAME) THEN
        RAISE EXCEPTION 'simulated failure writing %', TG_TABLE_NAME;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER crash_switch BEFORE INSERT ON ${s}."Need" FOR EACH ROW EXECUTE FUNCTION ${s}.crash_if_planned();
    CREATE TRIGGER crash_switch BEFORE INSERT ON ${s}."NeedSupport" FOR EACH ROW EXECUTE FUNCTION ${s}.crash_if_planned();
  `);
}
const arm = (table: 'Need' | 'NeedSupport') => h.db.pool.query(`INSERT INTO "${h.db.schema}".crash_plan VALUES ($1) ON CONFLICT DO NOTHING`, [table]);
const disarm = () => h.db.pool.query(`DELETE FROM "${h.db.schema}".crash_plan`);

beforeAll(async () => {
  h = await createHarness();
  await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
  await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: GROUP, title: '1号楼群' });
  await installCrashSwitch();
});

afterAll(async () => {
  await h?.close();
});

beforeEach(async () => {
  await disarm();
});

describe('the same message delivered twice, one after the other', () => {
  it('需求: one need, one InboundMessage, one reply', async () => {
    const before = await mark();
    const e = event(nextId('need-seq'), 'zhang', '需求 3号楼楼道灯坏了');
    const first = await h.app.handleInbound(e);
    const second = await h.app.handleInbound(e);
    expect(first.handled).toBe(true);
    expect(second).toEqual({ handled: false, reason: 'duplicate' });
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 1 });
    expect(botLines).toHaveLength(1);
    expect(botLines[0]).toMatch(/^g-redelivery: @张阿姨 已登记需求 #\d+（.+）/);
  });

  it('+1: the support count goes up by one, one NeedSupport, one reply', async () => {
    const n = await freshNeed('小区门口积水很深');
    const count = await supportCount(n);
    const before = await mark();
    const e = event(nextId('upvote-seq'), 'li', `+1 ${n}`);
    await h.app.handleInbound(e);
    await h.app.handleInbound(e);
    const { delta, botLines } = await since(before);
    expect(await supportCount(n)).toBe(count + 1);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 1, lines: 1 });
    expect(botLines).toEqual([`g-redelivery: @李大爷 已为需求 #${n} +1，现在 ${count + 1} 人同求`]);
  });

  it('需求清单: one reply', async () => {
    const before = await mark();
    const e = event(nextId('list-seq'), 'wang', '需求清单');
    await h.app.handleInbound(e);
    await h.app.handleInbound(e);
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 0, lines: 1 });
    expect(botLines[0]).toMatch(/^g-redelivery: @王奶奶 回天一社区 待解决需求/);
  });

  it('a bare 需求 and then its description, each delivered twice: asked once, recorded once', async () => {
    const before = await mark();
    const ask = event(nextId('bare-need'), 'zhou', '需求');
    await h.app.handleInbound(ask);
    await h.app.handleInbound(ask);
    const answer = event(nextId('bare-need-text'), 'zhou', '单元门的门禁坏了，关不上');
    await h.app.handleInbound(answer);
    await h.app.handleInbound(answer);
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 2, needs: 1, supports: 1, lines: 2 });
    expect(botLines[0]).toBe(`g-redelivery: @周姐 ${t('zh-Hans', 'usage_need')}`);
    expect(botLines[1]).toMatch(/^g-redelivery: @周姐 已登记需求 #\d+/);
    expect(await h.app.ctx.prisma.flowSession.count()).toBe(0);
  });

  it('in private too: 需求清单 twice gets one reply', async () => {
    const before = await mark();
    const e = event(nextId('list-dm'), 'wang', '需求清单', 'dm');
    await h.app.handleInbound(e);
    await h.app.handleInbound(e);
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 0, lines: 1 });
    expect(botLines[0]).toMatch(/^dm:wang: 回天一社区 待解决需求/);
  });
});

describe('the same message delivered several times at once', () => {
  it('需求 ×2 and ×6 concurrently: one need each, one reply each', async () => {
    for (const copies of [2, 6]) {
      const before = await mark();
      const e = event(nextId('need-par'), 'zhao', copies === 2 ? '需求 电梯不能用了，老人上下楼很难' : '需求 垃圾站好几天没人清理了');
      const outcomes = await Promise.all(Array.from({ length: copies }, () => h.app.handleInbound(e)));
      expect(outcomes.filter((o) => o.handled)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.handled && o.reason === 'duplicate')).toHaveLength(copies - 1);
      const { delta, botLines } = await since(before);
      expect(delta).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 1 });
      expect(botLines[0]).toMatch(/^g-redelivery: @赵师傅 已登记需求 #\d+/);
    }
  });

  it('+1 ×2 concurrently: the support count goes up by one', async () => {
    const n = await freshNeed('楼下停车位总被占');
    const count = await supportCount(n);
    const before = await mark();
    const e = event(nextId('upvote-par'), 'chen', `＋１　＃${n}`);
    await Promise.all([h.app.handleInbound(e), h.app.handleInbound(e)]);
    const { delta, botLines } = await since(before);
    expect(await supportCount(n)).toBe(count + 1);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 1, lines: 1 });
    expect(botLines).toEqual([`g-redelivery: @陈老师 已为需求 #${n} +1，现在 ${count + 1} 人同求`]);
  });

  it('需求清单 ×2 concurrently: one reply', async () => {
    const before = await mark();
    const e = event(nextId('list-par'), 'liu', '需求清单');
    await Promise.all([h.app.handleInbound(e), h.app.handleInbound(e)]);
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 0, lines: 1 });
    expect(botLines[0]).toMatch(/^g-redelivery: @刘叔 回天一社区 待解决需求/);
  });
});

describe('redelivered after the first processing failed', () => {
  it('需求: the failed attempt records nothing and says sorry once; the redelivery records the need once', async () => {
    const before = await mark();
    const e = event(nextId('need-crash'), 'sun', '需求 2号楼水管漏水了');
    await arm('Need');
    const failed = await h.app.handleInbound(e);
    expect(failed.handled).toBe(false);
    const afterCrash = await since(before);
    expect(afterCrash.delta).toEqual({ inbound: 0, needs: 0, supports: 0, lines: 1 });
    expect(sorryTexts.map((s) => `g-redelivery: ${s}`)).toContain(afterCrash.botLines[0]);

    await disarm();
    const retried = await h.app.handleInbound(e);
    const again = await h.app.handleInbound(e);
    expect(retried.handled).toBe(true);
    expect(again).toEqual({ handled: false, reason: 'duplicate' });
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 2 });
    expect(botLines.filter((l) => /已登记需求 #\d+/.test(l))).toHaveLength(1);
    // The community's need numbers did not skip: the failed attempt's number was rolled back.
    const numbers = (await h.app.ctx.prisma.need.findMany({ select: { number: true }, orderBy: { number: 'asc' } })).map((n) => n.number);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('需求 failing twice says sorry once, then is recorded once', async () => {
    const before = await mark();
    const e = event(nextId('need-crash2'), 'sun', '需求 健身器材坏了，孩子玩很危险');
    await arm('Need');
    await h.app.handleInbound(e);
    await h.app.handleInbound(e);
    await disarm();
    await h.app.handleInbound(e);
    await h.app.handleInbound(e);
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 2 });
    expect(botLines.filter((l) => sorryTexts.some((s) => l.endsWith(s)))).toHaveLength(1);
    expect(botLines.filter((l) => /已登记需求 #\d+/.test(l))).toHaveLength(1);
  });

  it('+1: the failed attempt leaves the count alone; the redelivery adds one', async () => {
    const n = await freshNeed('路灯晚上不亮，走路看不见');
    const count = await supportCount(n);
    const before = await mark();
    const e = event(nextId('upvote-crash'), 'zhou', `+1 ${n}`);
    await arm('NeedSupport');
    await h.app.handleInbound(e);
    expect(await supportCount(n)).toBe(count);
    await disarm();
    await Promise.all([h.app.handleInbound(e), h.app.handleInbound(e)]);
    await h.app.handleInbound(e);
    const { delta, botLines } = await since(before);
    expect(await supportCount(n)).toBe(count + 1);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 1, lines: 2 });
    expect(botLines.filter((l) => l.includes(`已为需求 #${n} +1，现在 ${count + 1} 人同求`))).toHaveLength(1);
  });

  // The router recorded the message and decided the reply, then queueing the reply failed (Redis
  // went away). The platform redelivers, as it does when a webhook fails: the person must still
  // get the answer, once, and the need must still be recorded once.
  it('需求 whose reply could not be queued: the redelivery still answers, once', async () => {
    const conn = h.app.redis.duplicate();
    conn.on('error', () => undefined);
    const brokenOutbox = new Outbox(conn, h.prefix);
    const queue = brokenOutbox.queue('web');
    queue.on('error', () => undefined);
    await queue.waitUntilReady();
    await conn.quit();
    const brokenHandler = createInboundHandler(h.app.router, new EffectExecutor(h.app.ctx, { outbox: brokenOutbox, broadcasts: h.app.broadcasts, reminders: h.app.reminders, tickets: h.app.tickets }), h.app.ctx, silentLogger);

    const before = await mark();
    const e = event(nextId('need-lost-reply'), 'chen', '需求 快递柜屏幕碎了没法取件');
    const first = await brokenHandler(e).then(
      () => 'returned',
      () => 'threw',
    );
    await brokenOutbox.close().catch(() => undefined);
    const afterFailure = await since(before);
    expect(afterFailure.delta.needs).toBe(1);
    expect(afterFailure.delta.lines).toBe(0);

    // The platform saw the failure (or a timeout) and delivers the message again.
    await h.app.handleInbound(e);
    await h.app.handleInbound(e);
    const { delta, botLines } = await since(before);
    expect(delta, `the first delivery ${first}; then two redeliveries`).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 1 });
    expect(botLines.filter((l) => /已登记需求 #\d+/.test(l))).toHaveLength(1);
  });
});

describe("the web page's own resend (same clientId posted again)", () => {
  const personLines = (clientId: string) => h.app.ctx.prisma.webChatMessage.count({ where: { clientId } });

  it('sequential resend: the person line shows once, the reply once', async () => {
    await h.persona('zhou', '周姐');
    const before = await mark();
    const post = { conversation: GROUP, persona: 'zhou', text: '需求 小区东门的栏杆坏了', clientId: `client-${nextId('seq')}` };
    await h.app.webChat.receive(post, '周姐');
    await h.app.webChat.receive(post, '周姐');
    const { delta, botLines } = await since(before);
    expect(await personLines(post.clientId)).toBe(1);
    expect(delta).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 1 });
    expect(botLines[0]).toMatch(/^g-redelivery: @周姐 已登记需求 #\d+/);
  });

  it('concurrent resend: the person line shows once, the reply once', async () => {
    const n = await freshNeed('楼道里堆满了杂物');
    const count = await supportCount(n);
    const before = await mark();
    const post = { conversation: GROUP, persona: 'liu', text: `+1 ${n}`, clientId: `client-${nextId('par')}` };
    await Promise.all([h.app.webChat.receive(post, '刘叔'), h.app.webChat.receive(post, '刘叔'), h.app.webChat.receive(post, '刘叔')]);
    const { delta, botLines } = await since(before);
    expect(await personLines(post.clientId)).toBe(1);
    expect(await supportCount(n)).toBe(count + 1);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 1, lines: 1 });
    expect(botLines).toEqual([`g-redelivery: @刘叔 已为需求 #${n} +1，现在 ${count + 1} 人同求`]);
  });

  it('a resend in private: 需求清单 shows once and is answered once', async () => {
    const before = await mark();
    const post = { conversation: 'dm:liu', persona: 'liu', text: '需求清单', clientId: `client-${nextId('dm')}` };
    await h.app.webChat.receive(post, '刘叔');
    await Promise.all([h.app.webChat.receive(post, '刘叔'), h.app.webChat.receive(post, '刘叔')]);
    const { delta, botLines } = await since(before);
    expect(await personLines(post.clientId)).toBe(1);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 0, lines: 1 });
    expect(botLines[0]).toMatch(/^dm:liu: 回天一社区 待解决需求/);
    const transcript = await h.app.webChat.history('dm:liu');
    expect(transcript.filter((l) => l.senderId === 'liu' && l.text === '需求清单')).toHaveLength(1);
  });
});

// Regression for "a crash loses messages that were being processed": the process died between
// claiming a message (its InboundMessage row) and queueing its reply, and every redelivery was
// then ignored as a duplicate. A claim records its lease and its completion; a redelivery that
// finds it incomplete takes it over once the lease is out (tests/jobs/inbound-crash.test.ts does
// this with a real SIGKILL). Here the dead process is played by leaving a claim incomplete.
describe('redelivered after the process died while the message was in hand', () => {
  /** Moves the claim's lease to `ms` from now by the database's clock (negative: already out). */
  const leaseLeft = (messageId: string, ms: number) =>
    h.app.ctx.prisma.$executeRaw`
      UPDATE "InboundMessage" SET "claimedUntil" = (now() AT TIME ZONE 'UTC') + ${ms}::int * interval '1 millisecond'
      WHERE platform = 'web' AND "externalId" = ${messageId}`;

  it('claimed, then nothing: the redelivery records the need once and answers once', async () => {
    const before = await mark();
    const e = event(nextId('died-after-claim'), 'wang', '需求 小区南门的自行车棚塌了');
    await h.app.ctx.prisma.inboundMessage.create({
      data: { platform: 'web', externalId: e.messageId, chatId: GROUP, userId: 'wang', receivedAt: new Date(), claimedUntil: null },
    });
    await leaseLeft(e.messageId, -1000);
    const retried = await h.app.handleInbound(e);
    const again = await h.app.handleInbound(e);
    expect(retried.handled).toBe(true);
    expect(again).toEqual({ handled: false, reason: 'duplicate' });
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 1 });
    expect(botLines[0]).toMatch(/^g-redelivery: @王奶奶 已登记需求 #\d+（.+）/);
  });

  it('the need recorded, the reply never queued: the redelivery answers once and records nothing more', async () => {
    const before = await mark();
    const e = event(nextId('died-before-queue'), 'zhao', '需求 社区活动室的空调坏了');
    const first = await h.app.router.route(e); // decided, committed, then the process died
    expect(first.handled).toBe(true);
    await leaseLeft(e.messageId, -1000);
    await h.app.handleInbound(e);
    await h.app.handleInbound(e);
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 1 });
    const need = await h.app.ctx.prisma.need.findFirstOrThrow({ orderBy: { id: 'desc' }, select: { number: true } });
    expect(botLines).toHaveLength(1);
    expect(botLines[0]).toContain(`需求 #${need.number}`);
  });

  it('the reply queued, the claim never completed: the redelivery queues nothing again', async () => {
    const before = await mark();
    const e = event(nextId('died-before-complete'), 'chen', '需求清单');
    const first = await h.app.router.route(e);
    if (!first.handled) throw new Error('not handled');
    await h.app.effects.apply(first.events);
    await leaseLeft(e.messageId, -1000);
    expect((await h.app.handleInbound(e)).handled).toBe(true);
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 0, supports: 0, lines: 1 });
    expect(botLines[0]).toMatch(/^g-redelivery: @陈老师 回天一社区 待解决需求/);
  });

  it('while the lease still runs the redelivery waits for it, then takes over', async () => {
    const before = await mark();
    const e = event(nextId('died-lease-running'), 'liu', '需求 8号楼门口井盖松了');
    await h.app.ctx.prisma.inboundMessage.create({
      data: { platform: 'web', externalId: e.messageId, chatId: GROUP, userId: 'liu', receivedAt: new Date() },
    });
    await leaseLeft(e.messageId, 1200);
    const started = Date.now();
    const retried = await h.app.handleInbound(e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(retried.handled).toBe(true);
    const { delta, botLines } = await since(before);
    expect(delta).toEqual({ inbound: 1, needs: 1, supports: 1, lines: 1 });
    expect(botLines[0]).toMatch(/^g-redelivery: @刘叔 已登记需求 #\d+/);
  });
});
