// The `llm` check: with an LLM configured, every resident still gets a reply within 5 s whatever
// the endpoint does — down, hanging, stalling mid-body, slow and then garbage, an HTML error page,
// malformed JSON — with the default settings (LLM_TIMEOUT_MS 4000) and several messages at once.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { understanderFor } from '../../../src/core/understanding/choose-understander.ts';
import type { Understander, Understanding } from '../../../src/core/understanding/understanding.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { FakeOpenAiServer, refusedUrl, reply, type FakeReply } from '../../helpers/fakes/openai-server.ts';

const offline: Understander = {
  understand: async (): Promise<Understanding> => ({ intent: 'report_need', confidence: 0.5, slots: {}, source: 'offline' }),
};

const endpoints: Array<{ name: string; answer: FakeReply | 'down' }> = [
  { name: 'down (connection refused)', answer: 'down' },
  { name: 'hanging', answer: reply.hang() },
  { name: 'stalling after half a body', answer: reply.stall() },
  { name: 'slow (3.5 s) then garbage', answer: reply.delay(3_500, reply.content('lorem ipsum')) },
  { name: 'slow (4.5 s) then a good answer', answer: reply.delay(4_500, reply.json({ intent: 'chatter', confidence: 1, slots: {} })) },
  { name: 'an HTML error page', answer: reply.raw(502, 'text/html', '<html><body>502 Bad Gateway</body></html>') },
  { name: 'garbage JSON', answer: reply.content('{"intent": ') },
  { name: 'a 503', answer: reply.status(503) },
];

describe('llm check: every reply within 5 s when the endpoint is down, hanging or answering garbage', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let communityId = 0;
  const servers: FakeOpenAiServer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock: new TestClock(new Date()) };
    communityId = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await db?.drop();
  });

  test('8 kinds of broken endpoint × 5 messages at once: every one answered, none later than 5 s', { timeout: 30_000 }, async () => {
    const runs = await Promise.all(
      endpoints.map(async ({ name, answer }) => {
        let url: string;
        if (answer === 'down') url = await refusedUrl();
        else {
          const server = await FakeOpenAiServer.start();
          server.responder = () => answer;
          servers.push(server);
          url = server.url;
        }
        // The default settings: only the endpoint and the model are given.
        const understander = understanderFor(loadConfig({ LLM_BASE_URL: url, LLM_MODEL: 'test-model' }), ctx, offline);
        return Promise.all(
          Array.from({ length: 5 }, async (_, i) => {
            const t0 = performance.now();
            const u = await understander.understand(`3号楼楼道灯坏了 ${i}`, { inGroup: true, locale: 'zh-Hans', communityId });
            return { name, ms: performance.now() - t0, source: u.source };
          }),
        );
      }),
    );
    const all = runs.flat();
    expect(all).toHaveLength(40);
    const late = all.filter((r) => r.ms >= 5_000).map((r) => `${r.name}: ${Math.round(r.ms)} ms`);
    expect(late).toEqual([]);
    expect(all.every((r) => r.source === 'offline')).toBe(true);
    // Each broken call was recorded, and none as ok.
    const outcomes = await ctx.prisma.llmCall.groupBy({ by: ['outcome'], _count: { _all: true } });
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['error', 'invalid', 'timeout']);
  });
});
