// The evaluation page with an LLM configured: a worker who has saved no summary of residents'
// feedback finds the form prefilled with the LLM's draft (from the comments, masked; no names),
// marked as a draft; the evaluation shows nothing until the worker saves it, edited or not. Saved,
// it is shown and nothing more is asked of the LLM. A viewer spends nothing and cannot save; with
// no answer in time the page comes anyway, with an empty form. A real server (web role) against a
// local OpenAI-compatible server; times relative to now.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { FakeOpenAiServer, reply } from '../../helpers/fakes/openai-server.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createConsoleUser } from '../../../src/core/console-users/console-users.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { rateProject } from '../../../src/core/evaluation/rate-project.ts';

const page = '/console/c/HT01/projects/1/evaluation';
const draft = '居民感谢楼道灯修好了，也有人觉得来得太晚。建议下次提前告知上门时间。';

describe('console: the evaluation’s feedback summary, drafted by the LLM, saved by a worker', () => {
  let h: Harness;
  let server: FakeOpenAiServer;
  let worker: ConsoleClient;
  let viewer: ConsoleClient;
  let ht01 = 0;
  const summary = async () => (await h.app.ctx.prisma.project.findFirstOrThrow({ where: { communityId: ht01, number: 1 }, select: { feedbackSummary: true } })).feedbackSummary;

  beforeAll(async () => {
    server = await FakeOpenAiServer.start();
    h = await createHarness({ roles: ['web'], env: { LLM_BASE_URL: server.url, LLM_MODEL: 'test-model', LLM_TIMEOUT_MS: '1000' } });
    const ctx = h.app.ctx;
    ht01 = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    const start = new Date(Date.now() + 86_400_000);
    await createProject(ctx, { communityId: ht01, title: '楼道灯维修', shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), capacity: 3 }] });
    await ctx.prisma.project.update({ where: { communityId_number: { communityId: ht01, number: 1 } }, data: { status: 'closed', closedAt: new Date() } });
    const zhang = await ensurePerson(ctx, 'web', 'zhang', '张阿姨');
    const li = await ensurePerson(ctx, 'web', 'li', '李叔');
    await rateProject(ctx, { communityId: ht01, number: 1, personId: zhang, rating: 5, comment: '灯修好了，谢谢！有事打我13812345678' });
    await rateProject(ctx, { communityId: ht01, number: 1, personId: li, rating: 2, comment: '来得太晚了，3号楼2单元301等了一上午' });
    await createConsoleUser(ctx, { login: 'wang', name: '王书记', password: 'wang-secret-2026', grants: [{ role: 'worker', scope: { community: 'HT01' } }], actorId: null, via: 'cli' });
    await createConsoleUser(ctx, { login: 'li', name: '李科员', password: 'li-secret-2026x', grants: [{ role: 'viewer', scope: { community: 'HT01' } }], actorId: null, via: 'cli' });
    worker = new ConsoleClient(h.app.url ?? '');
    await worker.login('wang', 'wang-secret-2026');
    viewer = new ConsoleClient(h.app.url ?? '');
    await viewer.login('li', 'li-secret-2026x');
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
  });
  beforeEach(() => server.reset());

  test('no answer in time: the page comes anyway, the form empty, no draft note', async () => {
    server.next(reply.hang());
    const t0 = performance.now();
    const r = await worker.get(page);
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(r.status).toBe(200);
    expect(r.text).toContain('data-testid="feedback-summary-form"');
    expect(r.text).not.toContain('data-testid="llm-summary-draft"');
    expect(r.text).toMatch(/<textarea name="summary" rows="4" maxlength="2000"><\/textarea>/);
  });

  test('a viewer sees no form and spends nothing; a post of theirs saves nothing', async () => {
    const r = await viewer.get(page);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('data-testid="feedback-summary-form"');
    expect(server.requests).toEqual([]);
    const posted = await viewer.post(`${page}/summary`, { summary: '我不是社工' });
    expect(posted.status).toBe(303);
    expect(await summary()).toBeNull();
  });

  test('the draft prefills the form, masked comments only went out; saved, it is the evaluation’s', async () => {
    server.next(reply.json({ summary: draft }));
    const r = await worker.get(page);
    expect(r.text).toContain('data-testid="llm-summary-draft"');
    expect(r.text).toContain('摘要由 AI 根据居民评价起草');
    expect(r.text).toContain(`maxlength="2000">${draft}</textarea>`);
    // Not in the evaluation itself until saved.
    expect(r.text).not.toContain('data-testid="feedback-summary-text"');
    expect(await summary()).toBeNull();
    // What went out: the comments, masked; the ratings counted; no name, no phone, no door number.
    expect(server.requests).toHaveLength(1);
    const data = JSON.parse(server.requests[0]!.body.messages[1]!.content!) as { comments: string[]; ratings: Record<string, number> };
    expect(data.comments.sort()).toEqual(['来得太晚了，3号楼2单元***等了一上午', '灯修好了，谢谢！有事打我138****5678'].sort());
    expect(data.ratings).toEqual({ '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 });
    for (const secret of ['13812345678', '2单元301', '张阿姨', '李叔', '王书记', '回天一社区']) expect(server.sent()).not.toContain(secret);

    // The worker edits it and saves: stored (audited), shown, and the LLM is not asked again.
    const edited = `${draft}下次在群里提前一天通知。`;
    const saved = await worker.post(`${page}/summary`, { summary: edited });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(page);
    expect(await summary()).toBe(edited);
    const audit = await h.app.ctx.prisma.auditLog.findFirstOrThrow({ where: { action: 'project.feedback_summary' } });
    expect(audit.after).toEqual({ feedbackSummary: edited });
    server.reset();
    const after = await worker.get(page);
    expect(after.text).toContain(`data-testid="feedback-summary-text">${edited}</p>`);
    expect(after.text).toContain('data-testid="flash">已保存<');
    expect(after.text).not.toContain('data-testid="llm-summary-draft"');
    expect(server.requests).toEqual([]);

    // A phone number typed by the worker is masked too: the evaluation is printed and passed on.
    await worker.post(`${page}/summary`, { summary: '回访李叔，电话13812345678' });
    expect(await summary()).toBe('回访李叔，电话138****5678');
  });
});
