// The tenancy matrix: every API route, console route and export, driven by everyone who must not
// reach HT02's data: (a) a worker of the other community, (b) viewers (of the other community:
// nothing to see; of HT02 itself: may look, may not change), (c) a resident with no role, (d)
// nobody signed in. A refusal must read exactly as "not found" does for a community or an id that
// does not exist (or 401 / the login page for anonymous), never name anything of HT02, and leave
// the database as it was. Regressions it covers: HT01's worker posting HT02's sign-up id was told
// "你没有报名项目 #3" (HT02's project number); the API answered 403 for an existing other community
// and 404 for an unknown code; a non-administrator got 403 (not 404) on the admin pages.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import type { ConsoleClient, ConsoleResponse } from '../helpers/console-client.ts';
import { changedTables, databaseDigest, serverRoutes, twoCommunities, type Account, type CommunityObjects, type TwoCommunities } from '../helpers/two-communities.ts';

type Form = Record<string, string | string[]>;
interface ConsoleRoute {
  /** The server's route, as printRoutes names it. */
  route: string;
  method: 'GET' | 'POST' | 'PUT';
  path: (code: string, o: CommunityObjects) => string;
  form?: (o: CommunityObjects) => Form;
}
interface ApiRoute {
  route: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: (code: string, o: CommunityObjects) => string;
  body?: unknown;
}

const future = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
/** An id no row has (9 digits: the console's number lists take up to 9). */
const unknownId = 987_654_321;

const c = (code: string) => `/console/c/${code}`;
const consoleRoutes: ConsoleRoute[] = [
  { route: 'GET /console/c/:code', method: 'GET', path: (k) => c(k) },
  { route: 'GET /console/c/:code/', method: 'GET', path: (k) => `${c(k)}/` },
  { route: 'GET /console/c/:code/needs', method: 'GET', path: (k) => `${c(k)}/needs?status=all&q=${encodeURIComponent('电梯')}` },
  { route: 'POST /console/c/:code/needs/action', method: 'POST', path: (k) => `${c(k)}/needs/action`, form: (o) => ({ do: 'merge', need: o.needNumbers.map(String), into: String(o.needNumbers[0]) }) },
  { route: 'GET /console/c/:code/projects', method: 'GET', path: (k) => `${c(k)}/projects` },
  { route: 'POST /console/c/:code/projects', method: 'POST', path: (k) => `${c(k)}/projects`, form: () => ({ title: '越权立项', description: '不该出现', claimType: 'volunteers' }) },
  { route: 'GET /console/c/:code/projects/new', method: 'GET', path: (k, o) => `${c(k)}/projects/new?needs=${o.needNumbers.join(',')}` },
  { route: 'GET /console/c/:code/projects/:number', method: 'GET', path: (k, o) => `${c(k)}/projects/${o.projectNumber}` },
  { route: 'POST /console/c/:code/projects/:number/edit', method: 'POST', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/edit`, form: () => ({ title: '越权改名', description: '不该出现', claimType: 'both' }) },
  { route: 'GET /console/c/:code/projects/:number/evaluation', method: 'GET', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/evaluation` },
  { route: 'POST /console/c/:code/projects/:number/status', method: 'POST', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/status`, form: () => ({ to: 'in_progress' }) },
  { route: 'POST /console/c/:code/projects/:number/served', method: 'POST', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/served`, form: () => ({ count: '12' }) },
  { route: 'POST /console/c/:code/projects/:number/evaluation/summary', method: 'POST', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/evaluation/summary`, form: () => ({ summary: '越权写的评价摘要' }) },
  {
    route: 'POST /console/c/:code/projects/:number/shifts',
    method: 'POST',
    path: (k, o) => `${c(k)}/projects/${o.projectNumber}/shifts`,
    form: () => ({ shift_date: future, shift_start: '09:00', shift_end: '10:00', shift_capacity: '3', shift_place: '越权' }),
  },
  { route: 'POST /console/c/:code/projects/:number/close', method: 'POST', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/close` },
  { route: 'GET /console/c/:code/projects/:number/checkin', method: 'GET', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/checkin` },
  { route: 'GET /console/c/:code/projects/:number/checkin.json', method: 'GET', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/checkin.json` },
  { route: 'POST /console/c/:code/projects/:number/publish', method: 'POST', path: (k, o) => `${c(k)}/projects/${o.projectNumber}/publish`, form: (o) => ({ group: String(o.groupId), mode: 'now' }) },
  { route: 'POST /console/c/:code/broadcasts/:id/cancel', method: 'POST', path: (k, o) => `${c(k)}/broadcasts/${o.broadcastId}/cancel`, form: () => ({ back: '/console/' }) },
  { route: 'POST /console/c/:code/signups/:id/attend', method: 'POST', path: (k, o) => `${c(k)}/signups/${o.signUpId}/attend`, form: () => ({ back: '/console/' }) },
  { route: 'GET /console/c/:code/claims', method: 'GET', path: (k) => `${c(k)}/claims?status=all` },
  { route: 'POST /console/c/:code/claims/:id/approve', method: 'POST', path: (k, o) => `${c(k)}/claims/${o.claimId}/approve`, form: () => ({ back: '/console/' }) },
  { route: 'POST /console/c/:code/claims/:id/decline', method: 'POST', path: (k, o) => `${c(k)}/claims/${o.claimId}/decline`, form: () => ({ reason: '越权', back: '/console/' }) },
  { route: 'GET /console/c/:code/hours', method: 'GET', path: (k) => `${c(k)}/hours?status=all` },
  { route: 'POST /console/c/:code/hours/decide', method: 'POST', path: (k) => `${c(k)}/hours/decide`, form: (o) => ({ entry: String(o.hoursId), do: 'approve', back: '/console/' }) },
  { route: 'POST /console/c/:code/hours/approve-project', method: 'POST', path: (k) => `${c(k)}/hours/approve-project`, form: (o) => ({ project: String(o.projectNumber), back: '/console/' }) },
  { route: 'GET /console/c/:code/rounds', method: 'GET', path: (k) => `${c(k)}/rounds` },
  { route: 'POST /console/c/:code/rounds', method: 'POST', path: (k) => `${c(k)}/rounds`, form: () => ({ title: '越权微创投', budget: '5000', style: 'approval', votes: '3', minVotes: '0' }) },
  { route: 'GET /console/c/:code/rounds/:number', method: 'GET', path: (k, o) => `${c(k)}/rounds/${o.roundNumber}` },
  { route: 'POST /console/c/:code/rounds/:number/phase', method: 'POST', path: (k, o) => `${c(k)}/rounds/${o.roundNumber}/phase`, form: () => ({ to: 'voting' }) },
  {
    route: 'POST /console/c/:code/rounds/:number/schedule',
    method: 'POST',
    path: (k, o) => `${c(k)}/rounds/${o.roundNumber}/schedule`,
    // A month from now, as the form's datetime-local field sends it.
    form: () => ({ phase: 'closed', at: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16) }),
  },
  { route: 'POST /console/c/:code/rounds/:number/close', method: 'POST', path: (k, o) => `${c(k)}/rounds/${o.roundNumber}/close` },
  {
    route: 'POST /console/c/:code/rounds/:number/proposals/:proposal/review',
    method: 'POST',
    path: (k, o) => `${c(k)}/rounds/${o.roundNumber}/proposals/${o.proposalNumber}/review`,
    form: () => ({ decision: 'decline', reason: '越权' }),
  },
  {
    route: 'POST /console/c/:code/rounds/:number/proposals/:proposal/progress',
    method: 'POST',
    path: (k, o) => `${c(k)}/rounds/${o.roundNumber}/proposals/${o.proposalNumber}/progress`,
    form: () => ({ percent: '50', milestone: '越权', note: '越权' }),
  },
  { route: 'GET /console/c/:code/exports', method: 'GET', path: (k) => `${c(k)}/exports` },
  ...['needs', 'signups', 'hours', 'evaluations', 'proposals', 'ballots', 'results'].flatMap((kind) =>
    ['xlsx', 'csv'].map((f): ConsoleRoute => ({ route: 'GET /console/c/:code/exports/:file', method: 'GET', path: (k) => `${c(k)}/exports/${kind}.${f}` })),
  ),
  ...['needs', 'signups', 'hours', 'evaluations', 'votes'].map((kind): ConsoleRoute => ({ route: 'POST /console/c/:code/exports/:file', method: 'POST', path: (k) => `${c(k)}/exports/${kind}.xlsx`, form: () => ({ reason: '越权导出', confirm: '1' }) })),
  { route: 'GET /console/c/:code/audit', method: 'GET', path: (k) => `${c(k)}/audit` },
];

/** Administrators' pages: a target account (zhou) by id. */
const adminRoutes = (zhouId: number): Array<Omit<ConsoleRoute, 'path'> & { path: string }> => [
  { route: 'GET /console/admin/users', method: 'GET', path: '/console/admin/users' },
  { route: 'POST /console/admin/users', method: 'POST', path: '/console/admin/users', form: () => ({ login: 'evil', name: '越权', role: 'worker', scope: 'community:HT02' }) },
  { route: 'POST /console/admin/users/:id/grant', method: 'POST', path: `/console/admin/users/${zhouId}/grant`, form: () => ({ role: 'worker', scope: 'community:HT02' }) },
  { route: 'POST /console/admin/users/:id/password', method: 'POST', path: `/console/admin/users/${zhouId}/password` },
  { route: 'POST /console/admin/users/:id/disable', method: 'POST', path: `/console/admin/users/${zhouId}/disable` },
  { route: 'POST /console/admin/users/:id/enable', method: 'POST', path: `/console/admin/users/${zhouId}/enable` },
  // Bull Board: the admin hook guards its whole scope; a page, its API and a destructive call stand for the rest.
  { route: 'GET /console/admin/queues', method: 'GET', path: '/console/admin/queues' },
  { route: 'GET /console/admin/queues/api/queues', method: 'GET', path: '/console/admin/queues/api/queues' },
  { route: 'PUT /console/admin/queues/api/queues/pause', method: 'PUT', path: '/console/admin/queues/api/queues/pause' },
  { route: 'PUT /console/admin/queues/api/queues/:queueName/obliterate', method: 'PUT', path: '/console/admin/queues/api/queues/broadcasts/obliterate' },
];

const a = (code: string) => `/api/v1/communities/${code}`;
const apiRoutes: ApiRoute[] = [
  { route: 'GET /api/v1/communities/:code/projects', method: 'GET', path: (k) => `${a(k)}/projects` },
  { route: 'POST /api/v1/communities/:code/projects', method: 'POST', path: (k) => `${a(k)}/projects`, body: { title: '越权立项' } },
  { route: 'GET /api/v1/communities/:code/projects/:number', method: 'GET', path: (k, o) => `${a(k)}/projects/${o.projectNumber}` },
  { route: 'PATCH /api/v1/communities/:code/projects/:number', method: 'PATCH', path: (k, o) => `${a(k)}/projects/${o.projectNumber}`, body: { title: '越权改名' } },
  { route: 'POST /api/v1/communities/:code/projects/:number/shifts', method: 'POST', path: (k, o) => `${a(k)}/projects/${o.projectNumber}/shifts`, body: { start: `${future} 09:00`, end: `${future} 10:00`, capacity: 2 } },
  { route: 'GET /api/v1/communities/:code/projects/:number/announcement', method: 'GET', path: (k, o) => `${a(k)}/projects/${o.projectNumber}/announcement` },
  { route: 'POST /api/v1/communities/:code/projects/:number/publish', method: 'POST', path: (k, o) => `${a(k)}/projects/${o.projectNumber}/publish`, body: {} },
  { route: 'GET /api/v1/communities/:code/broadcasts/:id', method: 'GET', path: (k, o) => `${a(k)}/broadcasts/${o.broadcastId}` },
  { route: 'POST /api/v1/communities/:code/broadcasts/:id/cancel', method: 'POST', path: (k, o) => `${a(k)}/broadcasts/${o.broadcastId}/cancel` },
  { route: 'GET /api/v1/communities/:code/claims', method: 'GET', path: (k) => `${a(k)}/claims` },
  { route: 'POST /api/v1/communities/:code/claims/:id/approve', method: 'POST', path: (k, o) => `${a(k)}/claims/${o.claimId}/approve` },
  { route: 'POST /api/v1/communities/:code/claims/:id/decline', method: 'POST', path: (k, o) => `${a(k)}/claims/${o.claimId}/decline`, body: { reason: '越权' } },
  { route: 'GET /api/v1/communities/:code/needs', method: 'GET', path: (k) => `${a(k)}/needs?status=open,in_project` },
];

/** The same request with HT02's ids through HT01's own paths: must read as an id that does not exist. */
const byIdConsole: Array<{ route: string; path: (o: CommunityObjects | null) => string; form?: (o: CommunityObjects | null) => Form; id: (o: CommunityObjects) => number }> = [
  { route: 'POST /console/c/:code/claims/:id/approve', path: (o) => `/console/c/HT01/claims/${o?.claimId ?? unknownId}/approve`, form: () => ({ back: '/console/c/HT01/claims' }), id: (o) => o.claimId },
  { route: 'POST /console/c/:code/claims/:id/decline', path: (o) => `/console/c/HT01/claims/${o?.claimId ?? unknownId}/decline`, form: () => ({ reason: 'x', back: '/console/c/HT01/claims' }), id: (o) => o.claimId },
  { route: 'POST /console/c/:code/broadcasts/:id/cancel', path: (o) => `/console/c/HT01/broadcasts/${o?.broadcastId ?? unknownId}/cancel`, form: () => ({ back: '/console/c/HT01/projects' }), id: (o) => o.broadcastId },
  { route: 'POST /console/c/:code/signups/:id/attend', path: (o) => `/console/c/HT01/signups/${o?.signUpId ?? unknownId}/attend`, form: () => ({ back: '/console/c/HT01/projects' }), id: (o) => o.signUpId },
  { route: 'POST /console/c/:code/hours/decide', path: () => '/console/c/HT01/hours/decide', form: (o) => ({ one: String(o?.hoursId ?? unknownId), back: '/console/c/HT01/hours' }), id: (o) => o.hoursId },
  { route: 'POST /console/c/:code/projects/:number/publish', path: () => '/console/c/HT01/projects/1/publish', form: (o) => ({ group: String(o?.groupId ?? unknownId), mode: 'now' }), id: (o) => o.groupId },
];
const byIdApi: Array<{ route: string; method: 'GET' | 'POST'; path: (id: number) => string; body?: unknown; id: (o: CommunityObjects) => number }> = [
  { route: 'GET /api/v1/communities/:code/broadcasts/:id', method: 'GET', path: (id) => `/api/v1/communities/HT01/broadcasts/${id}`, id: (o) => o.broadcastId },
  { route: 'POST /api/v1/communities/:code/broadcasts/:id/cancel', method: 'POST', path: (id) => `/api/v1/communities/HT01/broadcasts/${id}/cancel`, id: (o) => o.broadcastId },
  { route: 'POST /api/v1/communities/:code/claims/:id/approve', method: 'POST', path: (id) => `/api/v1/communities/HT01/claims/${id}/approve`, id: (o) => o.claimId },
  { route: 'POST /api/v1/communities/:code/claims/:id/decline', method: 'POST', path: (id) => `/api/v1/communities/HT01/claims/${id}/decline`, body: { reason: 'x' }, id: (o) => o.claimId },
];

describe('tenancy matrix: nobody but HT02’s workers reaches HT02, and a refusal reads as not found', () => {
  let h: Harness;
  let w: TwoCommunities;
  const covered: string[] = [];
  const leaks: string[] = [];
  /** One (route, role) cell of the matrix; a failed expectation is a leak. */
  const cell = (route: string, role: string, problem: string | null) => {
    covered.push(`${route} × ${role}`);
    if (problem) leaks.push(`${route} × ${role}: ${problem}`);
  };

  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'workers'] });
    w = await twoCommunities(h);
  });
  afterAll(async () => h?.close());

  const send = (client: ConsoleClient | null, method: string, path: string, form?: Form): Promise<ConsoleResponse> => {
    if (!client) return anonymousConsole(method, path, form);
    if (method === 'GET') return client.get(path);
    return client.request(method, path, method === 'PUT' ? undefined : { _csrf: client.csrf, ...(form ?? {}) }, { 'x-csrf-token': client.csrf });
  };
  const anonymousConsole = async (method: string, path: string, form?: Form): Promise<ConsoleResponse> => {
    const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]))).toString() : undefined;
    const res = await fetch(`${h.app.url}${path}`, { method, body, redirect: 'manual', headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} });
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers, setCookies: [] };
  };
  const api = async (token: string | null, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${h.app.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };
  /** What the page after a redirect says: its flash, kind and text (read once). */
  const flashAfter = async (client: ConsoleClient, r: ConsoleResponse) => {
    if (r.status !== 303 || !r.location) return null;
    let page = await client.get(r.location);
    for (let i = 0; i < 3 && page.status === 303 && page.location; i++) page = await client.get(page.location);
    const m = /class="flash (ok|error)"[^>]*data-testid="flash">([^<]*)</.exec(page.text);
    return m ? { kind: m[1], text: m[2] ?? '' } : { kind: 'none', text: '' };
  };
  const secretIn = (text: string) => (text.includes(w.secret) ? `names HT02's data (${w.secret})` : null);

  test('the matrix covers every community-scoped API and console route and the administrators’ pages', () => {
    const all = serverRoutes(h.app.web?.printRoutes({ commonPrefix: false }) ?? '');
    const scoped = all.filter((r) => /^\w+ \/(api\/v1\/communities\/|console\/c\/:code|console\/admin\/users)/.test(r));
    const listed = new Set([...consoleRoutes.map((r) => r.route), ...apiRoutes.map((r) => r.route), ...adminRoutes(0).map((r) => r.route)]);
    expect(scoped.filter((r) => !listed.has(r)), 'routes missing from the tenancy matrix').toEqual([]);
    expect(scoped.length).toBeGreaterThan(40);
  });

  test('every route × role reads as not found (or asks to sign in), names nothing of HT02 and changes nothing', async () => {
    const before = await databaseDigest(h);
    const t = w.ht02;
    const outsiders: Array<[string, Account]> = [
      ['worker of HT01', 'wang'],
      ['viewer of HT01', 'sun'],
      ['resident with no role', 'zhou'],
    ];

    // Console pages, forms and exports of HT02.
    for (const r of consoleRoutes) {
      for (const [role, who] of outsiders) {
        const client = w.console[who];
        const got = await send(client, r.method, r.path('HT02', t), r.form?.(t));
        const none = await send(client, r.method, r.path('ZZ99', t), r.form?.(t));
        const same = got.status === 404 && none.status === 404 && got.text.replaceAll('HT02', 'ZZ99') === none.text;
        cell(r.route, role, secretIn(got.text) ?? (same ? null : `answered ${got.status}, an unknown community ${none.status}${got.status === none.status ? ' with another page' : ''}`));
      }
      // HT02's own viewer may look, but every change is refused.
      if (r.method !== 'GET') {
        const v = w.console.qian;
        const got = await send(v, r.method, r.path('HT02', t), r.form?.(t));
        const flash = await flashAfter(v, got);
        const refused = (got.status >= 400 && got.status < 500) || flash?.kind === 'error';
        cell(r.route, 'viewer of HT02', refused ? null : `not refused: ${got.status} ${flash?.kind ?? ''} ${flash?.text ?? ''}`);
      }
      const anon = await send(null, r.method, r.path('HT02', t), r.form?.(t));
      const toLogin = r.method === 'GET' ? anon.status === 303 && (anon.location ?? '').startsWith('/console/login?next=') : anon.status === 401;
      cell(r.route, 'anonymous', secretIn(anon.text) ?? (toLogin ? null : `answered ${anon.status} ${anon.location ?? ''}`));
    }

    // Administrators' pages: no such page for anyone else.
    for (const r of adminRoutes(w.consoleUserIds.zhou)) {
      for (const [role, who] of [...outsiders, ['viewer of HT02', 'qian'] as [string, Account], ['worker of HT02', 'li'] as [string, Account]]) {
        const got = await send(w.console[who], r.method, r.path, r.form?.(t));
        cell(r.route, role, got.status === 404 && got.text.includes('data-testid="not-found"') ? null : `answered ${got.status}`);
      }
      const anon = await send(null, r.method, r.path, r.form?.(t));
      cell(r.route, 'anonymous', (r.method === 'GET' ? anon.status === 303 : anon.status === 401) ? null : `answered ${anon.status}`);
    }

    // Reports and the community switcher.
    for (const [role, who] of outsiders) {
      const got = await send(w.console[who], 'GET', `/console/reports?area=community:${t.id}`);
      const none = await send(w.console[who], 'GET', `/console/reports?area=community:${unknownId}`);
      cell('GET /console/reports', role, secretIn(got.text) ?? (got.status === 404 && got.text.replace(new RegExp(`community(:|%3A)${t.id}(?!\\d)`, 'g'), `community$1${unknownId}`) === none.text ? null : `answered ${got.status}, unknown ${none.status}`));
      const go = await send(w.console[who], 'GET', '/console/go?c=HT02');
      const goNone = await send(w.console[who], 'GET', '/console/go?c=ZZ99');
      cell('GET /console/go', role, go.location === goNone.location ? null : `went to ${go.location}`);
      const home = await send(w.console[who], 'GET', '/console/');
      cell('GET /console/', role, secretIn(home.text));
    }

    // The API.
    for (const r of apiRoutes) {
      for (const [role, who] of outsiders) {
        const got = await api(w.tokens[who], r.method, r.path('HT02', t), r.body);
        const none = await api(w.tokens[who], r.method, r.path('ZZ99', t), r.body);
        const same = got.status === 404 && got.text.replaceAll('HT02', 'ZZ99') === none.text;
        cell(r.route, role, secretIn(got.text) ?? (same ? null : `answered ${got.status} ${got.text.slice(0, 120)}, an unknown community ${none.status}`));
      }
      const v = await api(w.tokens.qian, r.method, r.path('HT02', t), r.body);
      cell(r.route, 'viewer of HT02', v.status === 403 && v.text.includes('NOT_A_WORKER') ? null : `answered ${v.status}`);
      const anon = await api(null, r.method, r.path('HT02', t), r.body);
      cell(r.route, 'anonymous', anon.status === 401 && anon.text.includes('TOKEN_MISSING') ? null : `answered ${anon.status}`);
    }

    // HT02's ids through HT01's own paths, by HT01's worker: exactly as an id that does not exist.
    const wang = w.console.wang;
    for (const r of byIdConsole) {
      const id = String(r.id(t));
      const got = await send(wang, 'POST', r.path(t), r.form?.(t));
      const gotFlash = await flashAfter(wang, got);
      const none = await send(wang, 'POST', r.path(null), r.form?.(null));
      const noneFlash = await flashAfter(wang, none);
      const same = got.status === none.status && gotFlash?.kind === 'error' && gotFlash.text.replaceAll(id, String(unknownId)) === noneFlash?.text;
      cell(`${r.route} (HT02's id)`, 'worker of HT01', secretIn(`${got.text}${gotFlash?.text ?? ''}`) ?? (same ? null : `said “${gotFlash?.text}”, for an id that does not exist “${noneFlash?.text}”`));
    }
    for (const r of byIdApi) {
      const id = r.id(t);
      const got = await api(w.tokens.wang, r.method, r.path(id), r.body);
      const none = await api(w.tokens.wang, r.method, r.path(unknownId), r.body);
      const same = got.status === 404 && got.text.replaceAll(String(id), String(unknownId)) === none.text;
      cell(`${r.route} (HT02's id)`, 'worker of HT01', secretIn(got.text) ?? (same ? null : `answered ${got.status} ${got.text}, for an id that does not exist ${none.text}`));
    }

    const changed = changedTables(before, await databaseDigest(h));
    cell('the database', 'all of the above', changed.length ? `changed: ${changed.join(', ')}` : null);
    const routes = new Set(covered.map((x) => x.split(' × ')[0]));
    console.log(`tenancy matrix: ${covered.length} route × role cells (${routes.size} routes × up to 6 roles), ${leaks.length} leaks`);
    if (leaks.length) console.log(leaks.join('\n'));
    expect(leaks).toEqual([]);
    expect(covered.length).toBeGreaterThan(250);
  }, 300_000);
});
