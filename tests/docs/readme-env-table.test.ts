// README.md's table of environment variables is generated from the zod schemas
// (`npm run docs:env`): this fails when someone adds, renames or re-describes a variable, or
// changes a default, without regenerating it (`npm run docs:env -- --write`).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { envSchema } from '../../src/config.ts';
import { END_MARKER, README, START_MARKER, envTableMarkdown, readmeTable } from '../../scripts/env-table.ts';

describe('README.md, Environment variables', () => {
  const readme = readFileSync(README, 'utf8');

  test('is exactly what npm run docs:env prints', () => {
    const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['docs:env']).toBe('node --import tsx scripts/env-table.ts');
    expect(readme).toContain(START_MARKER);
    expect(readme).toContain(END_MARKER);
    expect(readmeTable(readme), 'run `npm run docs:env -- --write` and commit README.md').toBe(envTableMarkdown());
  });

  test('names every variable loadConfig reads, with its default', () => {
    const table = envTableMarkdown();
    for (const name of Object.keys(envSchema.shape)) expect(table).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    expect(table).toContain('| `REDIS_URL` | `redis://127.0.0.1:6379` |');
    expect(table).toContain('| `LINLI_ROLES` | `bots,workers,web` |');
    expect(table).toContain('| `TELEGRAM_WEBHOOK_URL` | — |');
  });
});
