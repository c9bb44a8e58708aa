// The first five minutes on a fresh `npm start` (no configuration: embedded PostgreSQL in a new data
// directory, the demo loaded), in a real browser (Debian's Chromium through playwright-core):
// sign in with the password printed at start, see the demo communities and the "try this" list,
// open 报表 and find charts with data (the JSON the page carries and the options ECharts was given),
// then follow the five steps to their end: merge two needs, make a project, publish it and see it
// arrive in the web chat, approve hours, open the report. 王书记's printed password opens her
// community, and the web chat's list for residents works. Screenshots: artifacts/screenshots/first-five-minutes/.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { realClockEnv } from '../helpers/real-clock-env.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const shots = join(process.cwd(), 'artifacts', 'screenshots', 'first-five-minutes');
if (!haveChromium && process.env.CI) throw new Error(`Chromium is missing at ${chromiumPath}: .ci/run installs it (apt-get install chromium)`);
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const zone = 'Asia/Shanghai';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

async function until<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface ReportData {
  months: string[];
  needsByCategoryMonth: Array<{ month: string; category: string; count: number }>;
  projectsByStatus: Array<{ status: string; count: number }>;
  hoursByMonth: Array<{ month: string; approved: number; pending: number }>;
  attendanceByMonth: Array<{ month: string; expected: number; attended: number }>;
  ratings: Array<{ rating: number; count: number }>;
}

describe.skipIf(!haveChromium)('the first five minutes, on a fresh npm start with the demo', () => {
  let child: ChildProcess;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  let url: string;
  let dataDir: string;
  let output = '';
  const prefix = `e2e${randomBytes(4).toString('hex')}`;
  const accounts: Record<string, string> = {};
  const dialogs: string[] = [];
  const errors: string[] = [];

  const shot = async (p: Page, name: string) => {
    await p.evaluate('window.scrollTo(0, 0)');
    await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };
  const flash = (p: Page) => p.getByTestId('flash').innerText();
  const reportData = async (p: Page): Promise<ReportData> => JSON.parse((await p.locator('#report-data').textContent()) ?? 'null') as ReportData;
  /** What ECharts was given for a chart: its series' data, as the page holds it. */
  const chartSeries = (p: Page, name: string) =>
    p.evaluate<Array<{ name: string; data: unknown[] }> | null>(
      `(() => {
        const el = document.querySelector('[data-chart="${name}"]');
        const chart = el && window.echarts && window.echarts.getInstanceByDom(el);
        return chart ? chart.getOption().series.map((s) => ({ name: s.name || '', data: s.data })) : null;
      })()`,
    );
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
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
    dataDir = mkdtempSync(join(tmpdir(), 'linli-e2e-5min-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LINLI_DATA_DIR: dataDir, LINLI_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.LINLI_WEBCHAT;
    delete env.LINLI_DEMO;
    const started = Date.now();
    // `npm start` runs exactly this.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    // The banner with the two passwords comes once everything runs.
    await until(
      'the start banner with the console passwords',
      () => {
        if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}\n${output}`);
        for (const m of output.matchAll(/login (\S+) {2}password (\S+)/g)) accounts[m[1]!] = m[2]!;
        return accounts.admin && accounts.wang;
      },
      90_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${output}`);
    });
    console.log(`npm start (fresh data directory, embedded PostgreSQL, demo loaded): banner after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs, env: realClockEnv() });
    desktop = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: zone });
    page = await desktop.newPage();
    watch(page);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the start banner prints both passwords once, beside each other', () => {
    expect(output).toMatch(/administrator {2}login admin {2}password \S+\n {4}王书记 \(demo\) {3}login wang {2}password \S+/);
    expect(output).toContain('The administrator sees the demo communities (HT01, HT02)');
  });

  test('sign in with the printed password: the demo communities and the "try this" list', { timeout: 60_000 }, async () => {
    await page.goto(`${url}/console/`);
    await page.waitForURL(/\/console\/login/);
    await page.getByTestId('login-name').fill('admin');
    await page.getByTestId('login-password').fill(accounts.admin ?? '');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${url}/console/`);
    const cards = await page.getByTestId('community-card').allInnerTexts();
    expect(cards.map((c) => c.split('\n')[0])).toEqual(['回天一社区 HT01', '回天二社区 HT02']);
    expect(await page.getByText('你的账号还没有任何社区的权限').count()).toBe(0);
    const steps = page.locator('[data-testid="try-this"] li a[data-testid^="try-"]:not([data-testid="try-chat"])');
    expect(await steps.allInnerTexts()).toEqual(['合并两条重复的需求', '把需求做成项目', '发布项目，看它出现在网页聊天里', '审核志愿时长', '打开报表']);
    await shot(page, 'desktop-01-console-home');
  });

  test('报表 has charts with data: three months of needs in every category, hours, attendance, ratings, projects', { timeout: 60_000 }, async () => {
    await page.getByTestId('nav-reports').click();
    await page.waitForURL(/\/console\/reports/);
    const d = await reportData(page);
    const needs = d.needsByCategoryMonth;
    expect(new Set(needs.map((r) => r.category)).size).toBe(12);
    expect(new Set(needs.map((r) => r.month)).size).toBeGreaterThanOrEqual(3);
    expect(sum(needs.map((r) => r.count))).toBeGreaterThanOrEqual(30);
    expect(sum(d.hoursByMonth.map((r) => r.approved))).toBeGreaterThan(0);
    expect(sum(d.hoursByMonth.map((r) => r.pending))).toBeGreaterThan(0);
    expect(sum(d.attendanceByMonth.map((r) => r.expected))).toBeGreaterThan(0);
    expect(sum(d.ratings.map((r) => r.count))).toBe(5);
    expect(d.projectsByStatus.map((r) => r.status).sort()).toEqual(['evaluated', 'published']);
    // What ECharts drew from it.
    await page.locator('[data-chart="needs"] canvas').waitFor();
    const needSeries = await chartSeries(page, 'needs');
    expect(needSeries?.length).toBe(12);
    expect(sum((needSeries ?? []).flatMap((s) => s.data as number[]))).toBe(sum(needs.map((r) => r.count)));
    const hours = await chartSeries(page, 'hours');
    expect((hours ?? []).some((s) => (s.data as number[]).some((x) => x > 0))).toBe(true);
    const ratings = await chartSeries(page, 'ratings');
    expect(sum((ratings ?? []).flatMap((s) => (s.data as Array<number | { value: number }>).map((x) => (typeof x === 'number' ? x : x.value))))).toBe(5);
    await page.waitForTimeout(600); // the charts' entry animation, for the screenshot
    await shot(page, 'desktop-02-reports');
  });

  test('the five steps, to their end', { timeout: 120_000 }, async () => {
    const home = async () => {
      await page.goto(`${url}/console/`);
      await page.getByTestId('try-this').waitFor();
    };

    // 1. Merge two needs: the two reports of the east gate's lamp.
    await home();
    await page.getByTestId('try-merge').click();
    await page.waitForURL(/\/console\/c\/HT01\/needs$/);
    const lamp = page.locator('[data-testid="need-row"]', { hasText: '东门' });
    expect(await lamp.count()).toBe(2);
    const numbers = (await lamp.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-number'))))).sort((a, b) => a - b);
    const [keep, dup] = numbers as [number, number];
    await page.locator(`[data-testid="need-row"][data-number="${keep}"] [data-testid="need-keep"]`).check();
    await page.locator(`[data-testid="need-row"][data-number="${dup}"] [data-testid="need-check"]`).check();
    await page.getByTestId('merge-needs').click();
    await page.waitForURL(/\/needs/);
    expect(await flash(page)).toBe(`已把 #${dup} 合并到 #${keep}，现在 4 人同求`);
    expect(await page.locator(`[data-testid="need-row"][data-number="${dup}"]`).count()).toBe(0);
    await shot(page, 'desktop-03-step1-merged');

    // 2. Make a project of the merged need.
    await home();
    await page.getByTestId('try-project').click();
    await page.waitForURL(/\/needs$/);
    await page.locator(`[data-testid="need-row"][data-number="${keep}"] [data-testid="need-check"]`).check();
    await page.getByTestId('needs-to-project').click();
    await page.waitForURL(new RegExp(`/projects/new\\?needs=${keep}$`));
    await page.getByTestId('project-title').fill('修好东门路灯');
    const row = page.locator('[data-shift-row]').first();
    await row.locator('input[name="shift_date"]').fill(DateTime.now().setZone(zone).plus({ days: 3 }).toFormat('yyyy-MM-dd'));
    await row.locator('input[name="shift_start"]').fill('14:00');
    await row.locator('input[name="shift_end"]').fill('16:00');
    await row.locator('input[name="shift_capacity"]').fill('3');
    await row.locator('input[name="shift_place"]').fill('小区东门');
    await page.getByTestId('project-create').click();
    await page.waitForURL(/\/projects\/4$/);
    expect(await flash(page)).toMatch(/^已创建项目 #4，已通知 4 位支持这些需求的居民$/);
    await shot(page, 'desktop-04-step2-project');

    // 3. Publish it and watch it arrive in the web chat.
    await home();
    await page.getByTestId('try-publish').click();
    await page.waitForURL(/\/console\/c\/HT01\/projects$/);
    await page.locator('a[href$="/projects/4"]').first().click();
    await page.waitForURL(/\/projects\/4$/);
    await page.getByTestId('publish-submit').click();
    await page.waitForURL(/\/projects\/4/);
    expect(await flash(page)).toBe('已开始发布到 2 个群');
    await until(
      'the broadcast to be done',
      async () => {
        await page.reload();
        return (await page.locator('[data-testid="broadcast"][data-status="done"]').count()) > 0;
      },
      30_000,
    );
    await shot(page, 'desktop-05-step3-published');
    const chat = await desktop.newPage();
    watch(chat);
    await chat.setViewportSize({ width: 390, height: 844 });
    await chat.addInitScript('localStorage.clear()');
    await chat.goto(`${url}/chat`);
    await chat.getByTestId('persona-select').selectOption('zhang-ayi');
    await chat.locator('[data-testid="conversation-item"][data-conversation="ht01-all"]').click();
    await chat.locator('[data-testid="message"][data-sender="bot"] .bubble', { hasText: '【公益项目 #4】修好东门路灯' }).first().waitFor({ timeout: 20_000 });
    await shot(chat, 'phone-06-step3-webchat');
    await chat.close();

    // 4. Approve hours: the green belt's three volunteers.
    await home();
    await page.getByTestId('try-hours').click();
    await page.waitForURL(/\/console\/c\/HT01\/hours$/);
    expect(await page.locator('[data-testid="hours-row"][data-status="pending"]').count()).toBe(3);
    await page.locator('[data-testid="hours-table"] [data-select-all]').check();
    await page.getByTestId('hours-approve-selected').click();
    await page.waitForURL(/\/hours/);
    expect(await flash(page)).toMatch(/^已通过 3 条，共 \d+(\.\d)? 小时，已通知志愿者$/);
    expect(await page.locator('[data-testid="hours-row"][data-status="pending"]').count()).toBe(0);
    await shot(page, 'desktop-07-step4-hours');

    // 5. Open the report: this month's approved hours now include them.
    await home();
    const before = await (async () => {
      await page.getByTestId('try-report').click();
      await page.waitForURL(/\/console\/reports\?area=community:\d+$/);
      return reportData(page);
    })();
    expect(await page.locator('h1').first().innerText()).toContain('回天一社区');
    const thisMonth = DateTime.now().setZone(zone).toFormat('yyyy-MM');
    expect(before.hoursByMonth.find((r) => r.month === thisMonth)?.approved).toBeGreaterThan(0);
    expect(before.projectsByStatus.find((r) => r.status === 'published')?.count).toBe(3);
    await page.locator('[data-chart="hours"] canvas').waitFor();
    await page.waitForTimeout(600);
    await shot(page, 'desktop-08-step5-report');
    expect(dialogs.filter((x) => x.startsWith('alert'))).toEqual([]);
  });

  test('王书记 signs in with her printed password and lands on her community, the list on top', { timeout: 60_000 }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: zone });
    const p = await ctx.newPage();
    watch(p);
    await p.goto(`${url}/console/login`);
    await p.getByTestId('login-name').fill('wang');
    await p.getByTestId('login-password').fill(accounts.wang ?? '');
    await p.getByTestId('login-submit').click();
    await p.waitForURL(`${url}/console/c/HT01`);
    expect(await p.getByTestId('try-this').getAttribute('data-community')).toBe('HT01');
    await shot(p, 'phone-09-wang-home');
    await p.getByTestId('lang-en').click();
    await p.waitForURL(/\/console\/c\/HT01/);
    expect(await p.locator('[data-testid="try-this"] h2').innerText()).toBe('Try this: Linli in five minutes · 回天一社区');
    await shot(p, 'phone-10-wang-home-english');
    await ctx.close();
  });

  test('the web chat has the same kind of list for residents: a need, +1, sign-up, vote, my record', { timeout: 90_000 }, async () => {
    const chat = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    watch(chat);
    await chat.addInitScript('localStorage.clear()');
    await chat.goto(`${url}/chat`);
    await chat.getByTestId('try-this').waitFor();
    expect(await chat.locator('[data-testid="try-this"] .try-step b').allInnerTexts()).toEqual(['报一个需求', '+1 支持邻居的需求', '报名志愿活动', '给微创投提案投票', '我的记录']);
    await shot(chat, 'phone-11-webchat-try-this');
    const bot = (text: string | RegExp) => chat.locator('[data-testid="message"][data-sender="bot"] .bubble', { hasText: text }).first();
    const step = async (id: string, reply: string | RegExp) => {
      await chat.goto(`${url}/chat`);
      await chat.getByTestId(`try-${id}`).click();
      expect((await chat.getByTestId('composer-input').inputValue()).length).toBeGreaterThan(0);
      await chat.getByTestId('composer-send').click();
      await bot(reply)
        .waitFor({ timeout: 20_000 })
        .catch(async () => {
          const said = await chat.locator('[data-testid="message"][data-sender="bot"] .bubble').allInnerTexts();
          throw new Error(`try-${id}: no answer matching ${String(reply)}; the bot's last lines: ${JSON.stringify(said.slice(-3))}`);
        });
    };
    await step('need', /@张阿姨 已登记需求 #\d+（物业维修）/);
    await step('upvote', /^@刘大爷 已为需求 #8 \+1，现在 4 人同求/);
    await step('signup', /报名成功：项目 #3「独居老人上门探访」，班次 B/);
    await step('vote', /已投票给提案 #?3。你还剩 0 票/);
    await step('mine', /志愿时长：已认定 \d+(\.\d+)? 小时 ★（再服务/);
    await shot(chat, 'phone-12-webchat-my-record');
    await chat.close();
    expect(errors).toEqual([]);
  });
});
