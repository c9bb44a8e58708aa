// The layering ARCHITECTURE.md promises, checked on the source: which folder may import which.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : filesUnder(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Each file's imports, resolved to paths relative to the repository root (packages as written). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2] ?? '');
  return specs.map((s) => (s.startsWith('.') ? relative(root, resolve(dirname(file), s)) : s));
}

/** The files of `folder` that break `rule`, with the offending import. */
function breaking(folder: string, rule: (target: string) => boolean): string[] {
  return filesUnder(join(root, folder)).flatMap((f) => importsOf(f).filter(rule).map((t) => `${relative(root, f)} → ${t}`));
}

describe('layers (ARCHITECTURE.md "The layers")', () => {
  test('src/flows imports neither the Prisma client nor jobs/, and never reads ctx.prisma', () => {
    expect(breaking('src/flows', (t) => t.startsWith('jobs/') || t.startsWith('src/db/') || t.startsWith('src/generated/') || t.startsWith('@prisma/'))).toEqual([]);
    const prismaUse = filesUnder(join(root, 'src/flows')).filter((f) => /\.prisma\b/.test(readFileSync(f, 'utf8')));
    expect(prismaUse.map((f) => relative(root, f))).toEqual([]);
  });

  test('src/core imports nothing from src/bots, src/web, src/flows, src/notices or jobs/', () => {
    expect(breaking('src/core', (t) => /^(src\/(bots|web|flows|notices)\/|jobs\/)/.test(t))).toEqual([]);
  });

  test('src/notices depends only on core, lib and the catalogue', () => {
    expect(breaking('src/notices', (t) => /^(src\/(bots|web)\/|jobs\/)/.test(t) || (t.startsWith('src/flows/') && t !== 'src/flows/messages.ts'))).toEqual([]);
  });

  test('src/bots imports no flows, no core use case and no jobs/', () => {
    expect(breaking('src/bots', (t) => /^(src\/(flows|web|notices)\/|jobs\/)/.test(t) || (t.startsWith('src/core/') && t !== 'src/core/chat.ts'))).toEqual([]);
  });

  test('job names and queue options live only in jobs/: nothing outside adds to a BullMQ queue', () => {
    const outside = ['src/flows', 'src/core', 'src/web', 'src/notices'].flatMap((d) => filesUnder(join(root, d)));
    const adding = outside.filter((f) => /\.(addBulk|upsertJobScheduler)\(|queue\w*\.add\(/i.test(readFileSync(f, 'utf8')));
    expect(adding.map((f) => relative(root, f))).toEqual([]);
    // Bull Board (the console's admin view of the queues) and the app's wiring may know BullMQ; nothing else in src.
    expect(breaking('src', (t) => t === 'bullmq').filter((x) => !x.startsWith('src/web/console/') && !x.startsWith('src/app.ts'))).toEqual([]);
  });
});
