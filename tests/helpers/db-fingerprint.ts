// A fingerprint of everything a test's schema holds: per table, its row count and an md5 over
// every row (as text, in a fixed order). Two fingerprints that differ name the tables that changed,
// so a test can say "refused, and nothing changed" and show what did when it did.
import type { PrismaClient } from '../../src/db/prisma.ts';

/** Per table (by name): how many rows and a digest of them all. */
export type DbFingerprint = Record<string, { rows: number; md5: string }>;

/** The base tables of the current schema (the one Prisma's search_path points at), by name. */
async function tablesOf(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ table_name: string }>>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Every table of the schema, counted and digested in one statement (one snapshot). */
export async function dbFingerprint(prisma: PrismaClient): Promise<DbFingerprint> {
  const tables = await tablesOf(prisma);
  if (tables.length === 0) throw new Error('dbFingerprint: the schema has no tables');
  const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
  const parts = tables.map(
    (t) => `SELECT '${t.replace(/'/g, "''")}'::text AS t, count(*)::int AS n, md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS d FROM ${quote(t)} x`,
  );
  const rows = await prisma.$queryRawUnsafe<Array<{ t: string; n: number; d: string }>>(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, { rows: Number(r.n), md5: r.d }]));
}

/** The names of the tables whose rows differ between two fingerprints, sorted. */
export function changedTables(before: DbFingerprint, after: DbFingerprint): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((t) => before[t]?.md5 !== after[t]?.md5 || before[t]?.rows !== after[t]?.rows)
    .sort();
}

/** The changed tables as a failure message shows them: "AuditLog (12 → 13 rows), Person (4 → 4 rows)". */
export function describeChanges(before: DbFingerprint, after: DbFingerprint): string {
  const changed = changedTables(before, after);
  if (changed.length === 0) return 'no table changed';
  return changed.map((t) => `${t} (${before[t]?.rows ?? 'absent'} → ${after[t]?.rows ?? 'absent'} rows)`).join(', ');
}
