// Regression: Bull Board (/console/admin/queues) was sent without anti-framing headers and its page
// loaded Google Fonts, so an administrator's browser asked another host for assets on every visit
// and the board could be framed (clickjacking its retry / clean buttons).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { createConsoleUser } from '../../../src/core/console-users/console-users.ts';
import { withoutExternalAssets } from '../../../src/web/console/queues.ts';

describe('Bull Board inside the console', () => {
  let h: Harness;
  const password = 'root-admin-2026';

  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'workers'] });
    await createConsoleUser(h.app.ctx, { login: 'root', name: '管理员', password, isAdmin: true, actorId: null, via: 'cli' });
  });
  afterAll(async () => h?.close());

  test('the board page may not be framed and names no other host; its assets come from the app itself', async () => {
    const a = new ConsoleClient(h.app.url ?? '');
    expect((await a.login('root', password)).status).toBe(303);
    for (const path of ['/console/admin/queues', '/console/admin/queues/', '/console/admin/queues/queue/outbound-web']) {
      const r = await a.get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/https?:|\*/);
      expect(r.text).toContain('static/js/main.');
      expect(r.text, 'an external URL in the page').not.toMatch(/https?:\/\//i);
      expect(r.text, 'a protocol-relative URL in the page').not.toMatch(/(?:src|href)\s*=\s*["']?\/\//i);
      // Every stylesheet and script the page names is served here.
      const assets = [...r.text.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((m) => m[1] ?? '');
      expect(assets.length).toBeGreaterThan(2);
      for (const asset of assets) expect((await a.get(`/console/admin/queues/${asset}`)).status, asset).toBe(200);
    }
    // Its JSON API carries the same headers.
    const api = await a.get('/console/admin/queues/api/queues');
    expect(api.status).toBe(200);
    expect(api.headers.get('x-frame-options')).toBe('DENY');
  });

  test('withoutExternalAssets drops only what would load from elsewhere', () => {
    const page = [
      '<link href="https://fonts.googleapis.com/css2?family=IBM+Plex+Sans" rel="stylesheet">',
      '<link rel="preconnect" href="//fonts.gstatic.com">',
      '<link href="static/css/main.css" rel="stylesheet">',
      '<script defer src="https://cdn.example/x.js"></script>',
      '<script defer src="static/js/main.js"></script>',
      '<img src="http://evil.example/p.png"><img src="static/images/logo.svg">',
    ].join('');
    expect(withoutExternalAssets(page)).toBe('<link href="static/css/main.css" rel="stylesheet"><script defer src="static/js/main.js"></script><img src="static/images/logo.svg">');
  });
});
