// The migration that adds CommunityMember fills it from the messages already claimed: a person who
// wrote in a bound group is a member of its community from their first message there; private
// chats and unbound groups count for nothing; a round already voting keeps who may vote.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

const all = join(import.meta.dirname, '../../prisma/migrations');
const first = 'community_members_and_planned_phases';

describe('CommunityMember backfill', () => {
  let db: TestDatabase;
  let before: string;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    // The migrations up to (not including) the one that adds CommunityMember.
    before = mkdtempSync(join(tmpdir(), 'linli-mig-'));
    const names = readdirSync(all).sort();
    const cut = names.findIndex((n) => n.endsWith(first));
    for (const n of names.slice(0, cut)) cpSync(join(all, n), join(before, n), { recursive: true });
    await migrate(db.pool, { migrationsDir: before, log: () => undefined });
  });
  afterAll(async () => {
    rmSync(before, { recursive: true, force: true });
    await db?.drop();
  });

  test('members from claimed group messages, first sight first; a voting round keeps its voters', async () => {
    const q = (sql: string, params: unknown[] = []) => db.pool.query(sql, params);
    const now = Date.now();
    const ago = (h: number) => new Date(now - h * 3_600_000);
    await q(`INSERT INTO "Community" (code, name) VALUES ('HT01', '一社区'), ('HT02', '二社区')`);
    const [c1, c2] = (await q(`SELECT id FROM "Community" ORDER BY code`)).rows.map((r) => r.id as number);
    await q(`INSERT INTO "Group" (platform, "externalId", "communityId") VALUES ('web', 'g1', $1), ('web', 'g2', $2), ('web', 'loose', NULL)`, [c1, c2]);
    const person = async (user: string) => {
      const id = (await q(`INSERT INTO "Person" ("displayName") VALUES ($1) RETURNING id`, [user])).rows[0].id as number;
      await q(`INSERT INTO "Identity" ("personId", platform, "externalId") VALUES ($1, 'web', $2)`, [id, user]);
      return id;
    };
    const zhang = await person('zhang');
    const liu = await person('liu');
    const sun = await person('sun');
    let m = 0;
    const said = (user: string, chat: string, at: Date) =>
      q(`INSERT INTO "InboundMessage" (platform, "externalId", "chatId", "userId", "receivedAt") VALUES ('web', $1, $2, $3, $4)`, [`m${++m}`, chat, user, at]);
    await said('zhang', 'g1', ago(50));
    await said('zhang', 'g1', ago(10));
    await said('zhang', 'g2', ago(5));
    await said('liu', 'g1', ago(30));
    await said('sun', 'dm:sun', ago(40)); // private
    await said('sun', 'loose', ago(40)); // an unbound group
    // A round whose vote opened 20 hours ago.
    const roundId = (await q(`INSERT INTO "ProposalRound" ("communityId", number, title, "budgetFen", phase, "votingAt") VALUES ($1, 1, '第一轮', 100000, 'voting', $2) RETURNING id`, [c1, ago(20)])).rows[0].id;
    await q(`INSERT INTO "Proposal" ("roundId", number, title, "authorId", "requestedFen", status) VALUES ($1, 1, '图书角', $2, 20000, 'approved')`, [roundId, zhang]);

    await migrate(db.pool, { log: () => undefined });

    const members = (await q(`SELECT id, "personId", "communityId", "firstSeenAt" FROM "CommunityMember" ORDER BY id`)).rows;
    expect(members.map((r) => [r.personId, r.communityId, (r.firstSeenAt as Date).getTime()])).toEqual([
      [zhang, c1, ago(50).getTime()],
      [liu, c1, ago(30).getTime()],
      [zhang, c2, ago(5).getTime()],
    ]);
    expect(members.some((r) => r.personId === sun)).toBe(false);
    // Seen before the vote opened: zhang and liu in HT01 (member ids up to the round's mark).
    const round = (await q(`SELECT "voterMaxMemberId" FROM "ProposalRound"`)).rows[0];
    expect(round.voterMaxMemberId).toBe(members[1].id);
    // The street-rounds migration: the round stays the community's, its proposal made there.
    expect((await q(`SELECT "communityId", "streetId" FROM "ProposalRound"`)).rows).toEqual([{ communityId: c1, streetId: null }]);
    expect((await q(`SELECT "communityId" FROM "Proposal"`)).rows).toEqual([{ communityId: c1 }]);
  });
});
