import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MIGRATIONS_DIR = join(ROOT, 'prisma', 'migrations');
const committed = readdirSync(MIGRATIONS_DIR)
  .filter((name) => statSync(join(MIGRATIONS_DIR, name)).isDirectory())
  .sort();

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const opened: TestDatabase[] = [];
async function fresh(migrated: boolean): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate: migrated });
  opened.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(opened.map((db) => db.drop()));
});

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}
async function rows(db: TestDatabase): Promise<Row[]> {
  const result = await db.pool.query<Row>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY migration_name',
  );
  return result.rows;
}

describe('migrate() with the committed migrations', () => {
  it('creates the tables in a fresh schema, usable through Prisma', async () => {
    const db = await fresh(true);
    const community = await db.prisma.community.create({ data: { code: 'c1', name: '幸福社区' } });
    expect(await db.prisma.community.findUnique({ where: { code: 'c1' } })).toMatchObject({
      id: community.id,
      name: '幸福社区',
      timezone: 'Asia/Shanghai',
    });
    const { rows: tables } = await db.pool.query<{ schemaname: string }>(
      `SELECT schemaname FROM pg_tables WHERE tablename = 'Community' AND schemaname = $1`,
      [db.schema],
    );
    expect(tables).toHaveLength(1);
  });

  it('records one finished row per migration directory, with the checksum Prisma computes', async () => {
    const db = await fresh(true);
    expect(committed.length).toBeGreaterThan(0);
    expect(await rows(db)).toEqual(
      committed.map((name) => ({
        migration_name: name,
        checksum: sha256(join(MIGRATIONS_DIR, name, 'migration.sql')),
        finished_at: expect.any(Date),
        rolled_back_at: null,
        applied_steps_count: 1,
        logs: null,
      })),
    );
    const { rows: columns } = await db.pool.query(
      `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
         FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      [db.schema],
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', character_maximum_length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', character_maximum_length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', character_maximum_length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO', column_default: '0' },
    ]);
  });

  it('applies nothing the second time', async () => {
    const db = await fresh(true);
    const before = await rows(db);
    expect(await migrate(db.pool)).toEqual({ applied: [] });
    expect(await rows(db)).toEqual(before);
  });

  it('lets two concurrent callers on one fresh schema both succeed, applying each migration once', async () => {
    const db = await fresh(false);
    const results = await Promise.all([migrate(db.pool), migrate(db.pool)]);
    expect(results.flatMap((result) => result.applied).sort()).toEqual(committed);
    expect(results.some((result) => result.applied.length === 0)).toBe(true);
    expect((await rows(db)).map((row) => row.migration_name)).toEqual(committed);
  });

  it('waits on the advisory lock `prisma migrate deploy` takes: nothing is applied while another migrator holds it', async () => {
    const db = await fresh(false);
    // The migrator's own pool, named, so its backend is found among other test files' migrations.
    const name = `linli-migrate-lock-${db.schema}`;
    const pool = new pg.Pool({ connectionString: db.url, options: `-c search_path="${db.schema}"`, application_name: name, max: 1 });
    const holder = await db.pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      const running = migrate(pool);
      const waiting = async () =>
        (
          await holder.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
              WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = 72707369 AND NOT l.granted AND a.application_name = $1`,
            [name],
          )
        ).rows[0]!.n;
      for (let i = 0; (await waiting()) === 0; i++) {
        if (i > 500) throw new Error('migrate() never waited on the advisory lock');
        await new Promise((r) => setTimeout(r, 10));
      }
      const { rowCount } = await holder.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1`, [db.schema]);
      expect(rowCount).toBe(0);
      await holder.query('SELECT pg_advisory_unlock(72707369)');
      expect(await running).toEqual({ applied: committed });
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      holder.release();
      await pool.end();
    }
  });

  it('finds the migrations by its own location when the process runs elsewhere', async () => {
    const db = await fresh(false);
    const dir = mkdtempSync(join(tmpdir(), 'linli-migrate-cwd-'));
    try {
      const script = join(dir, 'run.mts'); // no package.json there: .mts makes it ESM
      writeFileSync(
        script,
        `import { migrate } from ${JSON.stringify(join(ROOT, 'src/db/migrate.ts'))};
import { openDatabase } from ${JSON.stringify(join(ROOT, 'src/db/prisma.ts'))};
const db = openDatabase(process.argv[2]!, { schema: process.argv[3]! });
const result = await migrate(db.pool);
await db.close();
console.log(JSON.stringify(result));
`,
      );
      const child = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, db.url, db.schema], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout.trim())).toEqual({ applied: committed });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migrate() with a migrations directory of its own', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function migrationsDir(migrations: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'linli-migrations-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    for (const [name, sql] of Object.entries(migrations)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'migration.sql'), sql);
    }
    return dir;
  }

  it('applies only the new ones, in name order', async () => {
    const db = await fresh(false);
    const dir = migrationsDir({ '20240101000000_a': 'CREATE TABLE a (id int);' });
    expect(await migrate(db.pool, { migrationsDir: dir })).toEqual({ applied: ['20240101000000_a'] });
    mkdirSync(join(dir, '20240102000000_b'));
    writeFileSync(join(dir, '20240102000000_b', 'migration.sql'), 'CREATE TABLE b (id int REFERENCES a (id) ON DELETE CASCADE);\nALTER TABLE a ADD PRIMARY KEY (id);');
    mkdirSync(join(dir, '20240101120000_c'));
    writeFileSync(join(dir, '20240101120000_c', 'migration.sql'), "COMMENT ON TABLE a IS 'semi;colon';");
    // b references a's primary key, which b itself adds after: fails unless statements run in order.
    await expect(migrate(db.pool, { migrationsDir: dir })).rejects.toThrow(/20240102000000_b failed.*rolled back/);
    writeFileSync(join(dir, '20240102000000_b', 'migration.sql'), 'ALTER TABLE a ADD PRIMARY KEY (id);\nCREATE TABLE b (id int REFERENCES a (id));');
    expect(await migrate(db.pool, { migrationsDir: dir })).toEqual({ applied: ['20240102000000_b'] });
    expect((await rows(db)).map((row) => row.migration_name)).toEqual(['20240101000000_a', '20240101120000_c', '20240102000000_b']);
  });

  it('rolls a failed migration back entirely and records nothing', async () => {
    const db = await fresh(false);
    const dir = migrationsDir({ '20240101000000_bad': 'CREATE TABLE x (id int);\nSELECT no_such_function();' });
    await expect(migrate(db.pool, { migrationsDir: dir })).rejects.toThrow(
      /migration 20240101000000_bad failed on schema "t_[0-9a-f]+": function no_such_function\(\) does not exist \(rolled back/,
    );
    expect(await rows(db)).toEqual([]);
    const { rowCount } = await db.pool.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'x'`, [db.schema]);
    expect(rowCount).toBe(0);
  });

  it('warns about a migration changed after it was applied, and does not apply it again', async () => {
    const db = await fresh(false);
    const dir = migrationsDir({ '20240101000000_a': 'CREATE TABLE a (id int);' });
    await migrate(db.pool, { migrationsDir: dir });
    writeFileSync(join(dir, '20240101000000_a', 'migration.sql'), 'CREATE TABLE a (id bigint);');
    const lines: string[] = [];
    expect(await migrate(db.pool, { migrationsDir: dir, log: (line) => lines.push(line) })).toEqual({ applied: [] });
    expect(lines).toEqual([expect.stringMatching(/^warning: migration 20240101000000_a was modified after it was applied/)]);
  });

  it('accepts a checksum of the same file with other line endings, as Prisma does', async () => {
    const db = await fresh(false);
    const dir = migrationsDir({ '20240101000000_a': 'CREATE TABLE a (id int);\n' });
    await migrate(db.pool, { migrationsDir: dir });
    writeFileSync(join(dir, '20240101000000_a', 'migration.sql'), 'CREATE TABLE a (id int);\r\n');
    const lines: string[] = [];
    expect(await migrate(db.pool, { migrationsDir: dir, log: (line) => lines.push(line) })).toEqual({ applied: [] });
    expect(lines).toEqual([]);
  });

  it('refuses to go on past a failed migration row', async () => {
    const db = await fresh(false);
    const dir = migrationsDir({ '20240101000000_a': 'CREATE TABLE a (id int);', '20240102000000_b': 'CREATE TABLE b (id int);' });
    await migrate(db.pool, { migrationsDir: dir });
    await db.pool.query(
      `UPDATE _prisma_migrations SET finished_at = NULL, logs = 'boom' WHERE migration_name = '20240102000000_b'`,
    );
    mkdirSync(join(dir, '20240103000000_c'));
    writeFileSync(join(dir, '20240103000000_c', 'migration.sql'), 'CREATE TABLE c (id int);');
    await expect(migrate(db.pool, { migrationsDir: dir })).rejects.toThrow(
      /has failed migrations, so no new migration is applied:\n {2}20240102000000_b \(started .*\): boom/,
    );
    // Once resolved as Prisma would (`migrate resolve --rolled-back`), it is applied again.
    await db.pool.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20240102000000_b'`);
    await db.pool.query('DROP TABLE b');
    expect(await migrate(db.pool, { migrationsDir: dir })).toEqual({ applied: ['20240102000000_b', '20240103000000_c'] });
  });
});
