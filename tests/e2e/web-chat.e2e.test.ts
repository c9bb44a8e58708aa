// The first-run experience in a real browser: `npm start` with no configuration (embedded
// PostgreSQL in a fresh data directory, demo data), then a resident raises a need in the web chat,
// a neighbour says +1 and a worker lists the needs. Screenshots go to artifacts/screenshots/.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { realClockEnv } from '../helpers/real-clock-env.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const screenshots = join(process.cwd(), 'artifacts', 'screenshots');
if (!haveChromium && process.env.CI) throw new Error(`Chromium is missing at ${chromiumPath}: .ci/run installs it (apt-get install chromium)`);

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not healthy within ${timeoutMs} ms`);
}

describe.skipIf(!haveChromium)('web chat in a real browser, on a fresh npm start', () => {
  let child: ChildProcess;
  let browser: Browser;
  let page: Page;
  let url: string;
  let dataDir: string;
  let output = '';
  const prefix = `{e2e${randomBytes(4).toString('hex')}}`; // hash-tagged, as the app's keys are

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'linli-e2e-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LINLI_DATA_DIR: dataDir, LINLI_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.LINLI_WEBCHAT;
    delete env.LINLI_DEMO;
    // `npm start` runs exactly this.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const ms = await waitForHealth(url, child, 120_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${output}`);
    });
    console.log(`npm start (fresh data directory, embedded PostgreSQL, demo data): healthy after ${(ms / 1000).toFixed(1)} s`);

    browser = await chromium.launch({
      env: realClockEnv(),
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    // Each visit starts on the chat list, as a newcomer's would (the page remembers the last chat).
    await page.addInitScript('localStorage.clear()');
  }, 180_000);

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

  /** Like a person: open the page, pick who I am and the group, type, send. */
  async function speak(persona: string, conversation: string, text: string): Promise<void> {
    await page.goto(`${url}/chat`);
    await page.getByTestId('persona-select').selectOption(persona);
    await page.locator(`[data-testid="conversation-item"][data-conversation="${conversation}"]`).click();
    await page.getByTestId('composer-input').fill(text);
    await page.getByTestId('composer-send').click();
  }

  const botSays = (text: string | RegExp) => page.locator('[data-testid="message"][data-sender="bot"] .bubble', { hasText: text });

  test('a resident raises a need, a neighbour says +1, a worker lists the needs', { timeout: 90_000 }, async () => {
    await speak('zhang-ayi', 'ht01-b3', '需求 3号楼楼道灯坏了，晚上上楼黑乎乎的');
    const registered = botSays(/@张阿姨 已登记需求 #\d+（物业维修）/).first();
    await registered.waitFor({ state: 'visible', timeout: 15_000 });
    // The demo holds three months of needs: the new one takes the next number.
    const number = Number(/#(\d+)/.exec(await registered.innerText())?.[1]);
    expect(number).toBeGreaterThan(30);
    await page.screenshot({ path: join(screenshots, 'web-chat-1-need.png') });

    await speak('liu-daye', 'ht01-b3', `+1 ${number}`);
    await botSays(`@刘大爷 已为需求 #${number} +1，现在 2 人同求`).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: join(screenshots, 'web-chat-2-upvote.png') });

    await speak('wang-shuji', 'ht01-b3', '需求清单');
    const list = botSays('@王书记 回天一社区 待解决需求');
    await list.first().waitFor({ state: 'visible', timeout: 15_000 });
    const text = await list.first().innerText();
    // The most supported first: the demo's meals for the elderly (5), not the new need (2).
    expect(text).toContain('#2【为老服务】希望社区能给独居老人送饭');
    expect(text).not.toContain(`#${number}【`);
    await page.screenshot({ path: join(screenshots, 'web-chat-3-list.png') });

    // What was said is on the page as text, in order, for everyone in the group.
    const all = await page.locator('[data-testid="message"] .bubble').allInnerTexts();
    const i = all.findIndex((t) => t.includes('需求 3号楼楼道灯坏了'));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(all.slice(i).some((t) => t === `+1 ${number}`)).toBe(true);
  });
});
