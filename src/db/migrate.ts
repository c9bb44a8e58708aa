// Applies the committed prisma/migrations/*/migration.sql that a database has not seen yet, into
// the first schema of the pool's search_path, keeping Prisma's `_prisma_migrations` table exactly
// as `prisma migrate deploy` keeps it (same DDL, same checksums, same advisory lock), so that
// either tool can take over from the other. Write new migrations with `npm run migration:new`.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The key of the advisory lock `prisma migrate deploy` takes: both serialize on it. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;
const LOCK_TIMEOUT = '120s';

const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** Prisma's own DDL for its migrations table on PostgreSQL (schema engine, postgres flavour). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrateOptions {
  /** Defaults to this repository's prisma/migrations, wherever the process runs from. */
  migrationsDir?: string;
  /** Progress lines, and lines starting with "warning:". Default: only the warnings, to stderr. */
  log?: (line: string) => void;
}

interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

export async function migrate(pool: pg.Pool, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log =
    opts.log ??
    ((line: string) => {
      if (line.startsWith('warning:')) console.warn(line);
    });
  const migrations = readMigrations(resolve(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR));

  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    const schema = rows[0]?.schema;
    if (!schema) throw new Error('migrate: no schema of the search_path exists; create it first');

    await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    } catch (error) {
      throw new Error(
        `migrate: could not take the migration advisory lock ${PRISMA_ADVISORY_LOCK_KEY} within ${LOCK_TIMEOUT}: ${message(error)}`,
        { cause: error },
      );
    }
    await client.query('RESET lock_timeout');
    try {
      const applied = await applyPending(client, schema, migrations, log);
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    // The connection is closed rather than pooled: whatever a migration SET, and the advisory
    // lock if unlocking failed, go with it.
    client.release(true);
  }
}

async function applyPending(
  client: pg.PoolClient,
  schema: string,
  migrations: MigrationFile[],
  log: (line: string) => void,
): Promise<string[]> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = '_prisma_migrations'`,
    [schema],
  );
  if (!rowCount) await client.query(CREATE_MIGRATIONS_TABLE);

  const { rows } = await client.query<MigrationRow>(
    `SELECT migration_name, checksum, started_at, finished_at, rolled_back_at, logs
       FROM _prisma_migrations ORDER BY started_at`,
  );

  const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length > 0) {
    const list = failed
      .map((row) => `  ${row.migration_name} (started ${row.started_at.toISOString()})${row.logs ? `: ${row.logs.trim()}` : ''}`)
      .join('\n');
    throw new Error(
      `migrate: schema "${schema}" has failed migrations, so no new migration is applied:\n${list}\n` +
        'Fix the database by hand, then record the outcome with ' +
        '`npx prisma migrate resolve --rolled-back <name>` (to run it again) or `--applied <name>`.',
    );
  }

  const recorded = new Map<string, MigrationRow>();
  for (const row of rows) if (row.rolled_back_at === null) recorded.set(row.migration_name, row);

  const applied: string[] = [];
  for (const migration of migrations) {
    const row = recorded.get(migration.name);
    if (row) {
      if (!checksumMatches(migration.script, row.checksum)) {
        log(
          `warning: migration ${migration.name} was modified after it was applied to schema "${schema}" ` +
            '(checksum differs); it is not applied again',
        );
      }
      continue;
    }
    await applyOne(client, schema, migration, log);
    applied.push(migration.name);
  }
  return applied;
}

/** One migration and its row, in one transaction. */
async function applyOne(client: pg.PoolClient, schema: string, migration: MigrationFile, log: (line: string) => void) {
  const id = randomUUID();
  const started = Date.now();
  log(`applying migration ${migration.name} to schema "${schema}"`);
  try {
    await client.query('BEGIN');
    await client.query(
      'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, clock_timestamp())',
      [id, migration.checksum, migration.name],
    );
    // No parameters: the simple query protocol, which runs a multi-statement script.
    await client.query(migration.script);
    await client.query(
      'UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // A script with its own COMMIT (Prisma writes BEGIN/COMMIT around some enum changes) may have
    // committed part of itself and the row: then the row stays, failed, as Prisma would leave it.
    const logged = await client
      .query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1 AND finished_at IS NULL', [id, message(error)])
      .then((result) => (result.rowCount ?? 0) > 0)
      .catch(() => false);
    throw new Error(
      `migrate: migration ${migration.name} failed on schema "${schema}": ${message(error)}` +
        (logged
          ? ' (part of it was committed; it is recorded as failed in _prisma_migrations)'
          : ' (rolled back; nothing of it was applied)'),
      { cause: error },
    );
  }
  log(`applied migration ${migration.name} in ${Date.now() - started} ms`);
}

function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`migrate: migrations directory ${dir} does not exist`);
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name) => {
      const file = join(dir, name, 'migration.sql');
      if (!existsSync(file)) throw new Error(`migrate: ${file} does not exist`);
      const bytes = readFileSync(file);
      return { name, script: bytes.toString('utf8'), checksum: sha256(bytes) };
    });
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * As Prisma compares: the file as is, or with its line endings changed either way (git may
 * convert them), and old rows may hold the digest without zero padding.
 */
function checksumMatches(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant).digest();
    const rendered =
      checksum.length === 64 ? digest.toString('hex') : [...digest].map((byte) => byte.toString(16)).join('');
    return rendered === checksum;
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where a database stands against the committed migrations; read only (no lock, nothing applied). */
export interface MigrationStatus {
  /** Committed migrations the database has finished. */
  applied: string[];
  /** Committed migrations it has not seen: the next start (or `npm run cli -- migrate`) applies them. */
  pending: string[];
  /** Started and never finished nor rolled back: nothing more is applied until fixed by hand. */
  failed: string[];
  /** Finished in the database but not in this code: the database is newer than the code. */
  unknown: string[];
}

/** The migration status of the pool's first search_path schema, for `doctor`. */
export async function migrationStatus(pool: pg.Pool, opts: { migrationsDir?: string } = {}): Promise<MigrationStatus> {
  const names = readMigrations(resolve(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR)).map((m) => m.name);
  const { rows: tables } = await pool.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '_prisma_migrations') AS present`,
  );
  if (!tables[0]?.present) return { applied: [], pending: names, failed: [], unknown: [] };
  const { rows } = await pool.query<Pick<MigrationRow, 'migration_name' | 'finished_at' | 'rolled_back_at'>>(
    'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations',
  );
  const finished = new Set(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name));
  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null).map((r) => r.migration_name);
  const known = new Set(names);
  return {
    applied: names.filter((n) => finished.has(n)),
    pending: names.filter((n) => !finished.has(n) && !failed.includes(n)),
    failed,
    unknown: [...finished].filter((n) => !known.has(n)).sort(),
  };
}
