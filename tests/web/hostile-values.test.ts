// Hostile values at every door of the web side: every API route's body, path and query fields and
// every console form and filter field get NUL, lone surrogates, right-to-left overrides, a 10 MB
// string, numbers past 2^31 and 2^53, negative numbers, and arrays or objects where a string
// belongs. Each gets a clear refusal (API: 4xx with a message; console: a 4xx page, or the form's
// redirect back with its error shown) or is accepted with the text cleaned; never a 500, never a
// refusal that changed the database, never a stored NUL, control, bidi override or lone surrogate.
// Regressions it names: a NUL in web-chat text, an API project title, a console edit or the console
// search (?q=%00) answered 500 with the raw Postgres error; ids past 2^31 (claims/99999999999/approve,
// {"needs":[2147483648]}, ?after=2147483648) answered 500.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import type { ConsoleClient, ConsoleResponse } from '../helpers/console-client.ts';
import { changedTables, databaseDigest, serverRoutes, twoCommunities, type CommunityObjects, type TwoCommunities } from '../helpers/two-communities.ts';

const NUL = 'a\u0000b';
const LONE = 'a\uD800b';
const RLO = '\u202Eevil\u202C';
const HUGE = 'x'.repeat(10 * 1024 * 1024);
/** Values for a JSON field (any type may be sent where any other belongs). */
const jsonValues: Array<[string, unknown]> = [
  ['NUL', NUL],
  ['lone surrogate', LONE],
  ['RTL override', RLO],
  ['2^31', 2_147_483_648],
  ['2^53+1', 9_007_199_254_740_993],
  ['-1', -1],
  ['"2^31"', '2147483648'],
  ['array', ['x']],
  ['object', { x: 1 }],
];
/** Values for a form, query or path field (text only; an array is the field repeated). */
const textValues: Array<[string, string | string[]]> = [
  ['NUL', NUL],
  ['lone surrogate', LONE],
  ['RTL override', RLO],
  ['2^31', '2147483648'],
  ['99999999999', '99999999999'],
  ['2^53+1', '9007199254740993'],
  ['-1', '-1'],
  ['array', ['1', '2']],
];

const HOSTILE_IN_DB = '[\\u0001-\\u0008\\u000b\\u000c\\u000d\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]';

describe('hostile values at every web door', () => {
  let h: Harness;
  let w: TwoCommunities;
  let t: CommunityObjects;
  let li: ConsoleClient;
  const problems: string[] = [];
  let cases = 0;

  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'workers'] });
    w = await twoCommunities(h);
    t = w.ht02;
    li = w.console.li;
  });
  afterAll(async () => h?.close());

  const api = async (method: string, path: string, body?: unknown, raw?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${w.tokens.li}` };
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await fetch(`${h.app.url}${path}`, { method, headers, body: payload });
      const text = await res.text();
      let json: { error?: { code?: string; message?: string } } | null = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: res.status, text, json };
    } catch (e) {
      return { status: 0, text: String(e), json: null };
    }
  };
  /** A console form post with li's session; the raw body lets a test send bytes URLSearchParams would not. */
  const post = async (client: ConsoleClient, path: string, form: Record<string, string | string[]>, raw?: string): Promise<ConsoleResponse> => {
    if (raw === undefined) return client.post(path, form);
    const res = await fetch(`${h.app.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: raw,
    });
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers, setCookies: [] };
  };
  const flashAfter = async (client: ConsoleClient, r: ConsoleResponse) => {
    let page = r;
    for (let i = 0; i < 4 && page.status === 303 && page.location; i++) page = await client.get(page.location);
    const m = /class="flash (ok|error)"[^>]*data-testid="flash">([^<]*)</.exec(page.text);
    return m ? { kind: m[1] as 'ok' | 'error', text: m[2] ?? '' } : null;
  };
  const hostileRowsInDb = async () => {
    const cols = await h.db.pool.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND data_type IN ('text', 'character varying', 'jsonb', 'ARRAY')`,
      [h.db.schema],
    );
    const found: string[] = [];
    for (const c of cols.rows) {
      const r = await h.db.pool.query(`SELECT count(*)::int AS n FROM "${c.table_name}" WHERE "${c.column_name}"::text ~ '${HOSTILE_IN_DB}'`);
      if (r.rows[0].n > 0) found.push(`${c.table_name}.${c.column_name}`);
    }
    return found;
  };

  /**
   * One hostile request: never 5xx; a refusal carries a message and leaves the database as it was;
   * `mustRefuse` when nothing but a refusal is right (a 10 MB body, a number out of range…).
   */
  const judge = async (label: string, run: () => Promise<{ refused: boolean; ok: boolean; status: number; message: string }>, mustRefuse = false) => {
    cases++;
    let before = await databaseDigest(h);
    let r = await run();
    let changed = changedTables(before, await databaseDigest(h));
    if (r.refused && changed.length) {
      // The workers role may still be carrying out an earlier accepted case (a broadcast's fan-out,
      // its web-chat lines): let it finish, then ask again. A refusal that changes something does so
      // the second time too.
      await h.drain(30_000);
      before = await databaseDigest(h);
      r = await run();
      changed = changedTables(before, await databaseDigest(h));
    }
    if (r.status === 0 || r.status >= 500) problems.push(`${label}: ${r.status} ${r.message.slice(0, 200)}`);
    else if (r.refused && !r.message.trim()) problems.push(`${label}: refused (${r.status}) without a message`);
    else if (r.refused && changed.length) problems.push(`${label}: refused (${r.status}) but changed ${changed.join(', ')}`);
    else if (mustRefuse && !r.refused) problems.push(`${label}: accepted (${r.status}), must be refused`);
    else if (!r.refused && !r.ok) problems.push(`${label}: neither refused nor done (${r.status}) ${r.message.slice(0, 120)}`);
  };
  const judgeApi = (label: string, method: string, path: string, body?: unknown, mustRefuse = false, raw?: string) =>
    judge(
      label,
      async () => {
        const r = await api(method, path, body, raw);
        const message = r.json?.error?.message ?? '';
        return { status: r.status, refused: r.status >= 400 && r.status < 500, ok: r.status >= 200 && r.status < 300, message: r.status >= 500 ? r.text : message };
      },
      mustRefuse,
    );
  const judgeConsole = (label: string, client: ConsoleClient, method: 'GET' | 'POST', path: string, form: Record<string, string | string[]> = {}, mustRefuse = false, raw?: string) =>
    judge(
      label,
      async () => {
        const r = method === 'GET' ? await client.get(path) : await post(client, path, form, raw);
        if (r.status >= 500) return { status: r.status, refused: false, ok: false, message: r.text.replace(/<[^>]+>/g, ' ').slice(0, 300) };
        if (r.status >= 400) {
          const m = /<h1>([^<]*)<\/h1>\s*<p>([^<]*)<\/p>|data-testid="(?:flash|login-error)">([^<]*)</.exec(r.text);
          const plain = (r.headers.get('content-type') ?? '').startsWith('text/plain') ? r.text : '';
          return { status: r.status, refused: true, ok: false, message: m ? (m[2] ?? m[3] ?? m[1] ?? '') : plain };
        }
        const flash = r.status === 303 ? await flashAfter(client, r) : null;
        if (flash?.kind === 'error') return { status: r.status, refused: true, ok: false, message: flash.text };
        return { status: r.status, refused: false, ok: r.status === 200 || r.status === 303 || r.status === 302, message: flash?.text ?? '' };
      },
      mustRefuse,
    );

  // ---- the probe's findings, one by one --------------------------------------------------------

  test('regression: a NUL in web-chat text was a 500 with the raw Postgres error; now the text is stored cleaned', async () => {
    const res = await fetch(`${h.app.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversation: 'ht01-g', persona: 'zhang', text: `帮助\u0000${RLO}\uD800`, clientId: 'hostile-nul-1' }),
    });
    expect(res.status).toBe(202);
    const row = await h.app.ctx.prisma.webChatMessage.findFirstOrThrow({ where: { clientId: 'hostile-nul-1' } });
    expect(row.text).toBe('帮助evil');
    // An id with a NUL is refused, not changed (two ids must never become one).
    for (const body of [{ conversation: 'ht01\u0000-g' }, { persona: 'zhang\u0000' }, { clientId: 'hostile\u0000-2' }]) {
      const r = await fetch(`${h.app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversation: 'ht01-g', persona: 'zhang', text: '帮助', clientId: 'hostile-ok-3', ...body }) });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(((await r.json()) as { error: string }).error).toContain('消息格式有误');
    }
    const history = await fetch(`${h.app.url}/api/webchat/history?persona=zhang%00&conversation=ht01-g`);
    expect(history.status).toBe(400);
  });

  test('regression: a NUL in an API project title was a 500; now 201 with the title cleaned', async () => {
    const r = await api('POST', '/api/v1/communities/HT02/projects', { title: `楼道\u0000灯${RLO}`, description: `第一行\r\n第二行\u0000\uD800` });
    expect(r.status).toBe(201);
    const p = await h.app.ctx.prisma.project.findFirstOrThrow({ where: { communityId: t.id }, orderBy: { number: 'desc' } });
    expect([p.title, p.description]).toEqual(['楼道灯evil', '第一行\n第二行']);
  });

  test('regression: a NUL in a console edit and in the console search (?q=%00) was a 500', async () => {
    const edit = await li.post(`/console/c/HT02/projects/${t.projectNumber}/edit`, { title: `秘密助老\u0000送餐${RLO}`, description: '每周三\u0000送餐', claimType: 'both' });
    expect(edit.status).toBe(303);
    expect(await li.flash(`/console/c/HT02/projects/${t.projectNumber}`)).toBe('已保存');
    const p = await h.app.ctx.prisma.project.findFirstOrThrow({ where: { communityId: t.id, number: t.projectNumber } });
    expect([p.title, p.description]).toEqual(['秘密助老送餐evil', '每周三送餐']);
    const search = await li.get('/console/c/HT02/needs?q=%00');
    expect(search.status).toBe(200);
    const rtl = await li.get(`/console/c/HT02/needs?q=${encodeURIComponent(`电梯${RLO}`)}`);
    expect(rtl.status).toBe(200);
    const exported = await li.get('/console/c/HT02/exports/needs.csv?q=%00');
    expect(exported.status).toBe(200);
  });

  test('regression: ids past 2^31 were a 500 (console claims/…/approve, broadcasts/…/cancel, signups/…/attend; API needs, ?after); now 404 or 422', async () => {
    for (const path of ['claims/99999999999/approve', 'claims/99999999999/decline', 'broadcasts/99999999999/cancel', 'signups/99999999999/attend', 'projects/99999999999/status']) {
      const r = await li.post(`/console/c/HT02/${path}`, { to: 'in_progress', back: '/console/c/HT02' });
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.text).toContain('data-testid="not-found"');
    }
    const users = await w.console.root.post('/console/admin/users/99999999999/disable');
    expect(users.status).toBe(303);
    expect(await w.console.root.flash('/console/admin/users')).toContain('输入有误');
    const needs = await api('POST', '/api/v1/communities/HT02/projects', { title: '越界', needs: [2_147_483_648] });
    expect(needs.status).toBe(422);
    expect(needs.json?.error?.message).toContain('needs.0');
    expect((await api('GET', '/api/v1/communities/HT02/projects?after=2147483648')).status).toBe(422);
    expect((await api('GET', '/api/v1/communities/HT02/projects/2147483648')).status).toBe(422);
    expect((await api('GET', '/api/v1/communities/HT02/broadcasts/99999999999')).status).toBe(422);
    expect((await api('GET', '/api/v1/communities/HT02/projects/2147483647')).status).toBe(404);
  });

  // ---- the standing sweep ---------------------------------------------------------------------

  test('every API route and field', async () => {
    const base = `/api/v1/communities/HT02`;
    const future = (d: number) => new Date(Date.now() + d * 86400_000).toISOString().slice(0, 10);
    const shift = { start: `${future(20)} 09:00`, end: `${future(20)} 10:00`, capacity: 2, place: '门口', skills: ['电工'] };
    const bodies: Array<{ route: string; method: string; path: string; body: Record<string, unknown>; fields: string[] }> = [
      { route: 'POST /api/v1/communities/:code/projects', method: 'POST', path: `${base}/projects`, body: { title: '测试', description: 'd', category: 'repair', needs: [t.needNumbers[0]], claimType: 'both', allowMultipleClaims: false, shifts: [shift] }, fields: ['title', 'description', 'category', 'needs', 'needs.0', 'claimType', 'allowMultipleClaims', 'shifts', 'shifts.0', 'shifts.0.start', 'shifts.0.end', 'shifts.0.capacity', 'shifts.0.place', 'shifts.0.skills', 'shifts.0.skills.0'] },
      { route: 'PATCH /api/v1/communities/:code/projects/:number', method: 'PATCH', path: `${base}/projects/${t.projectNumber}`, body: { title: '测试', description: 'd' }, fields: ['status', 'title', 'description'] },
      { route: 'POST /api/v1/communities/:code/projects/:number/shifts', method: 'POST', path: `${base}/projects/${t.projectNumber}/shifts`, body: { ...shift }, fields: ['start', 'end', 'capacity', 'place', 'skills', 'skills.0'] },
      { route: 'POST /api/v1/communities/:code/projects/:number/publish', method: 'POST', path: `${base}/projects/${t.projectNumber}/publish`, body: { groups: ['HT02居民群秘密'], at: `${future(30)} 09:00` }, fields: ['groups', 'groups.0', 'at', 'cron', 'tz'] },
      { route: 'POST /api/v1/communities/:code/claims/:id/decline', method: 'POST', path: `${base}/claims/${t.claimId}/decline`, body: { reason: '不合适' }, fields: ['reason'] },
    ];
    const set = (o: Record<string, unknown>, path: string, v: unknown) => {
      const copy = structuredClone(o);
      const keys = path.split('.');
      let at: Record<string, unknown> = copy;
      for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
      at[keys.at(-1) ?? ''] = v;
      return copy;
    };
    for (const b of bodies) {
      for (const f of b.fields) {
        for (const [name, v] of jsonValues) {
          const textField = ['title', 'description', 'reason', 'place', 'skills.0', 'groups.0', 'shifts.0.place', 'shifts.0.skills.0'].includes(f);
          // Where a string belongs, only a string may pass (cleaned); where a number or an id belongs, nothing hostile may.
          // (skills are a list of strings: ['x'] is a right value there.)
          const listOfText = ['skills', 'shifts.0.skills'].includes(f) && name === 'array';
          const mustRefuse = !listOfText && ((textField && typeof v !== 'string') || (!textField && !['NUL', 'lone surrogate', 'RTL override'].includes(name)));
          await judgeApi(`${b.route} ${f}=${name}`, b.method, b.path, set(b.body, f, v), mustRefuse);
        }
      }
      await judgeApi(`${b.route} 10 MB body`, b.method, b.path, set(b.body, b.fields[0] ?? 'x', HUGE), true);
      await judgeApi(`${b.route} not JSON`, b.method, b.path, undefined, true, '{"title": "\u0000');
      await judgeApi(`${b.route} an array for a body`, b.method, b.path, [b.body], true);
    }
    // Path parameters and queries of every route.
    const pathRoutes: Array<{ route: string; method: string; path: (x: string) => string; body?: unknown }> = [
      { route: 'GET /api/v1/communities/:code/projects (code)', method: 'GET', path: (x) => `/api/v1/communities/${x}/projects` },
      { route: 'GET /api/v1/communities/:code/projects/:number', method: 'GET', path: (x) => `${base}/projects/${x}` },
      { route: 'PATCH /api/v1/communities/:code/projects/:number', method: 'PATCH', path: (x) => `${base}/projects/${x}`, body: { title: 'x' } },
      { route: 'POST /api/v1/communities/:code/projects/:number/shifts', method: 'POST', path: (x) => `${base}/projects/${x}/shifts`, body: shift },
      { route: 'GET /api/v1/communities/:code/projects/:number/announcement', method: 'GET', path: (x) => `${base}/projects/${x}/announcement` },
      { route: 'POST /api/v1/communities/:code/projects/:number/publish', method: 'POST', path: (x) => `${base}/projects/${x}/publish`, body: {} },
      { route: 'GET /api/v1/communities/:code/broadcasts/:id', method: 'GET', path: (x) => `${base}/broadcasts/${x}` },
      { route: 'POST /api/v1/communities/:code/broadcasts/:id/cancel', method: 'POST', path: (x) => `${base}/broadcasts/${x}/cancel` },
      { route: 'POST /api/v1/communities/:code/claims/:id/approve', method: 'POST', path: (x) => `${base}/claims/${x}/approve` },
      { route: 'POST /api/v1/communities/:code/claims/:id/decline', method: 'POST', path: (x) => `${base}/claims/${x}/decline`, body: {} },
      { route: 'GET /api/v1/communities/:code/projects?status', method: 'GET', path: (x) => `${base}/projects?status=${x}` },
      { route: 'GET /api/v1/communities/:code/projects?limit', method: 'GET', path: (x) => `${base}/projects?limit=${x}` },
      { route: 'GET /api/v1/communities/:code/projects?after', method: 'GET', path: (x) => `${base}/projects?after=${x}` },
      { route: 'GET /api/v1/communities/:code/claims?status', method: 'GET', path: (x) => `${base}/claims?status=${x}` },
      { route: 'GET /api/v1/communities/:code/claims?limit', method: 'GET', path: (x) => `${base}/claims?limit=${x}` },
      { route: 'GET /api/v1/communities/:code/needs?status', method: 'GET', path: (x) => `${base}/needs?status=${x}` },
      { route: 'GET /api/v1/communities/:code/needs?limit', method: 'GET', path: (x) => `${base}/needs?limit=${x}` },
      { route: 'GET /api/v1/communities/:code/needs?offset', method: 'GET', path: (x) => `${base}/needs?offset=${x}` },
      { route: 'GET /api/v1/me?lang', method: 'GET', path: (x) => `/api/v1/me?lang=${x}` },
    ];
    for (const r of pathRoutes) {
      for (const [name, v] of textValues) {
        const x = Array.isArray(v) ? v.map(encodeURIComponent).join(`&${r.path('').split('?')[1]?.replace(/=$/, '') ?? 'x'}=`) : encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '')) + (v === LONE ? '%ED%A0%80' : '');
        // Every hostile path or query value is refused (?lang= alone is only a preference, ignored when unknown).
        await judgeApi(`${r.route}=${name}`, r.method, r.path(x), r.body, !r.route.endsWith('?lang'));
      }
      await judgeApi(`${r.route}=10 MB`, r.method, r.path(encodeURIComponent(HUGE.slice(0, 100_000))), r.body, true);
    }
  }, 600_000);

  test('every console form and filter field', async () => {
    const c = `/console/c/HT02`;
    const date = new Date(Date.now() + 20 * 86400_000).toISOString().slice(0, 10);
    const forms: Array<{ route: string; path: string; form: Record<string, string | string[]>; fields: string[]; client?: ConsoleClient }> = [
      { route: 'POST /console/c/:code/needs/action', path: `${c}/needs/action`, form: { do: 'category', need: String(t.needNumbers[1]), category: 'elderly', back: `${c}/needs` }, fields: ['do', 'need', 'into', 'category', 'back'] },
      { route: 'POST /console/c/:code/projects', path: `${c}/projects`, form: { title: '测试', description: 'd', category: 'repair', needs: '', claimType: 'both', shift_date: date, shift_start: '09:00', shift_end: '10:00', shift_capacity: '2', shift_place: '门口' }, fields: ['title', 'description', 'category', 'needs', 'claimType', 'allowMultipleClaims', 'shift_date', 'shift_start', 'shift_end', 'shift_capacity', 'shift_place'] },
      { route: 'POST /console/c/:code/projects/:number/edit', path: `${c}/projects/${t.projectNumber}/edit`, form: { title: '测试', description: 'd', category: 'repair', claimType: 'both' }, fields: ['title', 'description', 'category', 'claimType', 'allowMultipleClaims'] },
      { route: 'POST /console/c/:code/projects/:number/served', path: `${c}/projects/${t.projectNumber}/served`, form: { count: '3' }, fields: ['count'] },
      { route: 'POST /console/c/:code/projects/:number/evaluation/summary', path: `${c}/projects/${t.projectNumber}/evaluation/summary`, form: { summary: '居民满意' }, fields: ['summary'] },
      { route: 'POST /console/c/:code/projects/:number/shifts', path: `${c}/projects/${t.projectNumber}/shifts`, form: { shift_date: date, shift_start: '09:00', shift_end: '10:00', shift_capacity: '2', shift_place: '门口' }, fields: ['shift_date', 'shift_start', 'shift_end', 'shift_capacity', 'shift_place'] },
      { route: 'POST /console/c/:code/projects/:number/publish', path: `${c}/projects/${t.projectNumber}/publish`, form: { group: String(t.groupId), mode: 'at', at: `${date}T09:00` }, fields: ['group', 'mode', 'at'] },
      { route: 'POST /console/c/:code/claims/:id/decline', path: `${c}/claims/${w.ht02.claimId}/decline`, form: { reason: '不合适', back: `${c}/claims` }, fields: ['reason', 'back'] },
      { route: 'POST /console/c/:code/hours/decide', path: `${c}/hours/decide`, form: { entry: String(t.hoursId), do: 'reject', back: `${c}/hours` }, fields: ['one', 'entry', 'do', 'back'] },
      { route: 'POST /console/c/:code/hours/approve-project', path: `${c}/hours/approve-project`, form: { project: String(t.projectNumber), back: `${c}/hours` }, fields: ['project', 'back'] },
      { route: 'POST /console/c/:code/exports/:file', path: `${c}/exports/needs.csv`, form: { reason: '核对', confirm: '1' }, fields: ['reason', 'confirm'] },
      { route: 'POST /console/c/:code/projects/:number/status', path: `${c}/projects/${t.projectNumber}/status`, form: { to: 'in_progress' }, fields: ['to'] },
      { route: 'POST /console/c/:code/broadcasts/:id/cancel', path: `${c}/broadcasts/${t.broadcastId}/cancel`, form: { back: `${c}/projects` }, fields: ['back'] },
      { route: 'POST /console/c/:code/signups/:id/attend', path: `${c}/signups/${t.signUpId}/attend`, form: { back: `${c}/projects` }, fields: ['back'] },
      { route: 'POST /console/c/:code/claims/:id/approve', path: `${c}/claims/${t.claimId}/approve`, form: { back: `${c}/claims` }, fields: ['back'] },
      { route: 'POST /console/c/:code/projects/:number/close', path: `${c}/projects/${t.projectNumber}/close`, form: {}, fields: ['x'] },
      { route: 'POST /console/c/:code/rounds', path: `${c}/rounds`, form: { title: '测试轮', budget: '5000', style: 'approval', votes: '3', minShare: '70', minVotes: '0', hiddenTallies: '1' }, fields: ['title', 'budget', 'style', 'votes', 'minShare', 'minVotes', 'hiddenTallies'] },
      { route: 'POST /console/c/:code/rounds/:number/phase', path: `${c}/rounds/${t.roundNumber}/phase`, form: { to: 'reviewing' }, fields: ['to'] },
      { route: 'POST /console/c/:code/rounds/:number/schedule', path: `${c}/rounds/${t.roundNumber}/schedule`, form: { phase: 'closed', at: `${date}T09:00` }, fields: ['phase', 'at', 'clear'] },
      { route: 'POST /console/c/:code/rounds/:number/close', path: `${c}/rounds/${t.roundNumber}/close`, form: {}, fields: ['x'] },
      { route: 'POST /console/c/:code/rounds/:number/proposals/:proposal/review', path: `${c}/rounds/${t.roundNumber}/proposals/${t.proposalNumber}/review`, form: { decision: 'decline', reason: '不合适' }, fields: ['decision', 'reason'] },
      { route: 'POST /console/c/:code/rounds/:number/proposals/:proposal/progress', path: `${c}/rounds/${t.roundNumber}/proposals/${t.proposalNumber}/progress`, form: { percent: '50', milestone: '书架', note: '说明' }, fields: ['percent', 'milestone', 'note'] },
      { route: 'POST /console/admin/users', path: '/console/admin/users', form: { login: 'newbie', name: '新人', password: '', role: 'worker', scope: 'community:HT02', platform: 'web', user: 'newbie-chat' }, fields: ['login', 'name', 'password', 'role', 'scope', 'platform', 'user', 'isAdmin'], client: w.console.root },
      { route: 'POST /console/admin/users/:id/grant', path: `/console/admin/users/${w.consoleUserIds.zhou}/grant`, form: { role: 'viewer', scope: 'community:HT01' }, fields: ['role', 'scope'], client: w.console.root },
      { route: 'POST /console/admin/users/:id/password', path: `/console/admin/users/${w.consoleUserIds.zhou}/password`, form: {}, fields: ['x'], client: w.console.root },
      { route: 'POST /console/admin/users/:id/disable', path: `/console/admin/users/${w.consoleUserIds.zhou}/disable`, form: {}, fields: ['x'], client: w.console.root },
      { route: 'POST /console/admin/users/:id/enable', path: `/console/admin/users/${w.consoleUserIds.zhou}/enable`, form: {}, fields: ['x'], client: w.console.root },
    ];
    let n = 0;
    for (const f of forms) {
      const client = f.client ?? li;
      for (const field of f.fields) {
        for (const [name, v] of textValues) {
          const form = { ...f.form, [field]: v };
          // A lone surrogate cannot be written as UTF-8: it arrives as the bytes a client would send (CESU-8).
          const raw = v === LONE ? `${new URLSearchParams({ ...f.form, _csrf: client.csrf, [field]: 'a' }).toString().replace(`${field}=a`, `${field}=a%ED%A0%80b`)}` : undefined;
          await judgeConsole(`${f.route} ${field}=${name}`, client, 'POST', f.path, form, false, raw);
          n++;
        }
      }
      await judgeConsole(`${f.route} 10 MB field`, client, 'POST', f.path, { ...f.form, [f.fields[0] ?? 'x']: HUGE }, true);
      await judgeConsole(`${f.route} 10 MB body of NUL`, client, 'POST', f.path, {}, true, `_csrf=${client.csrf}&x=${'%00'.repeat(100_000)}`);
    }
    // Path parameters of every form route.
    const paths = [
      'projects/:n/edit', 'projects/:n/status', 'projects/:n/served', 'projects/:n/evaluation/summary', 'projects/:n/shifts', 'projects/:n/publish', 'projects/:n/close',
      'broadcasts/:n/cancel', 'signups/:n/attend', 'claims/:n/approve', 'claims/:n/decline',
      'rounds/:n/phase', 'rounds/:n/schedule', 'rounds/:n/close', `rounds/:n/proposals/${t.proposalNumber}/review`, `rounds/${t.roundNumber}/proposals/:n/review`, `rounds/${t.roundNumber}/proposals/:n/progress`,
    ];
    for (const p of paths) {
      for (const [name, v] of textValues) {
        if (Array.isArray(v)) continue;
        const x = v === LONE ? 'a%ED%A0%80b' : encodeURIComponent(v);
        await judgeConsole(`POST /console/c/:code/${p} (${name})`, li, 'POST', `${c}/${p.replace(':n', x)}`, { to: 'in_progress', count: '1', back: c }, true);
      }
    }
    for (const p of ['users/:n/grant', 'users/:n/password', 'users/:n/disable', 'users/:n/enable']) {
      for (const [name, v] of textValues) {
        if (Array.isArray(v)) continue;
        await judgeConsole(`POST /console/admin/${p} (${name})`, w.console.root, 'POST', `/console/admin/${p.replace(':n', v === LONE ? 'a%ED%A0%80b' : encodeURIComponent(v))}`, { role: 'worker', scope: 'community:HT02' }, true);
      }
    }
    // Filters and pages read by GET.
    const gets: Array<[string, string]> = [
      ['GET /console/c/:code/needs', `${c}/needs?q=X`], ['GET /console/c/:code/needs', `${c}/needs?category=X`], ['GET /console/c/:code/needs', `${c}/needs?status=X`],
      ['GET /console/c/:code/needs', `${c}/needs?min=X`], ['GET /console/c/:code/needs', `${c}/needs?from=X&to=X`],
      ['GET /console/c/:code/projects', `${c}/projects?status=X`], ['GET /console/c/:code/projects/new', `${c}/projects/new?needs=X`],
      ['GET /console/c/:code/projects/:number', `${c}/projects/X`], ['GET /console/c/:code/projects/:number/evaluation', `${c}/projects/X/evaluation`],
      ['GET /console/c/:code/projects/:number/checkin', `${c}/projects/X/checkin`], ['GET /console/c/:code/projects/:number/checkin.json', `${c}/projects/X/checkin.json`],
      ['GET /console/c/:code/claims', `${c}/claims?status=X`], ['GET /console/c/:code/hours', `${c}/hours?status=X&project=X`],
      ['GET /console/c/:code/exports/:file', `${c}/exports/X`], ['GET /console/c/:code/rounds/:number', `${c}/rounds/X`], ['GET /console/c/:code/exports/:file', `${c}/exports/needs.csv?q=X&status=X&min=X`],
      ['GET /console/c/:code', '/console/c/X'], ['GET /console/reports', '/console/reports?area=X&months=X'], ['GET /console/go', '/console/go?c=X'],
      ['GET /console/lang', '/console/lang?to=X&back=X'], ['GET /console/login', '/console/login?next=X'],
    ];
    for (const [route, path] of gets) {
      for (const [name, v] of textValues) {
        const x = Array.isArray(v) ? v.join(',') : v === LONE ? 'a%ED%A0%80b' : encodeURIComponent(v);
        await judgeConsole(`${route} ${path} (${name})`, li, 'GET', path.replaceAll('X', x));
      }
    }
    // The login form's own fields.
    for (const field of ['login', 'password', 'next']) {
      for (const [name, v] of textValues) {
        const anon = new (li.constructor as new (base: string) => ConsoleClient)(h.app.url ?? '');
        const page = await anon.request('GET', '/console/login');
        const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
        await judgeConsole(`POST /console/login ${field}=${name}`, anon, 'POST', '/console/login', { _csrf: token, login: 'nobody', password: 'not-this-one', [field]: v });
      }
    }
    expect(n).toBeGreaterThan(300);
  }, 900_000);

  test('web chat: every field', async () => {
    const fields = ['conversation', 'persona', 'text', 'clientId', 'replyToBot'];
    let i = 0;
    for (const f of fields) {
      for (const [name, v] of [...jsonValues, ['10 MB', HUGE] as [string, unknown]]) {
        const body = { conversation: 'ht01-g', persona: 'zhang', text: '你好', clientId: `hostile-chat-${++i}-${Date.now()}`, [f]: v };
        // Only strings pass; an id (conversation, persona, clientId) with NUL, controls or lone surrogates is refused, text is cleaned.
        const mustRefuse = typeof v !== 'string' || name === '10 MB' || (f !== 'text' && ['NUL', 'lone surrogate', 'RTL override'].includes(name));
        await judge(`POST /api/webchat/messages ${f}=${name}`, async () => {
          const res = await fetch(`${h.app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
          if (!res) return { status: 0, refused: false, ok: false, message: 'connection failed' };
          const text = await res.text();
          const message = res.status >= 400 ? ((JSON.parse(text || '{}') as { error?: string; message?: string }).error ?? (JSON.parse(text || '{}') as { message?: string }).message ?? '') : '';
          return { status: res.status, refused: res.status >= 400 && res.status < 500, ok: res.status === 202, message: res.status >= 500 ? text : message };
        }, mustRefuse);
      }
    }
    await h.drain();
  }, 300_000);

  test('nothing hostile is stored anywhere, and every problem found is listed', async () => {
    const stored = await hostileRowsInDb();
    console.log(`hostile values: ${cases} requests, ${problems.length} problems, ${stored.length} columns holding hostile characters`);
    if (problems.length) console.log(problems.join('\n'));
    expect(stored).toEqual([]);
    expect(problems).toEqual([]);
    expect(cases).toBeGreaterThan(700);
  });

  test('the sweep covers every API and console route that takes input', () => {
    const all = serverRoutes(h.app.web?.printRoutes({ commonPrefix: false }) ?? '');
    const withInput = all.filter((r) => /^(POST|PATCH|PUT) \/(api\/v1\/communities|console\/c\/:code|console\/admin\/users)/.test(r));
    const swept = [
      'POST /api/v1/communities/:code/projects', 'PATCH /api/v1/communities/:code/projects/:number', 'POST /api/v1/communities/:code/projects/:number/shifts',
      'POST /api/v1/communities/:code/projects/:number/publish', 'POST /api/v1/communities/:code/claims/:id/decline', 'POST /api/v1/communities/:code/claims/:id/approve',
      'POST /api/v1/communities/:code/broadcasts/:id/cancel',
      'POST /console/c/:code/needs/action', 'POST /console/c/:code/projects', 'POST /console/c/:code/projects/:number/edit', 'POST /console/c/:code/projects/:number/served',
      'POST /console/c/:code/projects/:number/evaluation/summary', 'POST /console/c/:code/projects/:number/shifts', 'POST /console/c/:code/projects/:number/publish', 'POST /console/c/:code/claims/:id/decline', 'POST /console/c/:code/hours/decide',
      'POST /console/c/:code/hours/approve-project', 'POST /console/c/:code/exports/:file', 'POST /console/c/:code/projects/:number/status', 'POST /console/c/:code/broadcasts/:id/cancel',
      'POST /console/c/:code/signups/:id/attend', 'POST /console/c/:code/claims/:id/approve', 'POST /console/c/:code/projects/:number/close', 'POST /console/admin/users',
      'POST /console/c/:code/rounds', 'POST /console/c/:code/rounds/:number/phase', 'POST /console/c/:code/rounds/:number/schedule', 'POST /console/c/:code/rounds/:number/close',
      'POST /console/c/:code/rounds/:number/proposals/:proposal/review', 'POST /console/c/:code/rounds/:number/proposals/:proposal/progress',
      'POST /console/admin/users/:id/grant', 'POST /console/admin/users/:id/password', 'POST /console/admin/users/:id/disable', 'POST /console/admin/users/:id/enable',
    ];
    expect(withInput.filter((r) => !swept.includes(r)), 'routes that take input but are not swept').toEqual([]);
  });
});
