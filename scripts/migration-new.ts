// npm run migration:new -- <name>   writes prisma/migrations/<UTC yyyymmddhhmmss>_<name>/migration.sql
//                                    with the SQL from the committed migrations to prisma/schema.prisma
// npm run migration:new -- --check  exits 1 (printing the SQL) when the committed migrations do not
//                                    produce prisma/schema.prisma, 0 when they do
//
// Like `prisma migrate dev --create-only`, without a database (see scripts/schema-diff.ts).
// The process exits explicitly: the schema engine's WebAssembly may leave a timer behind.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  DEFAULT_MIGRATIONS_DIR,
  MIGRATION_LOCK_TOML,
  ROOT_DIR,
  diffMigrationsToSchema,
} from './schema-diff.ts';

const USAGE = 'usage: npm run migration:new -- <name>\n       npm run migration:new -- --check';

/** Prisma's migration directory name: UTC timestamp, then the name slugified (at most 200 chars). */
function migrationDirectoryName(name: string, now = new Date()): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (slug === '') throw new Error(`migration name ${JSON.stringify(name)} has no letters or digits (use ASCII)`);
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14); // YYYYMMDDHHMMSS, UTC
  return `${stamp}_${slug}`;
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const names = argv.filter((arg) => !arg.startsWith('--'));
  if (argv.some((arg) => arg.startsWith('--') && arg !== '--check') || (check ? names.length > 0 : names.length !== 1)) {
    console.error(USAGE);
    return 2;
  }

  const sql = await diffMigrationsToSchema();

  if (check) {
    if (sql === '') {
      console.log('prisma/migrations match prisma/schema.prisma');
      return 0;
    }
    console.error('prisma/migrations do not produce prisma/schema.prisma; the missing migration would be:\n');
    console.log(sql);
    console.error('Run `npm run migration:new -- <name>` to write it.');
    return 1;
  }

  if (sql === '') {
    console.log('no schema changes');
    return 0;
  }

  const dirName = migrationDirectoryName(names[0]!);
  const existing = existsSync(DEFAULT_MIGRATIONS_DIR) ? readdirSync(DEFAULT_MIGRATIONS_DIR).filter((n) => /^\d{14}/.test(n)).sort() : [];
  const last = existing.at(-1);
  if (last !== undefined && dirName.slice(0, 14) <= last.slice(0, 14)) {
    console.error(`the newest migration ${last} is not older than ${dirName}; try again in a second (or check the clock)`);
    return 1;
  }

  const dir = join(DEFAULT_MIGRATIONS_DIR, dirName);
  mkdirSync(dir, { recursive: true });
  const lock = join(DEFAULT_MIGRATIONS_DIR, 'migration_lock.toml');
  if (!existsSync(lock)) writeFileSync(lock, MIGRATION_LOCK_TOML);
  writeFileSync(join(dir, 'migration.sql'), sql);
  console.log(`wrote ${relative(ROOT_DIR, join(dir, 'migration.sql'))}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
