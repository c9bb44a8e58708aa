// The workers' HTTP API end to end: a real listening server (web role), the real broadcast and
// outbound workers, the web chat as the platform residents read. Each request carries a token
// made the way `token create` makes it; what residents saw is read back from WebChatMessage.
import { DateTime } from 'luxon';
import { timeProblemText } from '../../src/lib/time.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { grantRole } from '../../src/core/roles/grant-role.ts';
import { reportNeed } from '../../src/core/needs/report-need.ts';
import { supportNeed } from '../../src/core/needs/support-need.ts';
import { createOrganization } from '../../src/core/orgs/create-organization.ts';
import { fileClaim } from '../../src/core/claims/file-claim.ts';
import { signUp } from '../../src/core/signups/sign-up.ts';
import { changeProjectStatus } from '../../src/core/projects/change-status.ts';
import { hashToken, issueApiToken } from '../../src/web/api/auth.ts';

// No calendar dates: every time is a local time on a day counted from today (in the communities'
// zone, Asia/Shanghai), so the file passes on any day (and under `faketime -f '+400d'`).
const zone = 'Asia/Shanghai';
const today = DateTime.now().setZone(zone).startOf('day');
/** The local date N days from today, as yyyy-MM-dd. */
const day = (n: number) => today.plus({ days: n }).toFormat('yyyy-MM-dd');
/** The instant of a local time N days from today, as the API writes it (an ISO instant in UTC). */
const iso = (n: number, hm: string) => DateTime.fromFormat(`${day(n)} ${hm}`, 'yyyy-MM-dd HH:mm', { zone }).toUTC().toISO();
/** A day as residents read it: "12月5日 周六" (or "12月5日" without the weekday). */
const zhDay = (n: number, weekday = true) => {
  const d = today.plus({ days: n });
  return `${d.month}月${d.day}日${weekday ? ` ${['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'][d.weekday]}` : ''}`;
};

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  headers: Headers;
}

describe('worker HTTP API /api/v1', () => {
  let h: Harness;
  let ht01: number;
  let ht02: number;
  let wang: number; // worker of HT01
  let li: number; // worker of HT02
  let zhang: number; // resident of HT01, reported the need
  let liu: number; // resident, supported it
  let chen: number; // member of 夕阳天使志愿服务队
  const tokens = { wang: '', li: '', resident: '', revoked: '' };

  const call = async (method: string, path: string, opts: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? tokens.wang : opts.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${h.app.url}${path}`, { method, headers, body: payload });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const bot = async (conversation: string) =>
    (await h.app.ctx.prisma.webChatMessage.findMany({ where: { conversation, senderId: null }, orderBy: { id: 'asc' } })).map((m) => m.text);
  const audits = (action: string) => h.app.ctx.prisma.auditLog.findMany({ where: { action, via: 'api', communityId: ht01 }, orderBy: { id: 'asc' } });

  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'workers', 'bots'] });
    const ctx = h.app.ctx;
    ht01 = (await createCommunity(ctx, { code: 'HT01', name: '回天一社区' })).id;
    ht02 = (await createCommunity(ctx, { code: 'HT02', name: '回天二社区' })).id;
    for (const [chat, title] of [
      ['ht01-g1', '3号楼'],
      ['ht01-g2', '5号楼'],
      ['ht01-g3', '7号楼'],
    ] as const) {
      await bindGroup(ctx, { community: 'HT01', platform: 'web', chat, title });
    }
    await bindGroup(ctx, { community: 'HT02', platform: 'web', chat: 'ht02-g1', title: '1号楼' });
    wang = (await grantRole(ctx, { community: 'HT01', role: 'worker', platform: 'web', user: 'wang', name: '王书记' })).personId;
    li = (await grantRole(ctx, { community: 'HT02', role: 'worker', platform: 'web', user: 'li', name: '李主任' })).personId;
    zhang = await h.persona('zhang', '张阿姨');
    liu = await h.persona('liu', '刘大爷');
    chen = await h.persona('chen', '陈老师');
    await h.persona('xiaowang', '小王');
    await createOrganization(ctx, { communityId: ht01, name: '夕阳天使志愿服务队', serves: ['repair'], members: [{ platform: 'web', user: 'chen', name: '陈老师' }] });
    await createOrganization(ctx, { communityId: ht01, name: '青年志愿者协会', serves: ['culture'], members: [{ platform: 'web', user: 'xiaowang', name: '小王' }] });
    const need = await reportNeed(ctx, { communityId: ht01, authorId: zhang, text: '3号楼楼道灯坏了' });
    await supportNeed(ctx, { communityId: ht01, number: need.need.number, personId: liu });

    tokens.wang = (await issueApiToken(ctx, { communityId: ht01, personId: wang, name: 'console', actorId: null, via: 'cli' })).token;
    tokens.li = (await issueApiToken(ctx, { communityId: ht02, personId: li, name: 'console', actorId: null, via: 'cli' })).token;
    // A resident cannot be issued one (the CLI refuses); a token row made by hand stands for a
    // worker whose role was taken away after the token was made.
    await expect(issueApiToken(ctx, { communityId: ht01, personId: zhang, name: 'x', actorId: null, via: 'cli' })).rejects.toMatchObject({ code: 'NOT_A_WORKER' });
    tokens.resident = 'linli_resident-token-0123456789abcdef';
    await ctx.prisma.apiToken.create({ data: { name: 'stale', tokenHash: hashToken(tokens.resident), personId: zhang } });
    tokens.revoked = (await issueApiToken(ctx, { communityId: ht01, personId: wang, name: 'old', actorId: null, via: 'cli' })).token;
    await ctx.prisma.apiToken.updateMany({ where: { tokenHash: hashToken(tokens.revoked) }, data: { revokedAt: new Date() } });
    await h.drain();
  });
  afterAll(async () => h?.close());

  test('tokens: missing, wrong or revoked → 401; a good one names its person; only hashes are stored', async () => {
    const missing = await call('GET', '/api/v1/me', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('TOKEN_MISSING');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await call('GET', '/api/v1/communities/HT01/projects', { token: 'linli_not-a-real-token-000000000000' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_INVALID' } } });
    expect(wrong.body.error.message).toContain('令牌无效');
    expect((await call('GET', '/api/v1/me', { token: tokens.revoked })).status).toBe(401);
    expect((await call('GET', '/api/v1/me', { headers: { authorization: `Basic ${tokens.wang}` }, token: null })).status).toBe(401);

    const me = await call('GET', '/api/v1/me');
    expect(me).toMatchObject({ status: 200, body: { person: { id: wang, name: '王书记' }, communities: [{ code: 'HT01', name: '回天一社区' }] } });
    const row = await h.app.ctx.prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(tokens.wang) } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.lastUsedAt).not.toBeNull();
    await call('GET', '/api/v1/me');
    const again = await h.app.ctx.prisma.apiToken.findUniqueOrThrow({ where: { id: row.id } });
    expect(again.lastUsedAt).toEqual(row.lastUsedAt); // at most once a minute
    const stored = await h.app.ctx.prisma.apiToken.findMany({ select: { tokenHash: true } });
    expect(stored.map((s) => s.tokenHash)).not.toContain(tokens.wang);

    const unknownRoute = await call('GET', '/api/v1/nothing-here');
    expect(unknownRoute).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  test('a resident’s token is refused with 404, as if the community did not exist, in Chinese or English', async () => {
    const list = await call('GET', '/api/v1/communities/HT01/projects', { token: tokens.resident });
    expect(list.status).toBe(404);
    expect(list.body).toEqual({ error: { code: 'COMMUNITY_NOT_FOUND', message: '没有找到社区码 HT01，请核对后再试' } });
    const create = await call('POST', '/api/v1/communities/HT01/projects', { token: tokens.resident, body: { title: '偷偷立项' } });
    expect(create.status).toBe(404);
    const en = await call('GET', '/api/v1/communities/HT01/needs?lang=en', { token: tokens.resident });
    expect(en.body.error.message).toBe('No community with code HT01; please check it');
    const accept = await call('GET', '/api/v1/communities/HT01/needs', { token: tokens.resident, headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' } });
    expect(accept.body.error.message).toContain('No community with code');
    expect(await h.app.ctx.prisma.project.count()).toBe(0);
  });

  test('a worker lists needs, makes a project from one, adds a shift; supporters are told', async () => {
    const needs = await call('GET', '/api/v1/communities/HT01/needs?status=open');
    expect(needs.status).toBe(200);
    expect(needs.body).toMatchObject({ total: 1, needs: [{ number: 1, category: 'repair', categoryLabel: '物业维修', supportCount: 2, status: 'open' }] });

    const created = await call('POST', '/api/v1/communities/HT01/projects', {
      body: {
        title: '楼道灯维修',
        description: '更换3号楼楼道灯',
        needs: [1],
        claimType: 'both',
        shifts: [{ start: `${day(2)} 09:00`, end: `${day(2)} 11:00`, capacity: 1, place: '3号楼门口' }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.noticesQueued).toBe(2);
    expect(created.body.project).toMatchObject({
      number: 1,
      title: '楼道灯维修',
      status: 'draft',
      category: 'repair',
      claimType: 'both',
      needs: [{ number: 1, status: 'in_project', supportCount: 2 }],
      shifts: [{ label: 'A', start: `${day(2)} 09:00`, end: `${day(2)} 11:00`, startsAt: iso(2, '09:00'), capacity: 1, place: '3号楼门口', confirmed: 0 }],
    });

    const shift = await call('POST', '/api/v1/communities/HT01/projects/1/shifts', {
      body: { start: iso(3, '09:00'), end: iso(3, '11:30'), capacity: 2, place: '5号楼门口', skills: ['电工'] },
    });
    expect(shift.status).toBe(201);
    expect(shift.body.shift).toMatchObject({ label: 'B', start: `${day(3)} 09:00`, end: `${day(3)} 11:30`, capacity: 2, skills: ['电工'] });
    const third = await call('POST', '/api/v1/communities/HT01/projects/1/shifts', { body: { start: `${day(4)} 14:00`, end: `${day(4)} 16:00`, capacity: 3 } });
    expect(third.body.shift.label).toBe('C');

    await h.drain();
    expect(await bot('dm:zhang')).toEqual(['你支持的需求 #1 已立项：项目 #1「楼道灯维修」。项目发布后发送「项目」就能看到、报名参与']);
    expect(await bot('dm:liu')).toHaveLength(1);
    const inProject = await call('GET', '/api/v1/communities/HT01/needs?status=in_project');
    expect(inProject.body.needs[0]).toMatchObject({ number: 1, projects: [1] });
    expect((await call('GET', '/api/v1/communities/HT01/projects?status=draft')).body).toMatchObject({
      projects: [{ number: 1, title: '楼道灯维修', status: 'draft', shifts: 3, needs: 1 }],
      next: null,
    });
  });

  test('preview, then publish to chosen groups: progress reaches all sent; residents see it in the web chat', async () => {
    const preview = await call('GET', '/api/v1/communities/HT01/projects/1/announcement');
    expect(preview.status).toBe(200);
    expect(preview.body.text).toBe(
      [
        '【公益项目 #1】楼道灯维修',
        '更换3号楼楼道灯',
        '#物业维修',
        `班次 A：${zhDay(2)} 09:00-11:00 · 3号楼门口 · 招 1 人`,
        `班次 B：${zhDay(3)} 09:00-11:30 · 5号楼门口 · 招 2 人`,
        `班次 C：${zhDay(4)} 14:00-16:00 · 招 3 人`,
        '报名：回复「报名 1」，选班次如「报名 1 B」',
        '组织认领：回复「认领 1 组织名」',
      ].join('\n'),
    );
    expect(preview.body.buttons).toEqual([
      { label: '报名 A', payload: '报名 1 A' },
      { label: '报名 B', payload: '报名 1 B' },
      { label: '报名 C', payload: '报名 1 C' },
    ]);

    const published = await call('POST', '/api/v1/communities/HT01/projects/1/publish', { body: { groups: ['3号楼', 'ht01-g2'] } });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ groupCount: 2, status: 'scheduled', project: { number: 1, status: 'published' }, noticesQueued: 1 });
    const id = published.body.broadcastId as number;
    await h.drain();
    const progress = await call('GET', `/api/v1/communities/HT01/broadcasts/${id}`);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ broadcast: { id, status: 'done', project: { number: 1 } }, counts: { sent: 2, pending: 0, failed: 0 }, total: 2 });
    expect(progress.body.groups.map((g: { group: { title: string }; status: string }) => [g.group.title, g.status])).toEqual([
      ['3号楼', 'sent'],
      ['5号楼', 'sent'],
    ]);
    expect(await bot('ht01-g1')).toEqual([preview.body.text]);
    expect(await bot('ht01-g2')).toEqual([preview.body.text]);
    expect(await bot('ht01-g3')).toEqual([]);
    const withButtons = await h.app.ctx.prisma.webChatMessage.findFirstOrThrow({ where: { conversation: 'ht01-g1', senderId: null } });
    expect(withButtons.buttons).toEqual(preview.body.buttons);
    // The organization serving repairs hears of it (supply meets demand).
    expect(await bot('dm:chen')).toEqual(['新项目可能适合「夕阳天使志愿服务队」：#1「楼道灯维修」（物业维修）。认领请回复「认领 1 夕阳天使志愿服务队」']);

    // Sign-ups show in the project view: counts and the waitlist in order.
    await signUp(h.app.ctx, { communityId: ht01, projectNumber: 1, shiftLabel: 'A', personId: zhang });
    await signUp(h.app.ctx, { communityId: ht01, projectNumber: 1, shiftLabel: 'A', personId: liu });
    const detail = await call('GET', '/api/v1/communities/HT01/projects/1');
    expect(detail.body.project.shifts[0]).toMatchObject({
      label: 'A',
      confirmed: 1,
      free: 0,
      signUps: { confirmed: 1, waitlisted: 1 },
      waitlist: [{ position: 1, personId: liu, name: '刘大爷' }],
    });
    expect(detail.body.project.next).toEqual(['in_progress', 'closed']);
  });

  test('a broadcast scheduled for later and cancelled sends nothing', async () => {
    const at = new Date(Date.now() + 2500).toISOString();
    const published = await call('POST', '/api/v1/communities/HT01/projects/1/publish', { body: { groups: ['7号楼'], at } });
    expect(published.status).toBe(201);
    const id = published.body.broadcastId as number;
    expect(published.body.sendAt).toBe(at);
    expect(await (await h.app.broadcasts.queue.getJob(`bc-${id}`))?.isDelayed()).toBe(true);
    const later = await call('POST', '/api/v1/communities/HT01/projects/1/publish', { body: { groups: ['7号楼'], at: `${day(21)} 09:00` } });
    expect(later.body).toMatchObject({ sendAt: iso(21, '09:00'), sendAtLocal: `${day(21)} 09:00` });

    const cancelled = await call('POST', `/api/v1/communities/HT01/broadcasts/${id}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { broadcast: { id, status: 'cancelled' }, deliveriesCancelled: 0 } });
    expect(await h.app.broadcasts.queue.getJob(`bc-${id}`)).toBeUndefined();
    expect((await call('POST', `/api/v1/communities/HT01/broadcasts/${later.body.broadcastId}/cancel`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    await h.drain();
    expect(await bot('ht01-g3')).toEqual([]);
    expect(await h.app.ctx.prisma.delivery.count({ where: { broadcastId: { in: [id, later.body.broadcastId] } } })).toBe(0);
    const progress = await call('GET', `/api/v1/communities/HT01/broadcasts/${id}`);
    expect(progress.body).toMatchObject({ broadcast: { status: 'cancelled' }, total: 0 });
  });

  test('claims: the pending list, approve (claimant told), a second one is taken, decline with a reason', async () => {
    const first = await fileClaim(h.app.ctx, { communityId: ht01, projectNumber: 1, personId: chen });
    const xiaowang = (await h.app.ctx.prisma.identity.findUniqueOrThrow({ where: { platform_externalId: { platform: 'web', externalId: 'xiaowang' } } })).personId;
    const second = await fileClaim(h.app.ctx, { communityId: ht01, projectNumber: 1, personId: xiaowang });
    const pending = await call('GET', '/api/v1/communities/HT01/claims?status=pending');
    expect(pending.body.claims.map((c: { id: number; organization: { name: string } }) => [c.id, c.organization.name])).toEqual([
      [first.claim.id, '夕阳天使志愿服务队'],
      [second.claim.id, '青年志愿者协会'],
    ]);

    const approved = await call('POST', `/api/v1/communities/HT01/claims/${first.claim.id}/approve`);
    expect(approved).toMatchObject({ status: 200, body: { claim: { id: first.claim.id, status: 'approved' }, claimantNotified: true } });
    const again = await call('POST', `/api/v1/communities/HT01/claims/${first.claim.id}/approve`, { body: {} });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'CLAIM_DECIDED', message: `认领申请 ${first.claim.id} 已经处理过了` } } });
    const taken = await call('POST', `/api/v1/communities/HT01/claims/${second.claim.id}/approve`);
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'CLAIM_TAKEN' } } });
    const declined = await call('POST', `/api/v1/communities/HT01/claims/${second.claim.id}/decline`, { body: { reason: '已由其他组织认领' } });
    expect(declined).toMatchObject({ status: 200, body: { claim: { status: 'declined', reason: '已由其他组织认领' } } });
    await h.drain();
    expect((await bot('dm:chen')).at(-1)).toBe('你为「夕阳天使志愿服务队」认领项目 #1「楼道灯维修」的申请已通过，谢谢！社区工作人员会和你联系');
    expect(await bot('dm:xiaowang')).toEqual(['你为「青年志愿者协会」认领项目 #1「楼道灯维修」的申请没有通过：已由其他组织认领']);
    expect((await call('GET', '/api/v1/communities/HT01/claims?status=pending')).body.claims).toEqual([]);
    const detail = await call('GET', '/api/v1/communities/HT01/projects/1');
    expect(detail.body.project.claims.map((c: { status: string }) => c.status)).toEqual(['approved', 'declined']);
  });

  test('PATCH: title and description edits and status transitions; a bad transition is 409 and changes nothing', async () => {
    const edited = await call('PATCH', '/api/v1/communities/HT01/projects/1', { body: { title: '3号楼楼道灯维修', description: '更换灯泡和开关' } });
    expect(edited).toMatchObject({ status: 200, body: { project: { title: '3号楼楼道灯维修', description: '更换灯泡和开关', status: 'published' } } });
    const started = await call('PATCH', '/api/v1/communities/HT01/projects/1', { body: { status: 'in_progress' } });
    expect(started.body.project.status).toBe('in_progress');
    const bad = await call('PATCH', '/api/v1/communities/HT01/projects/1', { body: { status: 'evaluated', title: '不该改' } });
    expect(bad).toMatchObject({ status: 409, body: { error: { code: 'BAD_TRANSITION', message: '项目 #1 现在不能这样改' } } });
    expect((await h.app.ctx.prisma.project.findFirstOrThrow({ where: { communityId: ht01, number: 1 } })).title).toBe('3号楼楼道灯维修');
    const viaPatch = await call('PATCH', '/api/v1/communities/HT01/projects/1', { body: { status: 'published' } });
    expect(viaPatch.status).toBe(422);
    expect(viaPatch.body.error.message).toContain('POST …/publish');
    const missing = await call('PATCH', '/api/v1/communities/HT01/projects/99', { body: { title: 'x' } });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'PROJECT_NOT_FOUND', message: '没有找到项目 #99，发送「项目」查看编号' } } });
  });

  test('a worker of community B can neither read nor change community A (404, as a code that does not exist), nor reach A’s objects by id through B (404)', async () => {
    // Li works in HT02: make something there to address by id.
    const own = await call('POST', '/api/v1/communities/HT02/projects', { token: tokens.li, body: { title: '1号楼垃圾分类', category: 'environment' } });
    expect(own.status).toBe(201);
    const pub = await call('POST', '/api/v1/communities/HT02/projects/1/publish', { token: tokens.li, body: {} });
    expect(pub.body.groupCount).toBe(1);
    await h.drain();
    expect(await bot('ht02-g1')).toHaveLength(1);

    for (const [method, path, body] of [
      ['GET', '/api/v1/communities/HT01/projects', undefined],
      ['GET', '/api/v1/communities/HT01/projects/1', undefined],
      ['GET', '/api/v1/communities/HT01/projects/999', undefined],
      ['PATCH', '/api/v1/communities/HT01/projects/1', { title: '李改的' }],
      ['POST', '/api/v1/communities/HT01/projects/1/shifts', { start: `${day(5)} 09:00`, end: `${day(5)} 10:00`, capacity: 1 }],
      ['POST', '/api/v1/communities/HT01/projects/1/publish', {}],
      ['GET', '/api/v1/communities/HT01/claims', undefined],
      ['GET', '/api/v1/communities/HT01/needs', undefined],
    ] as const) {
      const r = await call(method, path, { token: tokens.li, body });
      expect([method, path, r.status, r.body.error?.code]).toEqual([method, path, 404, 'COMMUNITY_NOT_FOUND']);
      // Regression: HT02's worker once got 403 for HT01 and 404 for an unknown code, telling HT01 exists.
      const unknown = await call(method, path.replace('/HT01/', '/ZZ99/'), { token: tokens.li, body });
      expect([unknown.status, JSON.stringify(unknown.body).replaceAll('ZZ99', 'HT01')]).toEqual([r.status, JSON.stringify(r.body)]);
    }
    const project = await h.app.ctx.prisma.project.findFirstOrThrow({ where: { communityId: ht01, number: 1 }, include: { shifts: true } });
    expect(project.title).toBe('3号楼楼道灯维修');
    expect(project.shifts).toHaveLength(3);

    // Wang, through his own community's address, cannot reach HT02's broadcast: it is not there.
    const theirs = pub.body.broadcastId as number;
    const peek = await call('GET', `/api/v1/communities/HT01/broadcasts/${theirs}`);
    expect(peek).toMatchObject({ status: 404, body: { error: { code: 'BROADCAST_NOT_FOUND' } } });
    expect((await call('POST', `/api/v1/communities/HT01/broadcasts/${theirs}/cancel`)).status).toBe(404);
    expect((await h.app.ctx.prisma.broadcast.findUniqueOrThrow({ where: { id: theirs } })).status).toBe('done');
    expect((await call('GET', '/api/v1/communities/HT02/projects', { token: tokens.wang })).status).toBe(404);
    expect((await call('GET', '/api/v1/communities/NOPE9/projects')).body.error).toMatchObject({ code: 'COMMUNITY_NOT_FOUND' });
    expect(ht02).toBeGreaterThan(0);
  });

  test('invalid input gets 422 with a message that names the field, in the caller’s language', async () => {
    const empty = await call('POST', '/api/v1/communities/HT01/projects', { body: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'title', message: '必填' }] });
    expect(empty.body.error.message).toBe('输入有误，请核对后再试：title：必填');

    const badShift = await call('POST', '/api/v1/communities/HT01/projects', {
      body: { title: '测试', category: 'nope', shifts: [{ start: '12月5日', end: `${day(2)} 08:00`, capacity: 0 }] },
    });
    expect(badShift.status).toBe(422);
    const paths = badShift.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['category', 'shifts.0.start', 'shifts.0.capacity']));
    expect(badShift.body.error.message).toContain(timeProblemText('start'));

    // A full end before the start is refused (its writer gave the date); a bare "09:00" would be the next day.
    const backwards = await call('POST', '/api/v1/communities/HT01/projects/1/shifts', { body: { start: `${day(5)} 10:00`, end: `${day(5)} 09:00`, capacity: 1 } });
    expect(backwards.body.error.issues).toEqual([{ path: 'end', message: '结束时间早于开始时间。跨夜的班次只写结束时刻即可，如「22:00」到「06:00」' }]);

    const en = await call('POST', '/api/v1/communities/HT01/projects/1/publish?lang=en', { body: { at: `${day(1)} 09:00`, cron: '0 9 * * 1' } });
    expect(en.status).toBe(422);
    expect(en.body.error.message).toBe('Something in that was not right; please check and try again: cron: give either at or cron, not both');
    const cron = await call('POST', '/api/v1/communities/HT01/projects/1/publish', { body: { cron: 'every monday' } });
    expect(cron.body.error.issues[0]).toMatchObject({ path: 'cron' });
    const past = await call('POST', '/api/v1/communities/HT01/projects/1/publish', { body: { at: `${day(-1)} 09:00` } });
    expect(past.body.error.issues).toEqual([{ path: 'at', message: '这个时间已经过去了' }]);
    const unknownGroup = await call('POST', '/api/v1/communities/HT01/projects/1/publish', { body: { groups: ['9号楼'] } });
    expect(unknownGroup).toMatchObject({ status: 422, body: { error: { code: 'NO_GROUPS' } } });

    expect((await call('GET', '/api/v1/communities/HT01/projects/abc')).status).toBe(422);
    expect((await call('GET', '/api/v1/communities/HT01/projects?status=open')).status).toBe(422);
    expect((await call('PATCH', '/api/v1/communities/HT01/projects/1', { body: {} })).body.error.issues[0].message).toBe('至少要改一项：status、title 或 description');
    const notJson = await call('POST', '/api/v1/communities/HT01/projects', { raw: '{"title": ' });
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await h.app.ctx.prisma.project.count({ where: { communityId: ht01 } })).toBe(1);
  });

  test('every change made through the API left an AuditLog row, via api, by the token’s person', async () => {
    const rows = await h.app.ctx.prisma.auditLog.findMany({ where: { via: 'api', communityId: ht01 }, orderBy: { id: 'asc' } });
    expect(rows.every((r) => r.actorId === wang)).toBe(true);
    expect(rows.map((r) => r.action)).toEqual([
      'project.create',
      'shift.add',
      'shift.add',
      'project.status', // publish: draft → published
      'broadcast.create',
      'broadcast.create',
      'broadcast.create',
      'broadcast.cancel',
      'broadcast.cancel',
      'claim.approve',
      'claim.decline',
      'project.edit',
      'project.status',
    ]);
    expect((await audits('project.edit'))[0]).toMatchObject({
      entity: 'Project',
      before: { title: '楼道灯维修', description: '更换3号楼楼道灯' },
      after: { title: '3号楼楼道灯维修', description: '更换灯泡和开关' },
    });
    expect((await audits('project.status')).map((r) => [r.before, r.after])).toEqual([
      [{ status: 'draft' }, { status: 'published' }],
      [{ status: 'published' }, { status: 'in_progress' }],
    ]);
    expect((await audits('shift.add'))[0]).toMatchObject({ entity: 'Shift', after: { project: 1, label: 'B', capacity: 2 } });
    expect((await audits('broadcast.cancel'))[0]).toMatchObject({ before: { status: 'scheduled' }, after: { status: 'cancelled' } });
    expect((await audits('claim.decline'))[0]).toMatchObject({ before: { status: 'pending' }, after: { status: 'declined', reason: '已由其他组织认领' } });
    // Li's changes in HT02 are his, in HT02's log.
    const theirs = await h.app.ctx.prisma.auditLog.findMany({ where: { via: 'api', communityId: ht02 } });
    expect(theirs.every((r) => r.actorId === li)).toBe(true);
    expect(theirs.map((r) => r.action)).toEqual(['project.create', 'project.status', 'broadcast.create']);
  });

  test('an overnight shift (regression: an end earlier than the start was refused) ends the next day; residents see both days; reminders from its start', async () => {
    const created = await call('POST', '/api/v1/communities/HT01/projects', {
      body: { title: '夜间巡逻', category: 'safety', shifts: [{ start: `${day(2)} 23:56`, end: '00:56', capacity: 3, place: '5号楼门口' }] },
    });
    expect(created.status).toBe(201);
    const number = created.body.project.number as number;
    expect(created.body.project.shifts).toMatchObject([
      { label: 'A', start: `${day(2)} 23:56`, end: `${day(3)} 00:56`, startsAt: iso(2, '23:56'), endsAt: iso(3, '00:56'), time: `${zhDay(2)} 23:56-${zhDay(3, false)} 00:56` },
    ]);
    // An ISO start with a bare end: the end is on the start's local day (here the next one), in English too.
    const fromIso = await call('POST', `/api/v1/communities/HT01/projects/${number}/shifts?lang=en`, { body: { start: iso(3, '22:00'), end: '06:00', capacity: 2, place: '门卫室' } });
    expect(fromIso.status).toBe(201);
    const d4 = today.plus({ days: 4 }).setLocale('en');
    expect(fromIso.body.shift).toMatchObject({ label: 'B', start: `${day(3)} 22:00`, end: `${day(4)} 06:00`, endsAt: iso(4, '06:00'), time: `${today.plus({ days: 3 }).setLocale('en').toFormat('ccc d LLL')} 22:00-${d4.toFormat('ccc d LLL')} 06:00` });

    // What stays refused, and how it is said.
    const refused = async (body: object, lang = '') => {
      const r = await call('POST', `/api/v1/communities/HT01/projects/${number}/shifts${lang}`, { body: { capacity: 1, ...body } });
      expect(r.status).toBe(422);
      return r.body.error.issues;
    };
    expect(await refused({ start: `${day(3)} 23:00`, end: `${day(3)} 01:00` }, '?lang=en')).toEqual([
      { path: 'end', message: 'the end is before the start; for an overnight shift give only the end time, e.g. "22:00" to "06:00"' },
    ]);
    expect(await refused({ start: `${day(3)} 08:00`, end: '08:00' })).toEqual([{ path: 'end', message: '结束时间要晚于开始时间' }]);
    expect(await refused({ start: `${day(3)} 08:00`, end: `${day(4)} 08:30` })).toEqual([{ path: 'end', message: '一个班次最长 24 小时，更长的请分成几个班次' }]);
    expect(await refused({ start: `${day(3)} 08:00`, end: '8点半' })).toEqual([
      { path: 'end', message: timeProblemText('end') },
    ]);

    const rows = await h.app.ctx.prisma.shift.findMany({ where: { project: { communityId: ht01, number } }, orderBy: { label: 'asc' }, select: { label: true, startsAt: true, endsAt: true } });
    expect(rows.map((r) => [r.label, r.startsAt.toISOString(), r.endsAt.toISOString()])).toEqual([
      ['A', iso(2, '23:56'), iso(3, '00:56')],
      ['B', iso(3, '22:00'), iso(4, '06:00')],
    ]);
    const preview = await call('GET', `/api/v1/communities/HT01/projects/${number}/announcement`);
    expect(preview.body.text).toContain(`班次 A：${zhDay(2)} 23:56-${zhDay(3, false)} 00:56 · 5号楼门口 · 招 3 人\n班次 B：${zhDay(3)} 22:00-${zhDay(4, false)} 06:00 · 门卫室 · 招 2 人`);

    // Reminders count back from the start (24h,2h; quiet 22:00-08:00): 23:56 the evening before is
    // quiet, so that one moves to 21:59; the 2-hour one is at 21:56 on the shift's own evening.
    await changeProjectStatus(h.app.ctx, { communityId: ht01, number, to: 'published', actorId: null, via: 'cli' });
    const r = await signUp(h.app.ctx, { communityId: ht01, projectNumber: number, shiftLabel: 'A', personId: liu });
    expect(r.status).toBe('confirmed');
    const reminders = await h.app.ctx.prisma.reminder.findMany({ where: { signUp: { personId: liu, shift: { label: 'A', project: { number, communityId: ht01 } } } }, orderBy: { dueAt: 'asc' } });
    expect(reminders.map((x) => [x.kind, x.dueAt.toISOString(), x.status])).toEqual([
      ['24h', iso(1, '21:59'), 'scheduled'],
      ['2h', iso(2, '21:56'), 'scheduled'],
    ]);
  });
});
