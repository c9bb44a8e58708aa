// Two communities with everything a worker can address (needs, a published project with a shift,
// a sign-up, a claim, hours, a broadcast, groups) and one account of every kind, signed in to the
// console and holding an API token: for the tenancy matrix and the hostile-values test. HT02's
// texts carry the marker 秘密 so a leak is visible in any page or body.
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { reportNeed } from '../../src/core/needs/report-need.ts';
import { createOrganization } from '../../src/core/orgs/create-organization.ts';
import { fileClaim } from '../../src/core/claims/file-claim.ts';
import { signUp } from '../../src/core/signups/sign-up.ts';
import { createConsoleUser } from '../../src/core/console-users/console-users.ts';
import { createProject } from '../../src/core/projects/create-project.ts';
import { publishProject } from '../../src/core/projects/publish-project.ts';
import { announceProject } from '../../src/notices/announce.ts';
import { createRound } from '../../src/core/ventures/create-round.ts';
import { submitProposal } from '../../src/core/ventures/submit-proposal.ts';
import { hashToken, issueApiToken } from '../../src/web/api/auth.ts';
import { ConsoleClient } from './console-client.ts';
import type { Harness } from './harness.ts';

/** The accounts: a worker of each community, a viewer of each, a resident with no role, an administrator. */
export const accounts = ['wang', 'li', 'qian', 'sun', 'zhou', 'root'] as const;
export type Account = (typeof accounts)[number];

export interface CommunityObjects {
  id: number;
  code: string;
  projectNumber: number;
  shiftId: number;
  signUpId: number;
  claimId: number;
  hoursId: number;
  broadcastId: number;
  groupId: number;
  needNumbers: number[];
  /** A 微创投 round collecting proposals, with one proposal. */
  roundNumber: number;
  proposalNumber: number;
}

export interface TwoCommunities {
  ht01: CommunityObjects;
  ht02: CommunityObjects;
  /** A signed-in console client per account (its CSRF token read from a page). */
  console: Record<Account, ConsoleClient>;
  /** An API token per account (the viewers' and the resident's made by hand, as a token whose role was taken away). */
  tokens: Record<Account, string>;
  consoleUserIds: Record<Account, number>;
  /** The marker every HT02 text carries. */
  secret: string;
}

const password = (who: string) => `${who}-secret-2026!`;

async function objects(h: Harness, code: 'HT01' | 'HT02', people: { zhang: number; liu: number; chen: number }): Promise<CommunityObjects> {
  const ctx = h.app.ctx;
  const mark = code === 'HT02' ? '秘密' : '';
  const id = (await ctx.prisma.community.findUniqueOrThrow({ where: { code } })).id;
  const group = await bindGroup(ctx, { community: code, platform: 'web', chat: `${code.toLowerCase()}-g`, title: `${code}居民群${mark}` });
  const a = await reportNeed(ctx, { communityId: id, authorId: people.zhang, text: `${code}${mark}：5号楼电梯坏了，老人下不了楼` });
  const b = await reportNeed(ctx, { communityId: id, authorId: people.liu, text: `${code}${mark}：希望组织给独居老人送饭` });
  await createOrganization(ctx, { communityId: id, name: `${code}${mark}志愿服务队`, members: [{ platform: 'web', user: 'chen', name: '陈老师' }] });
  const start = new Date(Date.now() + 3 * 86400_000);
  const { project } = await createProject(ctx, {
    communityId: id,
    title: `${code}${mark}助老送餐`,
    description: `${code}${mark}每周三送餐`,
    claimType: 'both',
    allowMultipleClaims: true,
    shifts: [{ startsAt: start, endsAt: new Date(start.getTime() + 2 * 3600_000), capacity: 5, place: `${code}${mark}活动室` }],
    actorId: null,
    via: 'cli',
  });
  const published = await publishProject(ctx, { communityId: id, number: project.number, actorId: null, via: 'cli' }, announceProject);
  await signUp(ctx, { communityId: id, projectNumber: project.number, personId: people.liu });
  const claim = await fileClaim(ctx, { communityId: id, projectNumber: project.number, personId: people.chen });
  const shiftId = project.shifts[0]?.id ?? 0;
  const hours = await ctx.prisma.hoursEntry.create({ data: { personId: people.zhang, projectId: project.id, shiftId, hours: '2.00', reason: 'checkout' } });
  const signUpRow = await ctx.prisma.signUp.findFirstOrThrow({ where: { shiftId, personId: people.liu } });
  // A round opened straight into collecting (the fixture skips the groups' announcement), one proposal.
  const { round } = await createRound(ctx, { communityId: id, title: `${code}${mark}微创投`, budgetYuan: 5000, via: 'cli' });
  await ctx.prisma.proposalRound.update({ where: { id: round.id }, data: { phase: 'collecting', collectingAt: new Date() } });
  const { proposal } = await submitProposal(ctx, { communityId: id, personId: people.zhang, title: `${code}${mark}楼道图书角`, description: `${code}${mark}放书架`, requestedYuan: 2000 });
  return {
    id,
    code,
    projectNumber: project.number,
    shiftId,
    signUpId: signUpRow.id,
    claimId: claim.claim.id,
    hoursId: hours.id,
    broadcastId: published.broadcast.id,
    groupId: group.group.id,
    needNumbers: [a.need.number, b.need.number],
    roundNumber: round.number,
    proposalNumber: proposal.number,
  };
}

/** Builds the world in the harness's database and signs every account in. */
export async function twoCommunities(h: Harness): Promise<TwoCommunities> {
  const ctx = h.app.ctx;
  await createCommunity(ctx, { code: 'HT01', name: '回天一社区' });
  await createCommunity(ctx, { code: 'HT02', name: '回天二社区秘密' });
  const people = { zhang: await h.persona('zhang', '张阿姨'), liu: await h.persona('liu', '刘大爷'), chen: await h.persona('chen', '陈老师') };
  const ht01 = await objects(h, 'HT01', people);
  const ht02 = await objects(h, 'HT02', people);

  const made = {
    wang: await createConsoleUser(ctx, { login: 'wang', name: '王书记', password: password('wang'), grants: [{ role: 'worker', scope: { community: 'HT01' } }], actorId: null, via: 'cli' }),
    li: await createConsoleUser(ctx, { login: 'li', name: '李主任', password: password('li'), grants: [{ role: 'worker', scope: { community: 'HT02' } }], actorId: null, via: 'cli' }),
    qian: await createConsoleUser(ctx, { login: 'qian', name: '钱干事', password: password('qian'), grants: [{ role: 'viewer', scope: { community: 'HT02' } }], actorId: null, via: 'cli' }),
    sun: await createConsoleUser(ctx, { login: 'sun', name: '孙干事', password: password('sun'), grants: [{ role: 'viewer', scope: { community: 'HT01' } }], actorId: null, via: 'cli' }),
    zhou: await createConsoleUser(ctx, { login: 'zhou', name: '周居民', password: password('zhou'), actorId: null, via: 'cli' }),
    root: await createConsoleUser(ctx, { login: 'root', name: '管理员', password: password('root'), isAdmin: true, actorId: null, via: 'cli' }),
  };
  const consoleUserIds = Object.fromEntries(accounts.map((a) => [a, made[a].user.id])) as Record<Account, number>;
  const tokens = {} as Record<Account, string>;
  tokens.wang = (await issueApiToken(ctx, { communityId: ht01.id, personId: made.wang.user.personId, name: 't', actorId: null, via: 'cli' })).token;
  tokens.li = (await issueApiToken(ctx, { communityId: ht02.id, personId: made.li.user.personId, name: 't', actorId: null, via: 'cli' })).token;
  for (const a of ['qian', 'sun', 'zhou', 'root'] as const) {
    tokens[a] = `linli_${a}-by-hand-0123456789abcdef`;
    await ctx.prisma.apiToken.create({ data: { name: 'by hand', tokenHash: hashToken(tokens[a]), personId: made[a].user.personId } });
  }
  const clients = {} as Record<Account, ConsoleClient>;
  for (const a of accounts) {
    const c = new ConsoleClient(h.app.url ?? '');
    const r = await c.login(a, password(a));
    if (r.status !== 303) throw new Error(`${a} could not sign in: ${r.status}`);
    await c.get('/console/');
    clients[a] = c;
  }
  await h.drain();
  return { ht01, ht02, console: clients, tokens, consoleUserIds, secret: '秘密' };
}

/** Every row of every table of the schema, as one digest per table (ApiToken.lastUsedAt left out: using a token touches it). */
export async function databaseDigest(h: Harness): Promise<Record<string, string>> {
  const tables = await h.db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [h.db.schema],
  );
  const parts = tables.rows.map(({ table_name: t }) => {
    const row = t === 'ApiToken' ? `jsonb_build_object('id', x.id, 'name', x.name, 'revokedAt', x."revokedAt", 'personId', x."personId")` : 'to_jsonb(x)';
    return `SELECT '${t}' AS t, coalesce(md5(string_agg((${row})::text, '|' ORDER BY (${row})::text)), '') AS d FROM "${t}" x`;
  });
  const r = await h.db.pool.query<{ t: string; d: string }>(parts.join(' UNION ALL '));
  return Object.fromEntries(r.rows.map((x) => [x.t, x.d]));
}

/** The tables whose digest differs. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/**
 * Every route the server has, from Fastify's own route tree (printRoutes): "METHOD /path" without
 * HEAD, so a test can check that its table covers every route, including ones added later.
 */
export function serverRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[└├]── (.*) \(([^)]+)\)$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (m[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ')) if (method !== 'HEAD') out.push(`${method} ${path.startsWith('/') ? path : `/${path}`}`);
  }
  return [...new Set(out)].sort();
}
