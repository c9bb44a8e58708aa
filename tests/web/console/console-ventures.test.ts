// 微创投 in the workers' console: the rounds page, a round's page (review with the proposer told in
// private, phases announced to the groups, live tallies for workers only, results published,
// progress with milestones announced), the exports (proposals, ballot counts, results; the
// administrator's audited export of individual votes under pseudonyms) and the report's figures.
// A real server (web, bots, workers) on the real Postgres and Redis; residents speak through the
// web chat; nothing here names a calendar date.
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import { createConsoleUser } from '../../../src/core/console-users/console-users.ts';
import { createRound } from '../../../src/core/ventures/create-round.ts';
import { changePhase } from '../../../src/core/ventures/change-phase.ts';
import { ventureAnnouncer } from '../../../src/notices/venture-announce.ts';

describe('微创投 in the console', () => {
  let h: Harness;
  let wang: ConsoleClient;
  let viewer: ConsoleClient;
  let admin: ConsoleClient;
  let other: ConsoleClient;
  let ht01 = 0;
  let seq = 0;
  let lastId = 0;

  /** A resident (or the worker) writes in a group (g1, g2) or in private (dm). */
  const say = async (person: string, conv: string, text: string) => {
    await h.app.webChat.receive({ conversation: conv === 'dm' ? `dm:${person}` : conv, persona: person, text, clientId: `c-${++seq}` }, person);
  };
  /** What the bot said since the last look, as `conv: text`. */
  const heard = async () => {
    await h.drain();
    const rows = await h.app.ctx.prisma.webChatMessage.findMany({ where: { senderId: null, id: { gt: lastId } }, orderBy: { id: 'asc' } });
    lastId = rows.at(-1)?.id ?? lastId;
    return rows.map((r) => `${r.conversation}: ${r.text}`);
  };
  /** A file from the console, as bytes (the client's session cookie). */
  const download = async (c: ConsoleClient, path: string, form?: Record<string, string>) => {
    const headers: Record<string, string> = { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    let body: string | undefined;
    if (form) {
      body = new URLSearchParams({ _csrf: c.csrf, ...form }).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(`${h.app.url}${path}`, { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const sheetRows = async (bytes: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };
  const csvRows = (bytes: Buffer) =>
    bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
  const proposals = () => h.app.ctx.prisma.proposal.findMany({ orderBy: { number: 'asc' }, select: { number: true, status: true, reviewReason: true, projectId: true, grantFen: true, progress: true } });

  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'bots', 'workers'] });
    ht01 = (await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' })).id;
    await createCommunity(h.app.ctx, { code: 'HT02', name: '回天二社区' });
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: 'g1', title: '3号楼', building: '3号楼' });
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: 'g2', title: '5号楼', building: '5号楼' });
    const users: Array<[string, string, 'worker' | 'viewer' | 'admin', string]> = [
      ['wang', '王书记', 'worker', 'HT01'],
      ['kan', '小看', 'viewer', 'HT01'],
      ['li', '李主任', 'admin', 'HT01'],
      ['zhao', '赵书记', 'worker', 'HT02'],
    ];
    for (const [login, name, role, community] of users) {
      await createConsoleUser(h.app.ctx, { login, name, password: `${login}-secret-2026`, identity: { platform: 'web', user: name }, grants: [{ role, scope: { community } }], actorId: null, via: 'cli' });
    }
    const client = async (login: string) => {
      const c = new ConsoleClient(h.app.url ?? '');
      await c.login(login, `${login}-secret-2026`);
      return c;
    };
    [wang, viewer, admin, other] = await Promise.all([client('wang'), client('kan'), client('li'), client('zhao')]);
    // The residents who will vote are seen in the groups first.
    for (const [who, conv] of [['张阿姨', 'g1'], ['刘大爷', 'g1'], ['小李', 'g2'], ['小王', 'g2'], ['小赵', 'g2']] as const) await say(who, conv, '需求清单');
    await heard();
  });
  afterAll(async () => h?.close());

  test('a worker makes a round and opens it; the groups hear; others may not', async () => {
    await wang.get('/console/c/HT01/rounds');
    const made = await wang.post('/console/c/HT01/rounds', { title: '楼栋微创投', budget: '5000', style: 'approval', votes: '1', minVotes: '2', hiddenTallies: '1' });
    expect(made.location).toBe('/console/c/HT01/rounds/1');
    expect(await wang.flash('/console/c/HT01/rounds/1')).toBe('已新建第 1 轮（草稿）。开始征集时会通知各群');
    expect(await heard()).toEqual([]);
    await wang.post('/console/c/HT01/rounds/1/phase', { to: 'collecting' });
    expect(await wang.flash('/console/c/HT01/rounds/1')).toBe('已进入「征集提案」阶段，已通知各群');
    const opened = '【微创投】楼栋微创投 开始征集提案！总预算 5000 元。有好点子就发送「提案 标题；内容；预算 金额」，例如：提案 楼道图书角；在3号楼一层放书架和椅子；预算 2000';
    expect((await heard()).sort()).toEqual([`g1: ${opened}`, `g2: ${opened}`]);

    // A viewer sees the list but has no forms, and a post is refused; another community's worker sees nothing.
    const seen = await viewer.get('/console/c/HT01/rounds');
    expect(seen.text).toContain('楼栋微创投');
    expect(seen.text).not.toContain('data-testid="round-form"');
    expect((await viewer.post('/console/c/HT01/rounds/1/phase', { to: 'reviewing' })).status).toBe(303);
    expect(await viewer.flash('/console/c/HT01/rounds/1')).toBe('只有本社区的工作人员可以这样做。如需帮助，请联系居委会');
    expect((await other.get('/console/c/HT01/rounds')).status).toBe(404);
    expect((await other.get('/console/c/HT01/rounds/1')).status).toBe(404);
    expect((await wang.get('/console/c/HT01/rounds/9')).status).toBe(404);
    expect((await h.app.ctx.prisma.proposalRound.findFirstOrThrow()).phase).toBe('collecting');
  });

  test('three residents propose; the worker reviews on the round page and each proposer hears in private', async () => {
    await say('张阿姨', 'g1', '提案 楼道图书角；在3号楼一层放书架和椅子；预算 2000');
    await say('刘大爷', 'g1', '提案 老年人智能手机课；每周六教老人用手机；预算 1500');
    await say('小李', 'g2', '提案 自行车棚改造；把车棚改成小花园；预算 3000');
    await heard();
    const pageText = (await wang.get('/console/c/HT01/rounds/1')).text;
    expect(pageText.match(/data-testid="proposal-row"/g)).toHaveLength(3);
    expect(pageText).toContain('张阿姨');
    expect(pageText).toContain('data-testid="approve-1"');

    await wang.post('/console/c/HT01/rounds/1/proposals/1/review', { decision: 'approve' });
    expect(await wang.flash('/console/c/HT01/rounds/1')).toBe('已通过提案 #1「楼道图书角」，已私聊告诉提案人');
    await wang.post('/console/c/HT01/rounds/1/proposals/2/review', { decision: 'approve' });
    await wang.post('/console/c/HT01/rounds/1/proposals/3/review', { decision: 'decline', reason: '' });
    expect(await wang.flash('/console/c/HT01/rounds/1')).toBe('不通过要写上原因，例如：审核提案 3 不通过 预算超出范围');
    await wang.post('/console/c/HT01/rounds/1/proposals/3/review', { decision: 'decline', reason: '车棚属于物业，需先和物业协商' });
    expect(await wang.flash('/console/c/HT01/rounds/1')).toBe('已不通过提案 #3「自行车棚改造」，已私聊告诉提案人原因');
    expect((await heard()).sort()).toEqual([
      'dm:刘大爷: 你的提案 #2「老年人智能手机课」已通过审核，投票开始后邻居们就能给它投票了',
      // As the worker typed it (the chat's own commands read full-width commas as half-width).
      'dm:小李: 你的提案 #3「自行车棚改造」没有通过审核：车棚属于物业，需先和物业协商',
      'dm:张阿姨: 你的提案 #1「楼道图书角」已通过审核，投票开始后邻居们就能给它投票了',
    ]);
    expect((await proposals()).map((p) => [p.number, p.status])).toEqual([
      [1, 'approved'],
      [2, 'approved'],
      [3, 'declined'],
    ]);
    const audit = await h.app.ctx.prisma.auditLog.findMany({ where: { action: { startsWith: 'proposal.' }, via: 'console' }, select: { action: true } });
    expect(audit.map((a) => a.action).sort()).toEqual(['proposal.approve', 'proposal.approve', 'proposal.decline']);
  });

  test('voting opens; workers see live tallies, a viewer does not; the results are published and the winner becomes a project', async () => {
    await wang.get('/console/c/HT01/rounds/1');
    await wang.post('/console/c/HT01/rounds/1/phase', { to: 'voting' });
    const voting = '【微创投】楼栋微创投 开始投票！发送「提案清单」看提案，回复「投票 编号」投票，每人最多 1 票';
    expect((await heard()).sort()).toEqual([`g1: ${voting}`, `g2: ${voting}`]);
    await say('张阿姨', 'g1', '投票 1');
    await say('刘大爷', 'g1', '投票 1');
    await say('小李', 'g2', '投票 2');
    await say('小王', 'g2', '投票 1');
    await heard();

    const live = (await wang.get('/console/c/HT01/rounds/1')).text;
    expect(live).toContain('data-testid="live-tallies"');
    const tallies = [...live.matchAll(/data-number="(\d+)"[\s\S]*?data-testid="tally">(\d+)</g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(tallies).toEqual([
      [1, 3],
      [2, 1],
    ]);
    expect(live).toContain('data-testid="voters">4<');
    const hidden = (await viewer.get('/console/c/HT01/rounds/1')).text;
    expect(hidden).not.toContain('data-testid="tally"');
    // The ballot counts export likewise: a worker's has the live counts, a viewer's leaves them out.
    expect(csvRows((await download(wang, '/console/c/HT01/exports/ballots.csv')).bytes).slice(1)).toEqual([
      ['1', '楼栋微创投', '投票中', '1', '楼道图书角', '3', '3'],
      ['1', '楼栋微创投', '投票中', '2', '老年人智能手机课', '1', '1'],
    ]);
    expect(csvRows((await download(viewer, '/console/c/HT01/exports/ballots.csv')).bytes).slice(1)).toEqual([
      ['1', '楼栋微创投', '投票中', '1', '楼道图书角', '', ''],
      ['1', '楼栋微创投', '投票中', '2', '老年人智能手机课', '', ''],
    ]);

    await wang.post('/console/c/HT01/rounds/1/close');
    expect(await wang.flash('/console/c/HT01/rounds/1')).toBe('投票已结束，结果已公布。入选：#1');
    const results = ['【微创投】楼栋微创投 投票结果：', '#1 楼道图书角 · 3 票 · 2000 元 · 入选（项目 #1）', '#2 老年人智能手机课 · 1 票 · 1500 元'].join('\n');
    const said = await heard();
    expect(said.filter((l) => l.startsWith('g')).sort()).toEqual([`g1: ${results}`, `g2: ${results}`]);
    expect(said).toContain('dm:张阿姨: 恭喜！你的提案 #1「楼道图书角」以 3 票入选，获得资助 2000 元，已立为项目 #1。社区工作人员会和你联系');
    const won = (await proposals())[0]!;
    expect(won).toMatchObject({ status: 'winner', grantFen: 200_000 });
    expect(won.projectId).not.toBeNull();
    // After the vote everyone sees the counts.
    expect((await viewer.get('/console/c/HT01/rounds/1')).text).toContain('data-testid="tally">3<');
  });

  test('progress with a milestone is recorded and announced to the groups; a loser takes none', async () => {
    await wang.get('/console/c/HT01/rounds/1');
    await wang.post('/console/c/HT01/rounds/1/proposals/1/progress', { percent: '60', milestone: '书架装好', note: '开始收书' });
    expect(await wang.flash('/console/c/HT01/rounds/1')).toBe('已记录提案 #1 的进度 60%，已发到各群');
    const update = '【微创投进展】提案 #1「楼道图书角」（项目 #1）完成 60%，达成里程碑「书架装好」：开始收书';
    expect((await heard()).sort()).toEqual([`g1: ${update}`, `g2: ${update}`]);
    await wang.post('/console/c/HT01/rounds/1/proposals/2/progress', { percent: '10' });
    expect(await wang.flash('/console/c/HT01/rounds/1')).not.toContain('已记录');
    expect(await heard()).toEqual([]);
    const row = await h.app.ctx.prisma.proposalUpdate.findMany({ select: { percent: true, milestone: true, note: true } });
    expect(row).toEqual([{ percent: 60, milestone: '书架装好', note: '开始收书' }]);
    expect((await wang.get('/console/c/HT01/rounds/1')).text).toContain('60% · <strong>书架装好</strong> · 开始收书');
  });

  test('exports: proposals, ballot counts per proposal (no voters), results, as XLSX and CSV', async () => {
    const props = await download(wang, '/console/c/HT01/exports/proposals.xlsx');
    expect(props.type).toContain('spreadsheetml');
    const p = await sheetRows(props.bytes);
    expect(p[0]).toEqual(['轮次', '活动名称', '提案编号', '标题', '内容', '提案人', '申请金额（元）', '状态', '审核意见', '提交时间', '审核时间', '资助金额（元）', '项目编号', '进度（%）']);
    expect(p.slice(1).map((r) => [r[2], r[3], r[5], r[6], r[7], r[8], r[11] ?? '', r[12] ?? '', r[13] ?? ''])).toEqual([
      [1, '楼道图书角', '张阿姨', 2000, '入选', '', 2000, 1, 60],
      [2, '老年人智能手机课', '刘大爷', 1500, '已通过', '', '', '', ''],
      [3, '自行车棚改造', '小李', 3000, '未通过', '车棚属于物业，需先和物业协商', '', '', ''],
    ]);

    const ballots = await download(viewer, '/console/c/HT01/exports/ballots.csv');
    expect(ballots.type).toContain('text/csv');
    expect(csvRows(ballots.bytes)).toEqual([
      ['轮次', '活动名称', '阶段', '提案编号', '标题', '有效票数', '投出票数'],
      ['1', '楼栋微创投', '公布结果', '1', '楼道图书角', '3', '3'],
      ['1', '楼栋微创投', '公布结果', '2', '老年人智能手机课', '1', '1'],
    ]);
    const text = ballots.bytes.toString('utf8');
    for (const name of ['张阿姨', '刘大爷', '小李', '小王']) expect(text).not.toContain(name);

    const results = await sheetRows((await download(wang, '/console/c/HT01/exports/results.xlsx')).bytes);
    expect(results).toEqual([
      ['轮次', '活动名称', '名次', '提案编号', '标题', '票数', '申请金额（元）', '结果', '资助金额（元）', '项目编号', '项目状态', '进度（%）'],
      [1, '楼栋微创投', 1, 1, '楼道图书角', 3, 2000, '入选', 2000, 1, '草稿', 60],
      [1, '楼栋微创投', 2, 2, '老年人智能手机课', 1, 1500, '', '', '', '', ''],
    ]);
    expect(csvRows((await download(wang, '/console/c/HT01/exports/results.csv')).bytes)[1]).toEqual(['1', '楼栋微创投', '1', '1', '楼道图书角', '3', '2000', '入选', '2000', '1', '草稿', '60']);
    // Votes are not a plain export.
    expect((await download(wang, '/console/c/HT01/exports/votes.csv')).status).toBe(422);
  });

  test('individual votes: an administrator only, pseudonymous, recorded in the audit log', async () => {
    await wang.get('/console/c/HT01/exports');
    expect((await wang.get('/console/c/HT01/exports')).text).not.toContain('data-testid="export-votes"');
    expect((await download(wang, '/console/c/HT01/exports/votes.xlsx', { reason: '复核计票', confirm: '1' })).status).toBe(403);
    expect(await h.app.ctx.prisma.auditLog.count({ where: { action: 'export.votes' } })).toBe(0);

    const page = await admin.get('/console/c/HT01/exports');
    expect(page.text).toContain('data-testid="export-votes"');
    const noReason = await download(admin, '/console/c/HT01/exports/votes.xlsx', { reason: '', confirm: '1' });
    expect(noReason.status).toBe(303);
    const file = await download(admin, '/console/c/HT01/exports/votes.xlsx', { reason: '复核计票', confirm: '1' });
    expect(file.status).toBe(200);
    const rows = await sheetRows(file.bytes);
    expect(rows[0]).toEqual(['轮次', '活动名称', '投票人（化名）', '提案编号', '提案标题', '投票时间', '计入结果']);
    const votes = rows.slice(1);
    expect(votes.map((r) => [r[0], r[3], r[6]])).toEqual([
      [1, 1, '是'],
      [1, 1, '是'],
      [1, 1, '是'],
      [1, 2, '是'],
    ]);
    const voters = votes.map((r) => String(r[2]));
    for (const v of voters) expect(v).toMatch(/^V-[0-9a-f]{12}$/);
    expect(new Set(voters).size).toBe(4);
    const everything = JSON.stringify(rows);
    const people = await h.app.ctx.prisma.person.findMany({ where: { votes: { some: {} } }, select: { id: true, displayName: true } });
    for (const person of people) {
      expect(everything).not.toContain(person.displayName);
      expect(voters).not.toContain(String(person.id));
    }
    // A second export names the same voters differently: nothing links a pseudonym to a person.
    const csv = csvRows((await download(admin, '/console/c/HT01/exports/votes.csv', { reason: '再次复核', confirm: '1' })).bytes);
    expect(csv).toHaveLength(5);
    const again = csv.slice(1).map((r) => r[2] ?? '');
    expect(new Set(again).size).toBe(4);
    for (const v of again) expect(voters).not.toContain(v);
    const audit = await h.app.ctx.prisma.auditLog.findMany({ where: { action: 'export.votes' }, orderBy: { id: 'asc' }, select: { actorId: true, communityId: true, via: true, after: true } });
    const li = await h.app.ctx.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'li' } });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toEqual({ actorId: li.personId, communityId: ht01, via: 'console', after: { rows: 4, rounds: [1], reason: '复核计票', pseudonymous: true } });
  });

  test('the community report shows the round, turnout, money granted and projects completed', async () => {
    const report = (await wang.get(`/console/reports?area=community:${ht01}`)).text;
    expect(report).toContain('data-testid="kpi-rounds">1<');
    // 4 voters of the 5 people seen in the groups (小赵 did not vote; 王书记 wrote in none).
    expect(report).toMatch(/data-testid="kpi-turnout">80%/);
    expect(report).toContain('data-testid="kpi-granted">2000<');
    expect(report).toContain('data-testid="kpi-venture-done">0 / 1<');
  });

  test('planned dates: a worker plans and clears them on the round page; a viewer sees them, without forms', async () => {
    const prisma = h.app.ctx.prisma;
    await wang.post('/console/c/HT01/rounds', { title: '秋季微创投', budget: '3000', style: 'approval', votes: '1', minVotes: '0', hiddenTallies: '1' });
    // Times relative to now, as the form's datetime-local sends them (the community's local time).
    const local = (days: number) => DateTime.fromMillis(Math.floor((Date.now() + days * 86_400_000) / 60_000) * 60_000, { zone: 'Asia/Shanghai' });
    const typed = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm");
    const voting = local(3);
    expect((await wang.get('/console/c/HT01/rounds/2')).text).toContain('data-testid="plan-save-voting"');
    await wang.post('/console/c/HT01/rounds/2/schedule', { phase: 'voting', at: typed(voting) });
    expect(await wang.flash('/console/c/HT01/rounds/2')).toBe(`已计划：${voting.toFormat('yyyy-MM-dd HH:mm')} 起进入「投票中」阶段`);
    const planned = async () => (await prisma.proposalRound.findFirstOrThrow({ where: { communityId: ht01, number: 2 } })).votingPlannedAt;
    expect(await planned()).toEqual(voting.toJSDate());
    await wang.post('/console/c/HT01/rounds/2/schedule', { phase: 'collecting', at: typed(local(-1)) });
    expect(await wang.flash('/console/c/HT01/rounds/2')).toBe('计划的时间已经过去了，请写一个以后的时间');
    await wang.post('/console/c/HT01/rounds/2/schedule', { phase: 'collecting', at: typed(local(4)) });
    expect(await wang.flash('/console/c/HT01/rounds/2')).toBe('「征集提案」的时间要排在「投票中」之前');

    const seen = (await viewer.get('/console/c/HT01/rounds/2')).text;
    expect(seen).toContain('data-testid="plan-voting"');
    expect(seen).toContain(voting.toFormat('yyyy-MM-dd HH:mm'));
    expect(seen).not.toContain('data-testid="plan-save-voting"');
    await viewer.post('/console/c/HT01/rounds/2/schedule', { phase: 'voting', clear: '1' });
    expect(await viewer.flash('/console/c/HT01/rounds/2')).toBe('只有本社区的工作人员可以这样做。如需帮助，请联系居委会');
    expect(await planned()).toEqual(voting.toJSDate());
    await wang.post('/console/c/HT01/rounds/2/schedule', { phase: 'voting', clear: '1' });
    expect(await wang.flash('/console/c/HT01/rounds/2')).toBe('已取消「投票中」的计划时间');
    expect(await planned()).toBeNull();
  });

  test("the street's rounds covering the community are listed on its rounds page (counts only)", async () => {
    const ctx = h.app.ctx;
    const street = await ctx.prisma.street.create({ data: { code: '霍营街道', name: '霍营街道' } });
    await ctx.prisma.community.update({ where: { id: ht01 }, data: { streetId: street.id } });
    expect((await wang.get('/console/c/HT01/rounds')).text).not.toContain('data-testid="street-rounds"');
    await createRound(ctx, { streetId: street.id, title: '街道微创投', budgetYuan: 20000, via: 'cli' });
    await changePhase(ctx, { streetId: street.id, round: 1, to: 'collecting', actorId: null, via: 'cli' }, ventureAnnouncer);
    const seen = (await viewer.get('/console/c/HT01/rounds')).text;
    expect(seen).toContain('霍营街道的轮次');
    expect(seen.match(/data-testid="street-round-row"/g)).toHaveLength(1);
    expect(seen).toContain('街道微创投');
    // Another street's community does not list it.
    expect((await other.get('/console/c/HT02/rounds')).text).not.toContain('街道微创投');
  });
});
