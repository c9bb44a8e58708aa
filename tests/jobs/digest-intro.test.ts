// The weekly digest with an LLM configured: a few sentences it wrote from the digest's counts open
// the digest (under its header) that the real digest worker sends each worker in private. Only
// counts leave the process: no name, no need's words, no phone number. With no valid answer in
// time the digest is exactly the offline one. (Without an LLM: tests/jobs/digest.test.ts.)
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { FakeOpenAiServer, reply } from '../helpers/fakes/openai-server.ts';
import { makeWorld, type World } from '../helpers/volunteering-world.ts';
import { reportNeed } from '../../src/core/needs/report-need.ts';
import { ensurePerson } from '../../src/core/people/resolve-person.ts';
import { createProject } from '../../src/core/projects/create-project.ts';
import { weeklyDigest } from '../../src/core/digest/weekly-digest.ts';
import { digestText } from '../../src/notices/digest-message.ts';
import { digestJobs } from '../../jobs/digest.ts';

const intro = '本周新增 2 条需求，都是物业维修。还有 1 个项目草稿等着审核，建议先处理。';

describe('weekly digest with the LLM configured', () => {
  let h: Harness;
  let w: World;
  let llm: FakeOpenAiServer;
  const clock = new TestClock('2026-12-01T10:00+08:00');

  /** The digest the worker got in private when the weekly job ran. */
  const runWeekly = async () => {
    await h.app.digests.queue.add(digestJobs.weekly.name, { v: 1, communityId: w.communityId });
    const sent = (await w.sent()).filter(([c]) => c === 'dm:王书记');
    expect(sent).toHaveLength(1);
    return sent[0]![1];
  };

  beforeAll(async () => {
    llm = await FakeOpenAiServer.start();
    h = await createHarness({ clock, env: { LLM_BASE_URL: llm.url, LLM_MODEL: 'test-model', LLM_TIMEOUT_MS: '1000' } });
    w = await makeWorld(h);
    const ctx = h.app.ctx;
    const zhang = await ensurePerson(ctx, 'web', '张阿姨', '张阿姨');
    await reportNeed(ctx, { communityId: w.communityId, authorId: zhang, text: '3号楼2单元301楼道灯坏了，电话13812345678' });
    await reportNeed(ctx, { communityId: w.communityId, authorId: zhang, text: '7号楼门禁刷卡没反应' });
    await createProject(ctx, { communityId: w.communityId, title: '楼道灯维修' });
    clock.set('2026-12-07T09:00+08:00'); // Monday
  });
  afterAll(async () => {
    await h?.close();
    await llm?.close();
  });
  beforeEach(async () => {
    llm.reset();
    // Each run is a new day's digest (the message key holds the local date).
    clock.advance(86_400_000);
  });

  test('the LLM’s sentences open the digest; only counts were sent', async () => {
    llm.next(reply.json({ intro }));
    const text = await runWeekly();
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^【每周简报】回天一社区（/);
    expect(lines[1]).toBe(intro);
    expect(lines.slice(2).join('\n')).toBe(digestText(await weeklyDigest(h.app.ctx, w.communityId), 'zh-Hans').split('\n').slice(1).join('\n'));

    expect(llm.requests).toHaveLength(1);
    const data = JSON.parse(llm.requests[0]!.body.messages[1]!.content!) as { new_needs: Record<string, number>; draft_projects: number };
    expect(data.new_needs).toEqual({ repair: 2 });
    expect(data.draft_projects).toBe(1);
    for (const secret of ['13812345678', '138****5678', '2单元301', '楼道灯', '门禁', '张阿姨', '王书记', '回天一社区']) expect(llm.sent()).not.toContain(secret);
    expect(await h.app.ctx.prisma.llmCall.findMany({ where: { purpose: 'digest_intro' }, select: { communityId: true, outcome: true } })).toEqual([{ communityId: w.communityId, outcome: 'ok' }]);
  });

  test('no valid answer in time (a hang, then garbage twice): the offline digest, unchanged', async () => {
    for (const answers of [[reply.hang()], [reply.content('本周很好'), reply.json({ intro: 42 })]]) {
      llm.reset();
      clock.advance(86_400_000);
      llm.next(...answers);
      const t0 = performance.now();
      const text = await runWeekly();
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(text).toBe(digestText(await weeklyDigest(h.app.ctx, w.communityId), 'zh-Hans'));
      expect(llm.requests.length).toBeGreaterThan(0);
    }
  });
});
