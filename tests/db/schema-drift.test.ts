import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_PATH, diffMigrationsToSchema } from '../../scripts/schema-diff.ts';

describe('prisma/migrations', () => {
  it('produce exactly prisma/schema.prisma', async () => {
    const sql = await diffMigrationsToSchema();
    expect(sql, 'prisma/schema.prisma changed without a migration: run `npm run migration:new -- <name>`').toBe('');
  });

  it('are found wanting when the schema gains a model (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-schema-'));
    try {
      const schemaPath = join(dir, 'schema.prisma');
      writeFileSync(schemaPath, `${readFileSync(DEFAULT_SCHEMA_PATH, 'utf8')}\nmodel DriftProbe {\n  id Int @id\n}\n`);
      const sql = await diffMigrationsToSchema({ schemaPath });
      expect(sql).toContain('CREATE TABLE "DriftProbe"');
      expect(sql).not.toContain('CREATE SCHEMA');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
