// A fresh, migrated schema of its own for each caller, in the real PostgreSQL, so test files
// run in parallel: `const db = await createTestDatabase(); … await db.drop();`
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/prisma.ts';

export type TestDatabase = DatabaseHandle & {
  /** The server URL (no schema in it): `openDatabase(db.url, { schema: db.schema })` opens the same data. */
  url: string;
  /** Closes the handle and drops the schema with everything in it. */
  drop(): Promise<void>;
};

const CANDIDATE_URLS = process.env.TEST_DATABASE_URL
  ? [process.env.TEST_DATABASE_URL]
  : ['postgresql://postgres@127.0.0.1:5432/test', 'postgresql://root@127.0.0.1:5432/test'];

let serverUrl: Promise<string> | undefined;

/** The first candidate URL the server accepts (trust auth: user `postgres`, or else `root`). */
function findServerUrl(): Promise<string> {
  serverUrl ??= (async () => {
    const failures: string[] = [];
    for (const url of CANDIDATE_URLS) {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        return url;
      } catch (error) {
        failures.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new Error(`no test PostgreSQL reachable (set TEST_DATABASE_URL):\n  ${failures.join('\n  ')}`);
  })();
  serverUrl.catch(() => {
    serverUrl = undefined; // let a later call retry
  });
  return serverUrl;
}

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `migrate: false` leaves the schema empty (for tests of migrate() itself). */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const url = await findServerUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await run(url, `CREATE SCHEMA "${schema}"`);

  let handle: DatabaseHandle | undefined;
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      await handle?.close();
      await run(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    })());

  try {
    handle = openDatabase(url, { schema });
    if (opts.migrate !== false) await migrate(handle.pool);
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { ...handle, url, drop };
}

/**
 * A fresh, migrated schema like {@link createTestDatabase}'s, with a plain pg pool and no Prisma
 * client: for a benchmark's own bulk seeding, so that the process it measures holds only the
 * app's client (a second one weighs some 20 MB). `drop()` ends the pool and drops the schema.
 */
export async function createTestSchema(): Promise<{ url: string; schema: string; pool: pg.Pool; drop(): Promise<void> }> {
  const url = await findServerUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await run(url, `CREATE SCHEMA "${schema}"`);
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path="${schema}"` });
  pool.on('error', () => undefined);
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      await pool.end().catch(() => undefined);
      await run(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    })());
  try {
    await migrate(pool);
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { url, schema, pool, drop };
}

/**
 * A whole database of its own, for a process that works in the public schema (the CLI, `npm start`
 * with DATABASE_URL): `url` points at it; `drop()` removes it even while connections are open.
 */
export async function createScratchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = await findServerUrl();
  const name = `linli_${label}_${randomBytes(4).toString('hex')}`;
  await run(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
