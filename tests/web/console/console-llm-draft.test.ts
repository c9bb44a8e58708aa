// "Make a project from selected needs" with an LLM configured: the new-project form comes prefilled
// with the LLM's draft (title, description, suggested shifts), marked as a draft to check; nothing is
// created until the worker submits, and without an answer in time the plain prefill appears.
// A real server (web role) against a local OpenAI-compatible server; dates counted from today.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { FakeOpenAiServer, reply } from '../../helpers/fakes/openai-server.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createConsoleUser } from '../../../src/core/console-users/console-users.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { reportNeed } from '../../../src/core/needs/report-need.ts';

const day = (n: number) => DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days: n }).toFormat('yyyy-MM-dd');

describe('console: a project drafted by the LLM from selected needs', () => {
  let h: Harness;
  let server: FakeOpenAiServer;
  let worker: ConsoleClient;
  let viewer: ConsoleClient;
  let ht01 = 0;

  beforeAll(async () => {
    server = await FakeOpenAiServer.start();
    h = await createHarness({ roles: ['web'], env: { LLM_BASE_URL: server.url, LLM_MODEL: 'test-model', LLM_TIMEOUT_MS: '1000' } });
    const ctx = h.app.ctx;
    ht01 = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    const resident = await ensurePerson(ctx, 'web', 'zhang', '张阿姨');
    await reportNeed(ctx, { communityId: ht01, authorId: resident, text: '3号楼2单元301卫生间漏水，电话13812345678' });
    await reportNeed(ctx, { communityId: ht01, authorId: resident, text: '5号楼楼道灯坏了，晚上看不见' });
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

  test('the form is prefilled with the draft and says so; creating it makes a draft project, nothing published', async () => {
    server.next(
      reply.json({
        title: '3号楼漏水与5号楼楼道灯',
        description: '居民反映 #1 卫生间漏水、#2 楼道灯坏了，志愿者协助物业排查。',
        category: 'repair',
        shifts: [{ date: day(3), start: '09:00', end: '11:30', capacity: 4, place: '3号楼门口' }],
      }),
    );
    await worker.get('/console/c/HT01/needs');
    const chosen = await worker.post('/console/c/HT01/needs/action', { do: 'project', need: ['1', '2'], back: '/console/c/HT01/needs' });
    expect(chosen.status).toBe(303);
    const form = await worker.get(chosen.location!);
    expect(form.status).toBe(200);
    expect(form.text).toContain('data-testid="llm-draft"');
    expect(form.text).toContain('名称、说明和班次由 AI 根据所选需求起草');
    expect(form.text).toContain('value="3号楼漏水与5号楼楼道灯"');
    expect(form.text).toContain('居民反映 #1 卫生间漏水、#2 楼道灯坏了，志愿者协助物业排查。</textarea>');
    expect(form.text).toContain(`name="shift_date" value="${day(3)}"`);
    expect(form.text).toContain('name="shift_end" value="11:30"');
    expect(form.text).toContain('name="shift_place" maxlength="200" value="3号楼门口"');
    // What went out: the needs' masked texts only.
    expect(server.requests).toHaveLength(1);
    expect(server.sent()).toContain('3号楼2单元***卫生间漏水');
    for (const secret of ['13812345678', '2单元301', '王书记', '张阿姨', '回天一社区']) expect(server.sent()).not.toContain(secret);
    expect(await h.app.ctx.prisma.project.count()).toBe(0);

    const created = await worker.post('/console/c/HT01/projects', {
      title: '3号楼漏水与5号楼楼道灯',
      description: '居民反映 #1 卫生间漏水、#2 楼道灯坏了，志愿者协助物业排查。',
      category: 'repair',
      needs: '1,2',
      claimType: 'volunteers',
      shift_date: day(3),
      shift_start: '09:00',
      shift_end: '11:30',
      shift_capacity: '4',
      shift_place: '3号楼门口',
    });
    expect(created.status).toBe(303);
    const project = await h.app.ctx.prisma.project.findFirstOrThrow({ where: { communityId: ht01 }, select: { status: true, title: true, publishedAt: true } });
    expect(project).toEqual({ status: 'draft', title: '3号楼漏水与5号楼楼道灯', publishedAt: null });
  });

  test('no answer in time: the plain prefill (the first need\'s words, the needs listed), no draft note', async () => {
    server.next(reply.hang());
    const t0 = performance.now();
    const form = await worker.get('/console/c/HT01/projects/new?needs=2');
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(form.status).toBe(200);
    expect(form.text).not.toContain('data-testid="llm-draft"');
    expect(form.text).toContain('value="5号楼楼道灯坏了"');
    expect(form.text).toContain('#2 5号楼楼道灯坏了，晚上看不见</textarea>');
  });

  test('a viewer sees the plain form and spends nothing: no request reaches the LLM', async () => {
    const form = await viewer.get('/console/c/HT01/projects/new?needs=2');
    expect(form.text).not.toContain('data-testid="llm-draft"');
    expect(server.requests).toEqual([]);
  });
});
