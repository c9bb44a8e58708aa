// The workers' console, over HTTP: who may see and change what (community, street, district,
// viewer), the login lockout, CSRF, escaping, cookies and sessions, and the AuditLog row every
// change leaves. A real server (web role) on the real Postgres and Redis.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { ConsoleClient } from '../../helpers/console-client.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { bindGroup } from '../../../src/core/groups/bind-group.ts';
import { reportNeed } from '../../../src/core/needs/report-need.ts';
import { supportNeed } from '../../../src/core/needs/support-need.ts';
import { createOrganization } from '../../../src/core/orgs/create-organization.ts';
import { createProject } from '../../../src/core/projects/create-project.ts';
import { changeProjectStatus } from '../../../src/core/projects/change-status.ts';
import { fileClaim } from '../../../src/core/claims/file-claim.ts';
import { signUp } from '../../../src/core/signups/sign-up.ts';
import { createConsoleUser } from '../../../src/core/console-users/console-users.ts';
import { issueApiToken } from '../../../src/web/api/auth.ts';

const pw = { wang: 'wang-secret-2026', li: 'li-secret-2026!', zhao: 'zhao-street-2026', qian: 'qian-viewer-2026', root: 'root-admin-2026' };

describe('workers’ console: access, lockout, CSRF, escaping, audit', () => {
  let h: Harness;
  let url: string;
  const ids = { ht01: 0, ht02: 0, ht03: 0, wang: 0, li: 0, zhao: 0, root: 0, claim02: 0, claim01: 0, hours02: 0, hours01: [] as number[], project02: 0 };

  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'workers', 'bots'] });
    url = h.app.url ?? '';
    const ctx = h.app.ctx;
    ids.ht01 = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' })).id;
    ids.ht02 = (await createCommunity(ctx, { code: 'HT02', name: '回天二社区', street: '霍营街道', district: '昌平区' })).id;
    ids.ht03 = (await createCommunity(ctx, { code: 'SH01', name: '沙河一社区', street: '沙河镇', district: '昌平区' })).id;
    await bindGroup(ctx, { community: 'HT01', platform: 'web', chat: 'ht01-g', title: '回天一社区居民群' });
    await bindGroup(ctx, { community: 'HT02', platform: 'web', chat: 'ht02-g', title: '回天二社区居民群' });
    const zhang = await h.persona('zhang', '张阿姨');
    const liu = await h.persona('liu', '刘大爷');
    const chen = await h.persona('chen', '陈老师');

    const wang = await createConsoleUser(ctx, { login: 'wang', name: '王书记', password: pw.wang, identity: { platform: 'web', user: 'wang-shuji' }, grants: [{ role: 'worker', scope: { community: 'HT01' } }], actorId: null, via: 'cli' });
    const li = await createConsoleUser(ctx, { login: 'li', name: '李主任', password: pw.li, grants: [{ role: 'worker', scope: { community: 'HT02' } }], actorId: null, via: 'cli' });
    const zhao = await createConsoleUser(ctx, { login: 'zhao', name: '赵科长', password: pw.zhao, grants: [{ role: 'worker', scope: { street: '霍营街道' } }], actorId: null, via: 'cli' });
    await createConsoleUser(ctx, { login: 'qian', name: '钱干事', password: pw.qian, grants: [{ role: 'viewer', scope: { community: 'HT01' } }], actorId: null, via: 'cli' });
    const root = await createConsoleUser(ctx, { login: 'root', name: '管理员', password: pw.root, isAdmin: true, actorId: null, via: 'cli' });
    ids.wang = wang.user.personId;
    ids.li = li.user.personId;
    ids.zhao = zhao.user.personId;
    ids.root = root.user.personId;

    // HT01: a hostile need, duplicates to merge, a published project with a pending claim and hours.
    await reportNeed(ctx, { communityId: ids.ht01, authorId: zhang, text: '<script>alert(1)</script>' });
    const a = await reportNeed(ctx, { communityId: ids.ht01, authorId: zhang, text: '5号楼电梯坏了，老人下不了楼 13812345678' });
    const b = await reportNeed(ctx, { communityId: ids.ht01, authorId: liu, text: '希望社区组织给独居老人送饭' });
    expect([a.kind, b.kind]).toEqual(['created', 'created']);
    await createOrganization(ctx, { communityId: ids.ht01, name: '夕阳天使志愿服务队', members: [{ platform: 'web', user: 'chen', name: '陈老师' }] });
    await createOrganization(ctx, { communityId: ids.ht02, name: '青年志愿者协会', members: [{ platform: 'web', user: 'chen', name: '陈老师' }] });
    const start = new Date(Date.now() + 3 * 86400_000);
    const shift = { startsAt: start, endsAt: new Date(start.getTime() + 2 * 3600_000), capacity: 5, place: '活动室' };
    await createProject(ctx, { communityId: ids.ht01, title: '助老送餐', claimType: 'both', shifts: [shift], actorId: null, via: 'cli' });
    await changeProjectStatus(ctx, { communityId: ids.ht01, number: 1, to: 'published', actorId: null, via: 'cli' });
    ids.claim01 = (await fileClaim(ctx, { communityId: ids.ht01, projectNumber: 1, personId: chen })).claim.id;
    const p1 = await ctx.prisma.project.findFirstOrThrow({ where: { communityId: ids.ht01, number: 1 }, include: { shifts: true } });
    for (const [who, hours] of [[chen, '1.00'], [zhang, '2.00'], [liu, '1.50']] as const) {
      ids.hours01.push((await ctx.prisma.hoursEntry.create({ data: { personId: who, projectId: p1.id, shiftId: p1.shifts[0]?.id, hours, reason: 'checkout' } })).id);
    }
    await signUp(ctx, { communityId: ids.ht01, projectNumber: 1, personId: liu });

    // HT02: the same kinds of things, which HT01's worker must neither see nor touch.
    await reportNeed(ctx, { communityId: ids.ht02, authorId: liu, text: '二社区的秘密需求：车棚漏雨' });
    await reportNeed(ctx, { communityId: ids.ht02, authorId: zhang, text: '二社区希望办个书法班' });
    const p2 = await createProject(ctx, { communityId: ids.ht02, title: '二社区车棚修缮', claimType: 'organization', shifts: [shift], actorId: null, via: 'cli' });
    ids.project02 = p2.project.id;
    await changeProjectStatus(ctx, { communityId: ids.ht02, number: 1, to: 'published', actorId: null, via: 'cli' });
    ids.claim02 = (await fileClaim(ctx, { communityId: ids.ht02, projectNumber: 1, personId: chen })).claim.id;
    ids.hours02 = (await ctx.prisma.hoursEntry.create({ data: { personId: liu, projectId: p2.project.id, hours: '3.00', reason: 'checkout' } })).id;
    await h.drain();
  });
  afterAll(async () => h?.close());

  const audits = (action: string) => h.app.ctx.prisma.auditLog.findMany({ where: { action }, orderBy: { id: 'asc' } });

  test('sign-in: httpOnly SameSite=Lax session cookie (Secure behind https), session in Redis, argon2id hash, log out ends it', async () => {
    const c = new ConsoleClient(url);
    const first = await c.get('/console/c/HT01/needs');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/console/login?next=%2Fconsole%2Fc%2FHT01%2Fneeds');
    const page = await c.request('GET', '/console/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await c.request('POST', '/console/login', { _csrf: token, login: 'WANG', password: pw.wang, next: '/console/c/HT01/needs' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/c/HT01/needs');
    const cookie = res.setCookies.find((x) => x.startsWith('linli_console='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/console/i);
    expect(cookie).not.toMatch(/Secure/i);
    const keys = await h.app.redis.keys(`${h.prefix}:console:session:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join()).not.toContain(c.cookies.get('linli_console')); // only a hash of the id is a key
    const row = await h.app.ctx.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'wang' } });
    expect(row.lastLoginAt).not.toBeNull();
    expect((await audits('consoleuser.login')).at(-1)).toMatchObject({ actorId: ids.wang, via: 'console', entityId: String(row.id), after: { ip: '127.0.0.1' } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await c.get('/console/c/HT01/needs')).status).toBe(200);

    // Behind a proxy that says https, the cookie is Secure.
    const s = new ConsoleClient(url, { 'x-forwarded-proto': 'https' });
    const sp = await s.request('GET', '/console/login');
    const st = /name="_csrf" value="([^"]+)"/.exec(sp.text)?.[1] ?? '';
    const sres = await s.request('POST', '/console/login', { _csrf: st, login: 'wang', password: pw.wang });
    expect(sres.setCookies.find((x) => x.startsWith('linli_console='))).toMatch(/Secure/i);

    // An open redirect through `next` is refused.
    const o = new ConsoleClient(url);
    const op = await o.request('GET', '/console/login');
    const ot = /name="_csrf" value="([^"]+)"/.exec(op.text)?.[1] ?? '';
    expect((await o.request('POST', '/console/login', { _csrf: ot, login: 'wang', password: pw.wang, next: '//evil.example/x' })).location).toBe('/console/');

    const out = await c.post('/console/logout');
    expect(out.status).toBe(303);
    expect((await c.get('/console/c/HT01/needs')).status).toBe(303);
  });

  test('a worker of HT01 can neither read nor change HT02: pages, exports, forms, API', async () => {
    const c = new ConsoleClient(url);
    await c.login('wang', pw.wang);
    const own = await c.get('/console/c/HT01/needs');
    expect(own.status).toBe(200);
    expect(own.text).toContain('5号楼电梯坏了');
    expect(own.text).not.toContain('二社区');
    // Another community's pages answer like a community that does not exist.
    for (const path of ['/console/c/HT02', '/console/c/HT02/needs', '/console/c/HT02/projects/1', '/console/c/HT02/claims', '/console/c/HT02/hours', '/console/c/HT02/exports/needs.xlsx', '/console/c/HT02/exports/signups.csv', '/console/c/HT02/audit', '/console/c/NOPE/needs']) {
      const r = await c.get(path);
      expect(r.status, path).toBe(404);
      expect(r.text).not.toContain('秘密需求');
    }
    expect((await c.get(`/console/reports?area=community:${ids.ht02}`)).status).toBe(404);
    expect((await c.get(`/console/reports?area=street:1`)).status).toBe(404);
    const switcher = await c.get('/console/');
    expect(switcher.text).not.toContain('回天二社区');

    // Changes aimed at HT02: through its own paths (404, nothing done)…
    const before = await h.app.ctx.prisma.auditLog.count();
    expect((await c.post('/console/c/HT02/needs/action', { do: 'merge', need: ['1', '2'] })).status).toBe(404);
    expect((await c.post(`/console/c/HT02/claims/${ids.claim02}/approve`)).status).toBe(404);
    expect((await c.post('/console/c/HT02/hours/decide', { entry: String(ids.hours02), do: 'approve' })).status).toBe(404);
    expect((await c.post('/console/c/HT02/projects/1/publish', { group: '2', mode: 'now' })).status).toBe(404);
    expect((await c.post('/console/c/HT02/exports/needs.xlsx', { reason: 'x', confirm: '1' })).status).toBe(404);
    // …and by their ids through HT01's paths (the use cases check the community: not found).
    expect((await c.post(`/console/c/HT01/claims/${ids.claim02}/approve`, { back: '/console/c/HT01/claims' })).status).toBe(303);
    expect(await c.flash('/console/c/HT01/claims')).toContain(`没有找到认领申请 ${ids.claim02}`);
    await c.post('/console/c/HT01/hours/decide', { entry: String(ids.hours02), do: 'approve' });
    expect(await c.flash('/console/c/HT01/hours')).toContain(`没有找到志愿时长记录 ${ids.hours02}`);
    const p = await h.app.ctx.prisma;
    expect((await p.claim.findUniqueOrThrow({ where: { id: ids.claim02 } })).status).toBe('pending');
    expect((await p.hoursEntry.findUniqueOrThrow({ where: { id: ids.hours02 } })).status).toBe('pending');
    expect((await p.need.findMany({ where: { communityId: ids.ht02 }, orderBy: { number: 'asc' } })).map((n) => n.status)).toEqual(['open', 'open']);
    expect((await p.project.findFirstOrThrow({ where: { communityId: ids.ht02 } })).status).toBe('published');
    expect(await h.app.ctx.prisma.auditLog.count()).toBe(before);

    // The API draws the same line for the same person.
    const token = (await issueApiToken(h.app.ctx, { communityId: ids.ht01, personId: ids.wang, name: 't', actorId: null, via: 'cli' })).token;
    const api = await fetch(`${url}/api/v1/communities/HT02/needs`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(404); // as for a code that does not exist
    const ok = await fetch(`${url}/api/v1/communities/HT01/needs`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });

  test('street staff see their street’s communities (not another street’s); a viewer may look but not change', async () => {
    const z = new ConsoleClient(url);
    await z.login('zhao', pw.zhao);
    const home = await z.get('/console/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('回天一社区');
    expect(home.text).toContain('回天二社区');
    expect(home.text).not.toContain('沙河一社区');
    expect((await z.get('/console/c/HT02/needs')).status).toBe(200);
    expect((await z.get('/console/c/SH01/needs')).status).toBe(404);
    const street = await h.app.ctx.prisma.street.findFirstOrThrow({ where: { name: '霍营街道' } });
    const rollup = await z.get(`/console/reports?area=street:${street.id}`);
    expect(rollup.status).toBe(200);
    expect(rollup.text).toContain('data-testid="rollup-table"');
    const district = await h.app.ctx.prisma.district.findFirstOrThrow();
    expect((await z.get(`/console/reports?area=district:${district.id}`)).status).toBe(404);

    const v = new ConsoleClient(url);
    await v.login('qian', pw.qian);
    const board = await v.get('/console/c/HT01/needs');
    expect(board.status).toBe(200);
    expect(board.text).toContain('只读权限');
    expect(board.text).not.toContain('data-testid="merge-needs"');
    await v.post('/console/c/HT01/needs/action', { do: 'merge', need: ['2', '3'] });
    expect(await v.flash('/console/c/HT01/needs')).toContain('只有本社区的工作人员可以这样做');
    expect((await h.app.ctx.prisma.need.findFirstOrThrow({ where: { communityId: ids.ht01, number: 3 } })).status).toBe('open');
    expect((await v.post('/console/c/HT01/exports/needs.xlsx', { reason: 'x', confirm: '1' })).status).toBe(403);
    expect((await v.get('/console/admin/users')).status).toBe(404);
    expect((await v.get('/console/admin/queues')).status).toBe(404);
  });

  test('a form post without the CSRF token, or with a wrong one, is refused and changes nothing', async () => {
    const c = new ConsoleClient(url);
    await c.login('wang', pw.wang);
    await c.get('/console/c/HT01/needs');
    const no = await c.request('POST', '/console/c/HT01/needs/action', { do: 'merge', need: ['2', '3'] });
    expect(no.status).toBe(403);
    expect(no.text).toContain('页面已过期或来源不明');
    const wrong = await c.request('POST', '/console/c/HT01/needs/action', { _csrf: 'x'.repeat(43), do: 'merge', need: ['2', '3'] });
    expect(wrong.status).toBe(403);
    const other = new ConsoleClient(url);
    await other.login('wang', pw.wang);
    // Another session's token is not this session's.
    expect((await c.request('POST', `/console/c/HT01/claims/${ids.claim01}/approve`, { _csrf: other.csrf })).status).toBe(403);
    expect((await c.request('POST', '/console/logout', {})).status).toBe(403);
    // The login form has its own token too.
    const login = await new ConsoleClient(url).request('POST', '/console/login', { login: 'wang', password: pw.wang });
    expect(login.status).toBe(403);
    expect((await h.app.ctx.prisma.need.findFirstOrThrow({ where: { communityId: ids.ht01, number: 3 } })).status).toBe('open');
    expect((await h.app.ctx.prisma.claim.findUniqueOrThrow({ where: { id: ids.claim01 } })).status).toBe('pending');
  });

  test('a need whose text is <script>alert(1)</script> is shown as text, on every page that shows it', async () => {
    const c = new ConsoleClient(url);
    await c.login('wang', pw.wang);
    for (const path of ['/console/c/HT01/needs', '/console/c/HT01/projects/new?needs=1', '/console/c/HT01']) {
      const r = await c.get(path);
      expect(r.status).toBe(200);
      expect(r.text, path).not.toContain('<script>alert(1)</script>');
      if (path !== '/console/c/HT01' || r.text.includes('alert(1)')) expect(r.text, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    // An export keeps it as plain text; a CSV cell that starts like a formula is defused.
    const csv = await c.get('/console/c/HT01/exports/needs.csv');
    expect(csv.text).toContain('<script>alert(1)</script>');
  });

  test('every change made in the console leaves an AuditLog row: who, what, when, before and after', async () => {
    const c = new ConsoleClient(url);
    await c.login('wang', pw.wang);
    await c.get('/console/c/HT01/needs');
    const check = async (action: string, expectBefore: boolean) => {
      const rows = await audits(action);
      const last = rows[rows.length - 1];
      expect(last, action).toBeDefined();
      expect(last?.actorId, action).toBe(ids.wang);
      expect(last?.via, action).toBe('console');
      expect(last?.communityId, action).toBe(ids.ht01);
      expect(last?.createdAt, action).toBeInstanceOf(Date);
      expect(last?.after, action).not.toBeNull();
      if (expectBefore) expect(last?.before, action).not.toBeNull();
      return last;
    };
    // Needs: category, merge.
    await c.post('/console/c/HT01/needs/action', { do: 'category', need: '3', category: 'health', back: '/console/c/HT01/needs' });
    expect((await check('need.category', true))?.before).toMatchObject({ number: 3 });
    await c.get('/console/c/HT01/needs');
    await c.post('/console/c/HT01/needs/action', { do: 'merge', need: ['2', '3'], into: '2', back: '/console/c/HT01/needs' });
    expect(await c.flash('/console/c/HT01/needs')).toContain('已把 #3 合并到 #2');
    const merge = await check('need.merge', true);
    expect(merge?.after).toMatchObject({ from: [{ number: 3, status: 'merged', mergedInto: 2 }] });
    // Projects: create, edit, shift, status, publish, served, attendance, cancel broadcast.
    const created = await c.post('/console/c/HT01/projects', {
      title: '电梯维修督办',
      description: '联系物业修电梯',
      category: 'repair',
      needs: '2',
      claimType: 'volunteers',
      shift_date: '2030-05-01',
      shift_start: '09:00',
      shift_end: '11:00',
      shift_capacity: '2',
      shift_place: '5号楼',
    });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/console/c/HT01/projects/2');
    await check('project.create', false);
    await c.get('/console/c/HT01/projects/2');
    await c.post('/console/c/HT01/projects/2/edit', { title: '5号楼电梯维修督办', description: '联系物业修电梯', category: 'repair', claimType: 'both', allowMultipleClaims: '1' });
    expect((await check('project.edit', true))?.after).toMatchObject({ title: '5号楼电梯维修督办', claimType: 'both', allowMultipleClaims: true });
    await c.post('/console/c/HT01/projects/2/shifts', { shift_date: '2030-05-02', shift_start: '14:00', shift_end: '16:00', shift_capacity: '3', shift_place: '' });
    await check('shift.add', false);
    await c.post('/console/c/HT01/projects/2/status', { to: 'review' });
    expect((await check('project.status', true))?.after).toEqual({ status: 'review' });
    const group = await h.app.ctx.prisma.group.findFirstOrThrow({ where: { communityId: ids.ht01 } });
    await c.post('/console/c/HT01/projects/2/publish', { group: String(group.id), mode: 'at', at: '2030-04-30T09:00' });
    expect(await c.flash('/console/c/HT01/projects/2')).toContain('已安排在 2030-04-30 09:00 发布到 1 个群');
    await check('broadcast.create', false);
    await c.post('/console/c/HT01/projects/2/served', { count: '120' });
    expect((await check('project.people_served', true))?.after).toEqual({ peopleServed: 120 });
    const b = await h.app.ctx.prisma.broadcast.findFirstOrThrow({ where: { projectId: { not: null }, communityId: ids.ht01 }, orderBy: { id: 'desc' } });
    await c.post(`/console/c/HT01/broadcasts/${b.id}/cancel`, { back: '/console/c/HT01/projects/2' });
    expect((await check('broadcast.cancel', true))?.after).toMatchObject({ status: 'cancelled' });
    const su = await h.app.ctx.prisma.signUp.findFirstOrThrow({ where: { shift: { project: { communityId: ids.ht01, number: 1 } } } });
    await c.post(`/console/c/HT01/signups/${su.id}/attend`, { back: '/console/c/HT01/projects/1' });
    await check('checkin.manual', false);
    // Claims and hours.
    await c.post(`/console/c/HT01/claims/${ids.claim01}/approve`, { back: '/console/c/HT01/claims' });
    expect((await check('claim.approve', true))?.before).toEqual({ status: 'pending' });
    // One by one (a row's own button), then the rest in bulk.
    await c.post('/console/c/HT01/hours/decide', { one: String(ids.hours01[0]), entry: ids.hours01.map(String), back: '/console/c/HT01/hours' });
    expect(await c.flash('/console/c/HT01/hours')).toContain('已通过 1 条，共 1.0 小时');
    await c.post('/console/c/HT01/hours/decide', { entry: ids.hours01.slice(1).map(String), do: 'approve', back: '/console/c/HT01/hours' });
    expect(await c.flash('/console/c/HT01/hours')).toContain('已通过 2 条，共 3.5 小时');
    expect((await audits('hours.approve')).filter((r) => r.via === 'console')).toHaveLength(3);
    await check('hours.approve', true);
    // A full export is recorded; a masked one is not, and masks the phone.
    const masked = await c.get('/console/c/HT01/exports/needs.csv');
    expect(masked.text).toContain('138****5678');
    expect(masked.text).not.toContain('13812345678');
    await c.get('/console/c/HT01/exports');
    const full = await c.post('/console/c/HT01/exports/needs.csv', { reason: '交给物业联系居民', confirm: '1' });
    expect(full.status).toBe(200);
    expect(full.text).toContain('13812345678');
    expect((await check('export.full', true))?.after).toMatchObject({ kind: 'needs', format: 'csv', reason: '交给物业联系居民' });
    // Nothing the console did went unrecorded or unattributed.
    const mine = await h.app.ctx.prisma.auditLog.findMany({ where: { via: 'console', action: { not: 'consoleuser.login' } } });
    expect(mine.every((r) => r.actorId === ids.wang)).toBe(true);
  });

  test('administrators: accounts (create, grant, reset, disable) are audited, and a reset or disable ends sessions', async () => {
    const a = new ConsoleClient(url);
    await a.login('root', pw.root);
    await a.get('/console/admin/users');
    const made = await a.post('/console/admin/users', { login: 'sun', name: '孙社工', password: '', role: 'worker', scope: 'community:HT02', platform: 'web', user: 'sun-shegong' });
    expect(made.status).toBe(200);
    const generated = /<code class="big">([^<]+)<\/code>/.exec(made.text)?.[1] ?? '';
    expect(generated).toHaveLength(16);
    const create = (await audits('consoleuser.create')).at(-1);
    expect(create).toMatchObject({ actorId: ids.root, via: 'console', after: { login: 'sun', identity: 'web:sun-shegong' } });
    expect(JSON.stringify(create)).not.toContain(generated);
    expect((await audits('role.grant')).at(-1)).toMatchObject({ actorId: ids.root, via: 'console', communityId: ids.ht02 });

    const sun = new ConsoleClient(url);
    expect((await sun.login('sun', generated)).status).toBe(303);
    expect((await sun.get('/console/c/HT02/needs')).status).toBe(200);
    const row = await h.app.ctx.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'sun' } });
    await a.get('/console/admin/users');
    await a.post(`/console/admin/users/${row.id}/grant`, { role: 'viewer', scope: 'community:HT01' });
    expect((await audits('role.grant')).at(-1)).toMatchObject({ actorId: ids.root, communityId: ids.ht01, after: { role: 'viewer' } });
    await a.get('/console/admin/users');
    const reset = await a.post(`/console/admin/users/${row.id}/password`);
    expect(reset.status).toBe(200);
    expect((await audits('consoleuser.password')).at(-1)).toMatchObject({ actorId: ids.root, entityId: String(row.id) });
    expect((await sun.get('/console/c/HT02/needs')).status).toBe(303); // signed out by the reset
    await a.get('/console/admin/users');
    await a.post(`/console/admin/users/${row.id}/disable`);
    expect((await audits('consoleuser.disable')).at(-1)).toMatchObject({ actorId: ids.root, before: { disabledAt: null } });
    const newPassword = /<code class="big">([^<]+)<\/code>/.exec(reset.text)?.[1] ?? '';
    expect((await new ConsoleClient(url).login('sun', newPassword)).status).toBe(401);
    // Bull Board is there for administrators, and only for them.
    const board = await a.get('/console/admin/queues');
    expect(board.status).toBe(200);
    const queues = await a.get('/console/admin/queues/api/queues');
    expect(queues.status).toBe(200);
    expect(queues.text).toContain('broadcasts');
    const w = new ConsoleClient(url);
    await w.login('wang', pw.wang);
    expect((await w.get('/console/admin/queues/api/queues')).status).toBe(404);
    expect((await w.get('/console/admin/users')).status).toBe(404);
  });

  test('wrong passwords lock the account (even the right password is refused then); unknown logins count too', async () => {
    const c = new ConsoleClient(url);
    for (let i = 1; i <= 4; i++) {
      const r = await c.login('li', `wrong-${i}-password`);
      expect(r.status, `try ${i}`).toBe(401);
      expect(r.text).toContain('账号或密码不对');
    }
    const fifth = await c.login('li', 'wrong-5-password');
    expect(fifth.status).toBe(429);
    expect(fifth.text).toContain('尝试次数过多');
    const right = await c.login('li', pw.li);
    expect(right.status).toBe(429);
    expect(right.setCookies.some((x) => x.startsWith('linli_console='))).toBe(false);
    // Other accounts are not locked by it; an unknown login is locked the same way (no telling which exist).
    expect((await new ConsoleClient(url).login('wang', pw.wang)).status).toBe(303);
    for (let i = 0; i < 5; i++) await new ConsoleClient(url).login('nobody-here', 'whatever-password');
    expect((await new ConsoleClient(url).login('nobody-here', 'whatever-password')).text).toContain('尝试次数过多');
  });

  test('an address that keeps guessing is locked for every account', async () => {
    // 30 wrong passwords within the hour from one address (spread over logins, so no account locks).
    let locked = 0;
    for (let i = 0; i < 30; i++) {
      const r = await new ConsoleClient(url).login(`guess-${i % 10}-${Math.floor(i / 10)}`, 'not-the-password');
      if (r.status === 429) locked++;
    }
    expect(locked).toBeGreaterThan(0);
    const r = await new ConsoleClient(url).login('zhao', pw.zhao);
    expect(r.status).toBe(429);
  }, 60_000);
});
