// The workers' console in a real browser (Debian's Chromium through playwright-core), on a real
// server with the real workers, Postgres and Redis: a worker signs in, merges two needs, makes a
// project of them, publishes it (and the announcement reaches the web chat), approves a claim,
// shows the check-in QR, approves hours in bulk and exports XLSX (read back with exceljs).
// Screenshots, phone and desktop, land in artifacts/screenshots/console/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { reportNeed } from '../../src/core/needs/report-need.ts';
import { supportNeed } from '../../src/core/needs/support-need.ts';
import { createOrganization } from '../../src/core/orgs/create-organization.ts';
import { createConsoleUser } from '../../src/core/console-users/console-users.ts';
import { realClockEnv } from '../helpers/real-clock-env.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const shots = join(process.cwd(), 'artifacts', 'screenshots', 'console');
if (!haveChromium && process.env.CI) throw new Error(`Chromium is missing at ${chromiumPath}: .ci/run installs it (apt-get install chromium)`);
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const zone = 'Asia/Shanghai';

describe.skipIf(!haveChromium)('workers’ console in a real browser', () => {
  let h: Harness;
  let url: string;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  let offsetMs = 0;
  const dialogs: string[] = [];
  const errors: string[] = [];
  const people: Record<string, number> = {};
  const shiftDay = DateTime.now().setZone(zone).plus({ days: 2 }).toFormat('yyyy-MM-dd');

  const shot = async (p: Page, name: string) => {
    // From the top, so the sticky bars sit where a person sees them.
    await p.evaluate('window.scrollTo(0, 0)');
    await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };
  const flash = (p: Page) => p.getByTestId('flash').innerText();
  const bot = async (conversation: string) =>
    (await h.app.ctx.prisma.webChatMessage.findMany({ where: { conversation, senderId: null }, orderBy: { id: 'asc' } })).map((m) => m.text);
  let seq = 0;
  const say = async (persona: string, conversation: string, text: string) => {
    await h.app.webChat.receive({ conversation, persona, text, clientId: `e2e-${++seq}` }, persona);
    await h.drain();
  };
  const watch = (p: Page) => {
    p.on('dialog', (d) => {
      dialogs.push(`${d.type()}:${d.message()}`);
      void d.accept();
    });
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    h = await createHarness({ roles: ['web', 'workers', 'bots'], clock: { now: () => new Date(Date.now() + offsetMs) } });
    url = h.app.url ?? '';
    const ctx = h.app.ctx;
    const ht01 = await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' });
    await createCommunity(ctx, { code: 'HT02', name: '回天二社区', street: '霍营街道', district: '昌平区' });
    await bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'ht01-b3', title: '3号楼邻里群', building: '3号楼' });
    await bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'ht01-all', title: '回天一社区居民群' });
    await bindGroup(ctx, { community: 'HT02', platform: 'web', chat: 'ht02-all', title: '回天二社区居民群' });
    for (const [id, name] of [
      ['zhang-ayi', '张阿姨'],
      ['liu-daye', '刘大爷'],
      ['xiao-li', '小李'],
      ['chen-laoshi', '陈老师'],
    ] as const) {
      people[id] = await h.persona(id, name);
    }
    await ctx.prisma.person.update({ where: { id: people['xiao-li'] }, data: { phone: '13700001111' } });
    await createOrganization(ctx, { communityId: ht01.id, name: '夕阳天使志愿服务队', serves: ['elderly'], members: [{ platform: 'web', user: 'chen-laoshi', name: '陈老师' }] });
    const needs = [
      ['liu-daye', '<script>alert(1)</script>', []],
      ['zhang-ayi', '希望社区能给独居老人送饭', ['liu-daye', 'xiao-li']],
      ['liu-daye', '能不能在活动室办个社区食堂，方便老人吃午饭 电话13912345678', ['zhang-ayi']],
      ['xiao-li', '3号楼楼道灯坏了，晚上上楼黑乎乎的', []],
    ] as const;
    for (const [by, text, plus] of needs) {
      const r = await reportNeed(ctx, { communityId: ht01.id, authorId: people[by] ?? 0, text });
      expect(r.kind).toBe('created');
      for (const x of plus) await supportNeed(ctx, { communityId: ht01.id, number: r.need.number, personId: people[x] ?? 0 });
    }
    await createConsoleUser(ctx, {
      login: 'wang',
      name: '王书记',
      password: 'wang-secret-2026',
      identity: { platform: 'web', user: 'wang-shuji' },
      grants: [{ role: 'worker', scope: { community: 'HT01' } }],
      actorId: null,
      via: 'cli',
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs, env: realClockEnv() });
    desktop = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true, timezoneId: zone });
    page = await desktop.newPage();
    watch(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test('sign in, merge two needs, make a project, publish it: the announcement arrives in the web chat', { timeout: 120_000 }, async () => {
    await page.goto(`${url}/console/`);
    await page.waitForURL(/\/console\/login/);
    await shot(page, 'desktop-01-login');
    await page.getByTestId('login-name').fill('wang');
    await page.getByTestId('login-password').fill('wang-secret-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${url}/console/c/HT01`);
    await shot(page, 'desktop-02-overview');

    await page.getByTestId('nav-needs').click();
    await page.waitForURL(/\/needs$/);
    // A resident's <script> is text on the page, and nothing ran.
    const xss = page.locator('[data-testid="need-row"][data-number="1"] [data-testid="need-text"]');
    expect(await xss.innerText()).toBe('<script>alert(1)</script>');
    expect(dialogs.filter((d) => d.startsWith('alert'))).toEqual([]);

    await page.locator('[data-testid="need-row"][data-number="2"] [data-testid="need-keep"]').check();
    await page.locator('[data-testid="need-row"][data-number="3"] [data-testid="need-check"]').check();
    await shot(page, 'desktop-03-needs-selected');
    await page.getByTestId('merge-needs').click();
    await page.waitForURL(/\/needs/);
    expect(await flash(page)).toBe('已把 #3 合并到 #2，现在 3 人同求');
    expect(dialogs.at(-1)).toMatch(/^confirm:确定把所选需求合并吗/);
    const merged = await h.app.ctx.prisma.need.findMany({ where: { number: { in: [2, 3] } }, orderBy: { number: 'asc' } });
    expect(merged.map((n) => [n.number, n.status, n.supportCount, n.mergedIntoId])).toEqual([
      [2, 'open', 3, null],
      [3, 'merged', 2, merged[0]?.id],
    ]);
    await shot(page, 'desktop-04-needs-merged');

    await page.locator('[data-testid="need-row"][data-number="2"] [data-testid="need-check"]').check();
    await page.getByTestId('needs-to-project').click();
    await page.waitForURL(/\/projects\/new\?needs=2$/);
    expect(await page.getByTestId('project-title').inputValue()).toBe('希望社区能给独居老人送饭');
    await page.getByTestId('project-title').fill('助老送餐');
    await page.locator('input[name="claimType"][value="both"]').check();
    const row = page.locator('[data-shift-row]').first();
    await row.locator('input[name="shift_date"]').fill(shiftDay);
    await row.locator('input[name="shift_start"]').fill('11:00');
    await row.locator('input[name="shift_end"]').fill('13:00');
    await row.locator('input[name="shift_capacity"]').fill('2');
    await row.locator('input[name="shift_place"]').fill('社区食堂');
    await shot(page, 'desktop-05-project-new');
    await page.getByTestId('project-create').click();
    await page.waitForURL(/\/projects\/1$/);
    expect(await flash(page)).toBe('已创建项目 #1，已通知 3 位支持这些需求的居民');
    expect(await page.getByTestId('announcement-preview').innerText()).toContain('【公益项目 #1】助老送餐');

    await page.getByTestId('publish-submit').click();
    await page.waitForURL(/\/projects\/1/);
    expect(await flash(page)).toBe('已开始发布到 2 个群');
    await h.drain();
    await page.reload();
    await page.locator('[data-testid="broadcast"][data-status="done"]').waitFor();
    expect(await page.locator('[data-testid="delivery"][data-status="sent"]').count()).toBe(2);
    await shot(page, 'desktop-06-project-published');
    for (const g of ['ht01-b3', 'ht01-all']) expect((await bot(g)).some((t) => t.startsWith('【公益项目 #1】助老送餐'))).toBe(true);
    expect((await bot('ht02-all')).some((t) => t.includes('助老送餐'))).toBe(false);

    // What residents see: the web chat page of the 3号楼 group.
    const chat = await desktop.newPage();
    await chat.setViewportSize({ width: 390, height: 844 });
    await chat.goto(`${url}/chat`);
    await chat.getByTestId('persona-select').selectOption('zhang-ayi');
    await chat.locator('[data-testid="conversation-item"][data-conversation="ht01-b3"]').click();
    await chat.locator('[data-testid="message"][data-sender="bot"] .bubble', { hasText: '【公益项目 #1】助老送餐' }).first().waitFor({ timeout: 15_000 });
    await shot(chat, 'phone-07-webchat-announcement');
    await chat.close();
  });

  test('a claim is approved; sign-ups and the waitlist show per shift', { timeout: 90_000 }, async () => {
    await say('chen-laoshi', 'ht01-all', '认领 1 夕阳天使志愿服务队');
    await say('xiao-li', 'ht01-all', '报名 1');
    await say('zhang-ayi', 'ht01-b3', '报名 1');
    await say('liu-daye', 'ht01-b3', '报名 1');
    expect((await bot('ht01-b3')).at(-1)).toContain('候补第 1 位');

    await page.getByTestId('nav-claims').click();
    await page.locator('[data-testid="claim-row"]').first().waitFor();
    await shot(page, 'desktop-08-claims');
    await page.getByTestId('claim-approve').first().click();
    await page.waitForURL(/\/claims/);
    expect(await flash(page)).toBe('已同意「夕阳天使志愿服务队」认领项目 #1，已通知申请人');
    await h.drain();
    expect((await bot('dm:chen-laoshi')).at(-1)).toContain('申请已通过');
    expect((await h.app.ctx.prisma.claim.findFirstOrThrow()).status).toBe('approved');

    await page.goto(`${url}/console/c/HT01/projects/1#shifts`);
    const shift = page.locator('[data-testid="shift"][data-label="A"]');
    expect(await shift.locator('[data-testid="signup-row"]').count()).toBe(2);
    expect(await shift.innerText()).toContain('候补： 1. 刘大爷');
    expect(await shift.innerText()).toContain('137****1111');
    await shot(page, 'desktop-09-project-signups');
  });

  test('the check-in QR rotates with the code; check-ins become hours, approved in bulk', { timeout: 90_000 }, async () => {
    // The clock moves to 5 minutes after the shift starts.
    const start = DateTime.fromISO(`${shiftDay}T11:00`, { zone });
    offsetMs = start.plus({ minutes: 5 }).toMillis() - Date.now();
    await page.goto(`${url}/console/c/HT01/projects/1/checkin`);
    const code = (await page.getByTestId('checkin-code').innerText()).trim();
    expect(code).toMatch(/^\d{6}$/);
    expect(await page.getByTestId('checkin-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await page.getByTestId('checkin-qr').getAttribute('alt')).toBe(`签到 1 ${code}`);
    await shot(page, 'desktop-10-checkin-qr');

    await say('xiao-li', 'ht01-all', `签到 1 ${code}`);
    await say('zhang-ayi', 'ht01-b3', `签到 1 ${code}`);
    expect((await bot('ht01-b3')).at(-1)).toContain('签到成功');
    offsetMs = start.plus({ minutes: 125 }).toMillis() - Date.now();
    await say('xiao-li', 'ht01-all', '签退 1');
    await say('zhang-ayi', 'ht01-b3', '签退 1');
    expect(await h.app.ctx.prisma.hoursEntry.count({ where: { status: 'pending' } })).toBe(2);

    await page.goto(`${url}/console/c/HT01/hours`);
    expect(await page.locator('[data-testid="hours-row"][data-status="pending"]').count()).toBe(2);
    await page.locator('[data-testid="hours-table"] [data-select-all]').check();
    await shot(page, 'desktop-11-hours-selected');
    await page.getByTestId('hours-approve-selected').click();
    await page.waitForURL(/\/hours/);
    expect(await flash(page)).toBe('已通过 2 条，共 4.0 小时，已通知志愿者');
    const entries = await h.app.ctx.prisma.hoursEntry.findMany({ orderBy: { id: 'asc' } });
    const wang = await h.app.ctx.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'wang' } });
    expect(entries.map((e) => [e.status, Number(e.hours), e.approvedById])).toEqual([
      ['approved', 2, wang.personId],
      ['approved', 2, wang.personId],
    ]);
    await h.drain();
    expect((await bot('dm:xiao-li')).at(-1)).toContain('2 小时志愿时长已审核通过');
    await page.goto(`${url}/console/c/HT01/hours?status=approved`);
    await shot(page, 'desktop-12-hours-approved');
  });

  test('XLSX exports read back with exceljs: Chinese headers, the rows, phones masked', { timeout: 60_000 }, async () => {
    await page.getByTestId('nav-exports').click();
    await page.waitForURL(/\/exports$/);
    await shot(page, 'desktop-13-exports');
    const read = async (testid: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      const path = await download.path();
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path);
      const ws = wb.worksheets[0];
      if (!ws) throw new Error('no sheet');
      const rows: unknown[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      return { name: ws.name, file: download.suggestedFilename(), rows };
    };
    const signups = await read('export-signups-xlsx');
    expect(signups.name).toBe('报名名单');
    expect(signups.file).toMatch(/^报名名单-回天一社区-\d{8}\.xlsx$/); // the UTF-8 name (filename*), an ASCII one for older clients
    expect(signups.rows[0]).toEqual(['项目编号', '项目名称', '班次', '开始时间', '结束时间', '地点', '志愿者', '联系电话', '状态', '候补位次', '报名时间', '签到时间', '签退时间']);
    expect(signups.rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5], r[6], r[7], r[8], r[9]])).toEqual([
      [1, '助老送餐', 'A', `${shiftDay} 11:00`, '社区食堂', '小李', '137****1111', '已报名', ''],
      [1, '助老送餐', 'A', `${shiftDay} 11:00`, '社区食堂', '张阿姨', '', '已报名', ''],
      [1, '助老送餐', 'A', `${shiftDay} 11:00`, '社区食堂', '刘大爷', '', '候补', 1],
    ]);
    const hours = await read('export-hours-xlsx');
    expect(hours.rows[0]).toEqual(['记录号', '志愿者', '联系电话', '项目编号', '项目名称', '班次', '时长（小时）', '状态', '说明', '更正记录号', '审核人', '审核时间', '登记时间']);
    expect(hours.rows.slice(1).map((r) => [r[1], r[2], r[4], r[6], r[7], r[10]])).toEqual([
      ['小李', '137****1111', '助老送餐', 2, '已通过', '王书记'],
      ['张阿姨', '', '助老送餐', 2, '已通过', '王书记'],
    ]);
    const needs = await read('export-needs-xlsx');
    expect(needs.rows.slice(1).map((r) => [r[0], r[2], r[3], r[4], r[7], r[9], r[10]])).toEqual([
      [1, '<script>alert(1)</script>', '待解决', 1, '', '', ''],
      [2, '希望社区能给独居老人送饭', '已立项', 3, '139****5678', '', '#1'],
      [3, '能不能在活动室办个社区食堂，方便老人吃午饭 电话139****5678', '已合并', 2, '139****5678', '#2', ''],
      [4, '3号楼楼道灯坏了，晚上上楼黑乎乎的', '待解决', 1, '', '', ''],
    ]);
    const evaluations = await read('export-evaluations-xlsx');
    expect(evaluations.rows[1]?.slice(0, 4)).toEqual([1, '助老送餐', '为老服务', '已发布']);
  });

  test('reports with charts, the printable evaluation, languages, and the phone layout', { timeout: 90_000 }, async () => {
    await page.getByTestId('nav-reports').click();
    await page.waitForURL(/\/reports/);
    await page.locator('[data-chart="needs"] canvas').waitFor();
    await page.locator('[data-chart="hours"] canvas').waitFor();
    expect(await page.getByTestId('kpi-needs').innerText()).toBe('3');
    await page.waitForTimeout(600); // the charts' entry animation
    await shot(page, 'desktop-14-reports');
    await page.goto(`${url}/console/c/HT01/projects/1/evaluation`);
    expect(await page.getByTestId('evaluation').innerText()).toContain('项目评估报告');
    await shot(page, 'desktop-15-evaluation');

    await page.goto(`${url}/console/c/HT01/needs`);
    await page.getByTestId('lang-en').click();
    await page.waitForURL(/\/needs$/);
    expect(await page.locator('h1').first().innerText()).toBe('Needs');
    await shot(page, 'desktop-16-needs-english');
    await page.getByTestId('lang-zh-Hant').click();
    expect(await page.locator('h1').first().innerText()).toBe('需求清單');
    await shot(page, 'desktop-17-needs-traditional');
    await page.getByTestId('lang-zh-Hans').click();

    // Back inside the shift, so the check-in screen has a code to show.
    offsetMs = DateTime.fromISO(`${shiftDay}T11:30`, { zone }).toMillis() - Date.now();
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: zone });
    const p = await phone.newPage();
    watch(p);
    await p.goto(`${url}/console/login`);
    await shot(p, 'phone-01-login');
    await p.getByTestId('login-name').fill('wang');
    await p.getByTestId('login-password').fill('wang-secret-2026');
    await p.getByTestId('login-submit').click();
    await p.waitForURL(`${url}/console/c/HT01`);
    await shot(p, 'phone-02-overview');
    for (const [path, name] of [
      ['/console/c/HT01/needs?status=all', 'phone-03-needs'],
      ['/console/c/HT01/projects', 'phone-04-projects'],
      ['/console/c/HT01/projects/1', 'phone-05-project'],
      ['/console/c/HT01/hours?status=all', 'phone-06-hours'],
      ['/console/c/HT01/projects/1/checkin', 'phone-08-checkin-qr'],
      ['/console/reports', 'phone-09-reports'],
    ] as const) {
      await p.goto(`${url}${path}`);
      if (path.includes('reports')) await p.waitForTimeout(800);
      await shot(p, name);
    }
    await phone.close();
    expect(errors).toEqual([]);
    expect(dialogs.filter((d) => d.startsWith('alert'))).toEqual([]);
  });
});
