// GET /metrics after a golden transcript plays in the web chat: the counters say what the
// transcript did (messages in, replies out), and only loopback or the bearer token reads them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import { loadTranscript, type Step } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

const token = 'metrics-token-for-the-test-0123456789';

/** `name{a="x",b="y"} 3` lines → value by `name{a="x",b="y"}` (labels as written). */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_:][a-z0-9_:]*(?:\{[^}]*\})?) (\S+)$/i.exec(line);
    if (m?.[1] && m[2]) out.set(m[1], Number(m[2]));
  }
  return out;
}

describe('/metrics', () => {
  let h: Harness;
  const clock = new TestClock('2026-12-03T10:00+08:00');
  beforeAll(async () => {
    h = await createHarness({ clock, roles: ['bots', 'workers', 'web'], env: { LINLI_METRICS_TOKEN: token } });
  });
  afterAll(async () => h?.close());

  const scrape = async () => {
    const res = await fetch(`${h.app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  test('after need-intake.txt: messages in by outcome, replies sent, latencies, queue depths', { timeout: 60_000 }, async () => {
    const before = parse(await scrape());
    const steps = loadTranscript('need-intake.txt');
    await runTranscript(h.app.ctx, webDriver(h), steps, { effects: h.app.effects, advance: (to) => h.advanceTo(to) });
    const text = await scrape();
    const after = parse(text);
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);

    const says = steps.filter((s): s is Extract<Step, { kind: 'say' }> => s.kind === 'say');
    const answered = says.filter((s) => s.expected.length > 0);
    const replies = steps.reduce((n, s) => n + ('expected' in s ? s.expected.length : 0), 0);
    expect(says.length).toBeGreaterThan(20);

    const inbound = ['handled', 'not-addressed', 'duplicate', 'invalid', 'error'].map((o) => delta(`linli_inbound_messages_total{platform="web",outcome="${o}"}`));
    expect(inbound.reduce((a, b) => a + b, 0)).toBe(says.length);
    expect(delta('linli_inbound_messages_total{platform="web",outcome="handled"}')).toBe(answered.length);
    expect(delta('linli_inbound_messages_total{platform="web",outcome="error"}')).toBe(0);
    expect(delta('linli_reply_latency_seconds_count{platform="web"}')).toBe(answered.length);
    expect(delta('linli_outbound_sends_total{platform="web",outcome="sent"}')).toBe(replies);
    expect(delta('linli_outbound_rate_limited_total{platform="web"}')).toBe(0);

    // Drained: nothing waits in the web chat's outbound queue; the other queues are listed too.
    expect(after.get('linli_queue_jobs{queue="outbound-web",state="waiting"}')).toBe(0);
    for (const q of ['broadcasts', 'reminders', 'digests', 'tickets']) expect(after.has(`linli_queue_jobs{queue="${q}",state="failed"}`)).toBe(true);
    expect(after.get('linli_broadcasts{status="running"}')).toBe(0);

    // Every series is Linli's, and none carries a person's words or number.
    const names = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2] ?? '');
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !n.startsWith('linli_'))).toEqual([]);
    expect(text).not.toContain('张阿姨');
  });

  test('only loopback or the bearer token reads it; a forwarded request needs the token', async () => {
    const web = h.app.web;
    if (!web) throw new Error('no web role');
    const remote = await web.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
    expect(remote.statusCode).toBe(403);
    expect(remote.body).not.toContain('linli_');
    const wrong = await web.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7', headers: { authorization: 'Bearer not-the-token-at-all-0123456789' } });
    expect(wrong.statusCode).toBe(403);
    const withToken = await web.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7', headers: { authorization: `Bearer ${token}` } });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.body).toContain('linli_inbound_messages_total');

    // A reverse proxy on this machine connects from loopback, but says whom it forwards for.
    const proxied = await fetch(`${h.app.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(proxied.status).toBe(403);
  });

  test('a workers process without the web role serves its own /metrics on LINLI_METRICS_PORT', { timeout: 30_000 }, async () => {
    const workers = await createHarness({ roles: ['workers'], env: { LINLI_METRICS_PORT: '0' } });
    try {
      const url = workers.app.metricsUrl;
      if (!url) throw new Error('no metrics server');
      const sent = async () => parse(await (await fetch(url)).text()).get('linli_outbound_sends_total{platform="web",outcome="sent"}') ?? 0;
      const before = await sent();
      const to = { platform: 'web' as const, chatId: 'metrics-group', kind: 'group' as const };
      await workers.app.outbox.send([
        { key: 'metrics:1', to, message: { text: '第一条' } },
        { key: 'metrics:2', to, message: { text: '第二条' } },
      ]);
      await workers.drain();
      expect((await sent()) - before).toBe(2);
      const remote = await fetch(url, { headers: { forwarded: 'for=203.0.113.7' } });
      expect(remote.status).toBe(403);
    } finally {
      await workers.close();
    }
  });
});
