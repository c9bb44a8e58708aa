// Scopes in core: a community worker sees one community, street staff their street's, district
// staff their district's; viewers see but requireWorker refuses them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { systemClock, type CoreContext } from '../../../src/core/context.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';
import { grantScopedRole } from '../../../src/core/roles/grant-scoped-role.ts';
import { areasVisibleTo, communitiesOfArea, communitiesVisibleTo, requireVisibleCommunity } from '../../../src/core/roles/communities-visible-to.ts';
import { isWorker } from '../../../src/core/roles/is-worker.ts';

describe('communitiesVisibleTo', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  const who: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock: systemClock };
    await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' });
    await createCommunity(ctx, { code: 'HT02', name: '回天二社区', street: '霍营街道', district: '昌平区' });
    await createCommunity(ctx, { code: 'SH01', name: '沙河一社区', street: '沙河镇', district: '昌平区' });
    await createCommunity(ctx, { code: 'DC01', name: '东城一社区', street: '东华门街道', district: '东城区' });
    for (const [name, role, scope] of [
      ['community', 'worker', { community: 'HT01' }],
      ['street', 'worker', { street: '霍营街道' }],
      ['district', 'admin', { district: '昌平区' }],
      ['viewer', 'viewer', { community: 'DC01' }],
    ] as const) {
      who[name] = await ensurePerson(ctx, 'web', name, name);
      const r = await grantScopedRole(ctx, { personId: who[name] ?? 0, role, scope, actorId: null, via: 'cli' });
      expect(r.created).toBe(true);
    }
    who.nobody = await ensurePerson(ctx, 'web', 'nobody', 'nobody');
  });
  afterAll(async () => db?.drop());

  const codes = async (name: string) => (await communitiesVisibleTo(ctx, who[name] ?? 0)).map((c) => c.code);

  test('community, street and district scopes', async () => {
    expect(await codes('community')).toEqual(['HT01']);
    expect(await codes('street')).toEqual(['HT01', 'HT02']);
    expect(await codes('district')).toEqual(['HT01', 'HT02', 'SH01']);
    expect(await codes('viewer')).toEqual(['DC01']);
    expect(await codes('nobody')).toEqual([]);
    const [c] = await communitiesVisibleTo(ctx, who.community ?? 0);
    expect(c).toMatchObject({ name: '回天一社区', streetName: '霍营街道', districtName: '昌平区' });
  });

  test('requireVisibleCommunity: someone else’s community reads as not found', async () => {
    await expect(requireVisibleCommunity(ctx, who.community ?? 0, 'ht01')).resolves.toMatchObject({ code: 'HT01' });
    await expect(requireVisibleCommunity(ctx, who.community ?? 0, 'HT02')).rejects.toMatchObject({ code: 'COMMUNITY_NOT_FOUND' });
    await expect(requireVisibleCommunity(ctx, who.street ?? 0, 'SH01')).rejects.toMatchObject({ code: 'COMMUNITY_NOT_FOUND' });
    await expect(requireVisibleCommunity(ctx, who.district ?? 0, 'DC01')).rejects.toMatchObject({ code: 'COMMUNITY_NOT_FOUND' });
  });

  test('roll-up areas: a street or district only when granted on it', async () => {
    expect(await areasVisibleTo(ctx, who.community ?? 0)).toEqual([]);
    expect((await areasVisibleTo(ctx, who.street ?? 0)).map((a) => `${a.level}:${a.name}`)).toEqual(['street:霍营街道']);
    expect((await areasVisibleTo(ctx, who.district ?? 0)).map((a) => `${a.level}:${a.name}`)).toEqual(['district:昌平区', 'street:霍营街道', 'street:沙河镇']);
    const street = await db.prisma.street.findFirstOrThrow({ where: { name: '霍营街道' } });
    expect((await communitiesOfArea(ctx, who.street ?? 0, { level: 'street', id: street.id })).map((c) => c.code)).toEqual(['HT01', 'HT02']);
    await expect(communitiesOfArea(ctx, who.community ?? 0, { level: 'street', id: street.id })).rejects.toMatchObject({ code: 'COMMUNITY_NOT_FOUND' });
  });

  test('a viewer sees but is no worker; a street worker is a worker of its communities', async () => {
    const dc01 = await db.prisma.community.findUniqueOrThrow({ where: { code: 'DC01' } });
    const ht02 = await db.prisma.community.findUniqueOrThrow({ where: { code: 'HT02' } });
    expect(await isWorker(ctx, who.viewer ?? 0, dc01.id)).toBe(false);
    expect(await isWorker(ctx, who.street ?? 0, ht02.id)).toBe(true);
    expect(await isWorker(ctx, who.community ?? 0, ht02.id)).toBe(false);
  });
});
