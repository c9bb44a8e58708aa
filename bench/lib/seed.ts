// Bulk seeding of a fresh schema with raw SQL (seconds for tens of thousands of rows): communities,
// bound web groups, people with web identities and a home community, one worker per community,
// and some open needs per community. Ids are explicit (the schema is fresh) so the traffic
// generator knows them without reading them back.
import type pg from 'pg';
import { classifyNeed } from '../../src/core/needs/classify-need.ts';
import { needSignature } from '../../src/core/needs/similar-need.ts';
import { fill, nameSuffixes, needFamilies, surnames } from './corpus.ts';
import { rng } from './stats.ts';

export interface WorldSpec {
  communities: number;
  groupsPerCommunity: number;
  persons: number;
  needsPerCommunity: number;
  seed?: number;
}

export interface World extends WorldSpec {
  /** Group external id (the web conversation) of group g (1-based) of community c (1-based). */
  groupConversation(c: number, g: number): string;
  /** Person i (1-based): web user id, display name and community. */
  person(i: number): { userId: string; name: string; community: number; groups: [number, number] };
  groupCount: number;
}

export function describeWorld(spec: WorldSpec): World {
  const names: string[] = [];
  const rand = rng(spec.seed ?? 7);
  for (let i = 1; i <= spec.persons; i++) {
    names.push(surnames.charAt(Math.floor(rand() * surnames.length)) + nameSuffixes[Math.floor(rand() * nameSuffixes.length)]!);
  }
  const G = spec.groupsPerCommunity;
  return {
    ...spec,
    groupCount: spec.communities * G,
    groupConversation: (c, g) => `c${c}-g${g}`,
    person: (i) => ({
      userId: `p${i}`,
      name: names[i - 1]!,
      community: ((i - 1) % spec.communities) + 1,
      // The two groups this person talks in: their building's group and one other.
      groups: [((i * 7) % G) + 1, ((i * 13 + 5) % G) + 1],
    }),
  };
}

export async function seedWorld({ pool }: { pool: pg.Pool }, world: World): Promise<{ ms: number }> {
  const t0 = performance.now();
  const C = world.communities;
  const G = world.groupsPerCommunity;
  const P = world.persons;
  const N = world.needsPerCommunity;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "Community" (id, code, name, "needSeq")
       SELECT i, 'BC' || lpad(i::text, 4, '0'), '幸福里第' || i || '社区', $2 FROM generate_series(1, $1::int) i`,
      [C, N],
    );
    await client.query(
      `INSERT INTO "Group" (id, platform, "externalId", title, "communityId", building, "boundAt")
       SELECT (c - 1) * $2 + g, 'web', 'c' || c || '-g' || g, g || '号楼邻里群', c, g || '号楼', now()
       FROM generate_series(1, $1::int) c CROSS JOIN generate_series(1, $2::int) g`,
      [C, G],
    );
    const ids: number[] = [];
    const names: string[] = [];
    const homes: number[] = [];
    const users: string[] = [];
    for (let i = 1; i <= P; i++) {
      const p = world.person(i);
      ids.push(i);
      names.push(p.name);
      homes.push(p.community);
      users.push(p.userId);
    }
    await client.query(
      `INSERT INTO "Person" (id, "displayName", "homeCommunityId")
       SELECT * FROM unnest($1::int[], $2::text[], $3::int[])`,
      [ids, names, homes],
    );
    await client.query(
      `INSERT INTO "Identity" (id, "personId", platform, "externalId", "displayName")
       SELECT id, id, 'web', ext, name FROM unnest($1::int[], $2::text[], $3::text[]) AS s(id, ext, name)`,
      [ids, users, names],
    );
    const rand = rng((world.seed ?? 7) + 1);
    const need = { id: [] as number[], community: [] as number[], number: [] as number[], author: [] as number[], group: [] as number[] };
    const needText: string[] = [];
    const needCategory: string[] = [];
    const needSig: string[] = [];
    let id = 0;
    for (let c = 1; c <= C; c++) {
      for (let n = 1; n <= N; n++) {
        const family = needFamilies[(c + n) % needFamilies.length]!;
        const g = 1 + Math.floor(rand() * G);
        const text = fill(family[0]!, rand, 1 + Math.floor(rand() * 30));
        need.id.push(++id);
        need.community.push(c);
        need.number.push(n);
        need.author.push(c + C * Math.floor(rand() * Math.max(1, Math.floor(P / C)))); // someone of community c
        need.group.push((c - 1) * G + g);
        needText.push(text);
        needCategory.push(classifyNeed(text).category);
        needSig.push(JSON.stringify(needSignature(text)));
      }
    }
    if (id > 0) {
      await client.query(
        `INSERT INTO "Need" (id, "communityId", number, "authorId", "groupId", text, category, signature, "supportCount")
         SELECT id, c, num, a, g, t, cat, sig::jsonb, 1
         FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[])
           AS s(id, c, num, a, g, t, cat, sig)`,
        [need.id, need.community, need.number, need.author, need.group, needText, needCategory, needSig],
      );
      await client.query(`INSERT INTO "NeedSupport" ("needId", "personId") SELECT id, "authorId" FROM "Need"`);
    }
    // Person c lives in community c: make them its worker (the row grantRole would write; calling
    // grantRole itself costs ~30 ms of CPU and ~8 MB of garbage per call, see the report).
    await client.query(
      `INSERT INTO "RoleGrant" ("personId", role, scope, "communityId") SELECT c, 'worker', 'community:' || c, c FROM generate_series(1, $1::int) c`,
      [Math.min(C, P)],
    );
    for (const table of ['Community', 'Group', 'Person', 'Identity', 'Need']) {
      await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST(1, (SELECT max(id) FROM "${table}")))`);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  await pool.query('ANALYZE');
  return { ms: performance.now() - t0 };
}

