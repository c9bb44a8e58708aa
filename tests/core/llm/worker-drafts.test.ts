// Help for workers when an LLM is configured: a project drafted from needs, a summary of rating
// comments, an opening for the weekly digest. Drafts only — nothing created or published — masked
// on the way out, role-checked, one community's data only, and null whenever the LLM fails.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { grantRole } from '../../../src/core/roles/grant-role.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { reportNeed } from '../../../src/core/needs/report-need.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { rateProject } from '../../../src/core/evaluation/rate-project.ts';
import { weeklyDigest } from '../../../src/core/digest/weekly-digest.ts';
import { LlmClient } from '../../../src/core/llm/llm-client.ts';
import { draftProjectFromNeeds, draftProjectPromptVersion } from '../../../src/core/projects/draft-project-from-needs.ts';
import { summariseFeedback } from '../../../src/core/evaluation/summarise-feedback.ts';
import { digestIntro } from '../../../src/core/digest/digest-intro.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { TestClock } from '../../helpers/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { FakeOpenAiServer, reply } from '../../helpers/fakes/openai-server.ts';

describe('LLM help for workers', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  let clock: TestClock;
  let server: FakeOpenAiServer;
  let llm: LlmClient;
  let ht01 = 0;
  let ht02 = 0;
  let worker = 0;
  let resident = 0;
  let projectNumber = 0;
  const sent: string[] = [];

  const refusal = (p: Promise<unknown>) => p.then(() => 'no refusal', (e: unknown) => (isAppError(e) ? e.code : `unexpected ${String(e)}`));
  const userData = (i = 0) => JSON.parse(server.requests[i]!.body.messages[1]!.content!) as Record<string, unknown>;
  const today = () => DateTime.fromJSDate(clock.now(), { zone: 'Asia/Shanghai' }).startOf('day');

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new TestClock(new Date());
    ctx = { prisma: db.prisma, clock };
    server = await FakeOpenAiServer.start();
    llm = new LlmClient(ctx, loadConfig({ LLM_BASE_URL: server.url, LLM_MODEL: 'test-model', LLM_TIMEOUT_MS: '1000' }).llm!);
    ht01 = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    ht02 = (await createCommunity(ctx, { code: 'HT02', name: '回天二社区' })).id;
    worker = (await grantRole(ctx, { community: 'HT01', role: 'worker', platform: 'web', user: 'wang', name: '王书记' })).personId;
    resident = await ensurePerson(ctx, 'web', 'zhang', '张阿姨');
    // #1 and #2 in HT01; HT02 has a #1 of its own.
    await reportNeed(ctx, { communityId: ht01, authorId: resident, text: '3号楼2单元301卫生间漏水，电话13812345678，身份证110101199003071234' });
    await reportNeed(ctx, { communityId: ht01, authorId: resident, text: '5号楼楼道灯坏了，晚上看不见' });
    await reportNeed(ctx, { communityId: ht02, authorId: resident, text: '二社区的秘密需求：东门门禁坏了' });
    const start = clock.now();
    const { project } = await createProject(ctx, {
      communityId: ht01,
      title: '楼道灯维修',
      shifts: [{ startsAt: new Date(start.getTime() + 86_400_000), endsAt: new Date(start.getTime() + 90_000_000), capacity: 3 }],
      actorId: worker,
      via: 'console',
    });
    projectNumber = project.number;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });
  beforeEach(async () => {
    sent.push(server.sent());
    server.reset();
    await ctx.prisma.llmCall.deleteMany();
  });

  describe('draftProjectFromNeeds', () => {
    const shift = (days: number, start = '09:00', end = '11:00') => ({ date: today().plus({ days }).toFormat('yyyy-MM-dd'), start, end, capacity: 4, place: '3号楼门口' });
    const draft = (shifts: unknown[]) => ({
      title: '3号楼漏水和5号楼楼道灯维修',
      description: '居民反映 #1 卫生间漏水、#2 楼道灯坏了。志愿者协助物业排查并更换灯泡。联系 13912345678。',
      category: 'repair',
      shifts,
    });

    test('a draft from the selected needs: masked texts out, a validated draft back, nothing created', async () => {
      const projectsBefore = await ctx.prisma.project.count();
      server.next(reply.json(draft([shift(3), shift(10, '14:00', '16:30')])));
      const d = await draftProjectFromNeeds(ctx, llm, { communityId: ht01, needNumbers: [1, 2], actorId: worker });
      expect(d).toEqual({
        title: '3号楼漏水和5号楼楼道灯维修',
        description: '居民反映 #1 卫生间漏水、#2 楼道灯坏了。志愿者协助物业排查并更换灯泡。联系 139****5678。',
        category: 'repair',
        shifts: [shift(3), shift(10, '14:00', '16:30')],
      });
      expect(await ctx.prisma.project.count()).toBe(projectsBefore);

      const data = userData() as { today: string; needs: Array<{ number: number; text: string; supporters: number }> };
      expect(data.today.startsWith(today().toFormat('yyyy-MM-dd'))).toBe(true);
      expect(data.needs.map((n) => n.number).sort()).toEqual([1, 2]);
      expect(data.needs.find((n) => n.number === 1)!.text).toBe('3号楼2单元***卫生间漏水，电话138****5678，身份证110101********1234');
      const body = server.requests[0]!.body;
      expect(body.response_format?.json_schema?.name).toBe('project_draft');
      expect(body.messages[0]!.content).not.toContain('漏水');
      expect((await ctx.prisma.llmCall.findMany()).map((c) => [c.purpose, c.promptVersion, c.outcome])).toEqual([['draft_project', draftProjectPromptVersion, 'ok']]);
    });

    test('only this community\'s needs are sent: HT02\'s #1 never leaves, a missing number is skipped', async () => {
      server.next(reply.json(draft([])));
      await draftProjectFromNeeds(ctx, llm, { communityId: ht01, needNumbers: [1, 99], actorId: worker });
      expect((userData() as { needs: unknown[] }).needs).toHaveLength(1);
      expect(server.sent()).not.toContain('二社区的秘密需求');
    });

    test('a shift in the past, then one ending before it starts: asked twice, then no draft (null)', async () => {
      server.next(reply.json(draft([shift(-1)])), reply.json(draft([shift(2, '11:00', '09:00')])));
      expect(await draftProjectFromNeeds(ctx, llm, { communityId: ht01, needNumbers: [1], actorId: worker })).toBeNull();
      expect(server.requests).toHaveLength(2);
      expect((await ctx.prisma.llmCall.findMany()).map((c) => c.outcome)).toEqual(['invalid', 'invalid']);
    });

    test('a hanging endpoint: no draft, within the deadline', async () => {
      server.next(reply.hang());
      const t0 = performance.now();
      expect(await draftProjectFromNeeds(ctx, llm, { communityId: ht01, needNumbers: [1], actorId: worker })).toBeNull();
      expect(performance.now() - t0).toBeLessThan(2_000);
    });

    test('a resident may not ask (NOT_A_WORKER), nor the worker for another community; nothing is sent', async () => {
      expect(await refusal(draftProjectFromNeeds(ctx, llm, { communityId: ht01, needNumbers: [1], actorId: resident }))).toBe('NOT_A_WORKER');
      expect(await refusal(draftProjectFromNeeds(ctx, llm, { communityId: ht02, needNumbers: [1], actorId: worker }))).toBe('NOT_A_WORKER');
      expect(server.requests).toEqual([]);
    });

    test('without an LLM: null, nothing recorded', async () => {
      expect(await draftProjectFromNeeds(ctx, undefined, { communityId: ht01, needNumbers: [1], actorId: worker })).toBeNull();
      expect(await ctx.prisma.llmCall.count()).toBe(0);
    });
  });

  describe('summariseFeedback', () => {
    beforeAll(async () => {
      await ctx.prisma.project.update({ where: { communityId_number: { communityId: ht01, number: projectNumber } }, data: { status: 'closed' } });
    });

    test('no comment yet: null, nothing sent', async () => {
      expect(await summariseFeedback(ctx, llm, { communityId: ht01, number: projectNumber, actorId: worker })).toBeNull();
      expect(server.requests).toEqual([]);
    });

    test('a few sentences from the comments (masked), with the ratings counted', async () => {
      await rateProject(ctx, { communityId: ht01, number: projectNumber, personId: resident, rating: 4, comment: '灯修好了，谢谢！有事打我13812345678' });
      const other = await ensurePerson(ctx, 'web', 'li', '李叔');
      await rateProject(ctx, { communityId: ht01, number: projectNumber, personId: other, rating: 2, comment: '来得太晚了' });
      server.next(reply.json({ summary: '居民感谢灯已修好，也有人觉得来得太晚。建议下次提前告知时间。' }));
      const s = await summariseFeedback(ctx, llm, { communityId: ht01, number: projectNumber, actorId: worker });
      expect(s).toBe('居民感谢灯已修好，也有人觉得来得太晚。建议下次提前告知时间。');
      const data = userData() as { ratings: Record<string, number>; comments: string[] };
      expect(data.ratings).toEqual({ '1': 0, '2': 1, '3': 0, '4': 1, '5': 0 });
      expect(data.comments.sort()).toEqual(['来得太晚了', '灯修好了，谢谢！有事打我138****5678'].sort());
      expect(server.sent()).not.toContain('张阿姨');
      expect(server.sent()).not.toContain('李叔');
    });

    test('a 500, then nothing: null', async () => {
      server.next(reply.status(500));
      expect(await summariseFeedback(ctx, llm, { communityId: ht01, number: projectNumber, actorId: worker })).toBeNull();
    });

    test('an empty summary twice: null', async () => {
      server.next(reply.json({ summary: '  ' }), reply.json({ summary: '' }));
      expect(await summariseFeedback(ctx, llm, { communityId: ht01, number: projectNumber, actorId: worker })).toBeNull();
      expect(server.requests).toHaveLength(2);
    });

    test('a resident may not ask; a number from no project of the community is PROJECT_NOT_FOUND', async () => {
      expect(await refusal(summariseFeedback(ctx, llm, { communityId: ht01, number: projectNumber, actorId: resident }))).toBe('NOT_A_WORKER');
      expect(await refusal(summariseFeedback(ctx, llm, { communityId: ht01, number: 999, actorId: worker }))).toBe('PROJECT_NOT_FOUND');
      expect(server.requests).toEqual([]);
    });
  });

  describe('digestIntro', () => {
    test('plain sentences from the digest\'s counts only: no names, no texts', async () => {
      clock.advance(60_000); // the needs were stamped by the database, a moment after the clock's start
      const digest = await weeklyDigest(ctx, ht01);
      server.next(reply.json({ intro: '本周新增 2 条需求，以物业维修为主。有 1 个项目草稿等待审核，建议先处理。' }));
      expect(await digestIntro(ctx, llm, digest)).toBe('本周新增 2 条需求，以物业维修为主。有 1 个项目草稿等待审核，建议先处理。');
      const data = userData() as { locale: string; new_needs: Record<string, number>; draft_projects: number };
      expect(data.locale).toBe('zh-Hans');
      expect(Object.values(data.new_needs).reduce((a, b) => a + b, 0)).toBe(2);
      expect(data.draft_projects).toBe(digest.drafts.length);
      for (const secret of ['王书记', '张阿姨', '回天一社区', '漏水', '楼道灯维修']) expect(server.sent()).not.toContain(secret);
      expect((await ctx.prisma.llmCall.findMany()).map((c) => [c.communityId, c.purpose])).toEqual([[ht01, 'digest_intro']]);
    });

    test('garbage twice: null (the digest goes out without an opening)', async () => {
      const digest = await weeklyDigest(ctx, ht01);
      server.next(reply.content('本周很好'), reply.json({ intro: 42 }));
      expect(await digestIntro(ctx, llm, digest)).toBeNull();
      expect(await digestIntro(ctx, undefined, digest)).toBeNull();
    });
  });

  test('no phone, ID or room number reached the server in any request of this file', () => {
    const all = [...sent, server.sent()].join('\n');
    expect(all).toContain('138****5678');
    for (const secret of ['13812345678', '110101199003071234', '2单元301']) expect(all).not.toContain(secret);
  });
});
