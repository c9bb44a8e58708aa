import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { systemClock, type CoreContext } from '../../../src/core/context.ts';

describe('createCommunity', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock: systemClock };
  });
  afterAll(async () => db?.drop());

  test('a misspelt time zone is refused and nothing is written', async () => {
    await expect(createCommunity(ctx, { code: 'HT01', name: '回天一社区', timezone: 'Asia/Shanghi' })).rejects.toThrow(/IANA/);
    expect(await db.prisma.community.count()).toBe(0);
    expect(await db.prisma.auditLog.count()).toBe(0);
  });

  test('a real zone is kept, and none means Asia/Shanghai', async () => {
    const a = await createCommunity(ctx, { code: 'HT01', name: '回天一社区', timezone: ' America/New_York ' });
    const b = await createCommunity(ctx, { code: 'HT02', name: '回天二社区' });
    expect([a.timezone, b.timezone]).toEqual(['America/New_York', 'Asia/Shanghai']);
  });
});
