// The one input cleaner (src/lib/clean-text.ts) and the CLI that uses it. Regression: names typed
// with right-to-left override characters went through the CLI into the database and the exports
// (a name reading "王书记" in a spreadsheet could be "记书王" underneath, or hide a formula).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanLine, cleanText, hasHostileChars } from '../../src/lib/clean-text.ts';
import { idParam, parseId } from '../../src/lib/id-schema.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts';
import { systemClock, type CoreContext } from '../../src/core/context.ts';
import { runCli } from '../../src/cli.ts';
import { exportSheet, toCsv } from '../../src/web/console/export-data.ts';
import { requireVisibleCommunity } from '../../src/core/roles/communities-visible-to.ts';
import { reportNeed } from '../../src/core/needs/report-need.ts';

const RLO = '\u202E';

describe('cleanText / cleanLine', () => {
  test.each([
    ['a\u0000b', 'ab'],
    ['\u0001\u0007\u001B[31m红\u007F\u0085\u009F', '[31m红'],
    [`王${RLO}记书\u202C`, '王记书'],
    ['\u202A\u202B\u202D\u2066\u2067\u2068\u2069x', 'x'],
    ['lone \uD800 high and \uDC00 low', 'lone  high and  low'],
    ['😀 emoji pairs stay, 👨‍👩‍👧 and ZWJ too', '😀 emoji pairs stay, 👨‍👩‍👧 and ZWJ too'],
    ['line1\r\nline2\rline3\n\tend', 'line1\nline2\nline3\n\tend'],
    ['楼道灯坏了，３号楼', '楼道灯坏了，３号楼'],
  ])('cleanText(%j) = %j', (input, output) => {
    expect(cleanText(input)).toBe(output);
  });

  test('cleanLine makes one line; hasHostileChars tells an id that would change', () => {
    expect(cleanLine('a\nb\tc\u0000')).toBe('a b c');
    expect(hasHostileChars('wang-shuji')).toBe(false);
    expect(hasHostileChars('wang\u0000')).toBe(true);
    expect(hasHostileChars(`x${RLO}`)).toBe(true);
    expect(hasHostileChars('\uDFFF')).toBe(true);
  });

  test('a long string (bodies are at most 256 KB) is cleaned whole', () => {
    const big = `${'楼\u0000'.repeat(200_000)}${RLO}`;
    expect(cleanText(big)).toBe('楼'.repeat(200_000));
  });

  test('ids: integers 1..2^31-1, anything else is no id', () => {
    expect(parseId('12')).toBe(12);
    expect(parseId(2147483647)).toBe(2147483647);
    for (const bad of ['2147483648', '99999999999', '0', '-1', '1.5', 'abc', '', '1e3', '12abc', null, undefined, [1], 2 ** 53 + 1]) expect(parseId(bad), String(bad)).toBeNull();
    expect(idParam.safeParse('2147483648').success).toBe(false);
  });
});

describe('CLI: names are cleaned before they are stored', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock: systemClock };
  });
  afterAll(async () => db?.drop());

  test('community, role, org and console user names with RLO, NUL and controls reach the database and the exports clean', async () => {
    const out: string[] = [];
    await runCli(['community', 'create', '--code', 'HT01', '--name', `回天${RLO}一社区\u0007`], ctx, (l) => out.push(l));
    await runCli(['role', 'grant', '--community', 'HT01', '--role', 'worker', '--platform', 'web', '--user', 'wang', '--name', `王${RLO}记书`], ctx, (l) => out.push(l));
    await runCli(['org', 'create', '--community', 'HT01', '--name', `夕阳${RLO}天使\u0000`], ctx, (l) => out.push(l));
    await runCli(['user', 'create', '--name', `${RLO}=1+1\u2066`, '--login', 'zhao', '--password', `pass${RLO}word-2026`], ctx, (l) => out.push(l));
    expect(out[0]).toMatch(/^community HT01 回天一社区 \(id \d+\)$/);
    const community = await db.prisma.community.findUniqueOrThrow({ where: { code: 'HT01' } });
    expect(community.name).toBe('回天一社区');
    const people = await db.prisma.person.findMany({ orderBy: { id: 'asc' }, select: { displayName: true } });
    expect(people.map((p) => p.displayName)).toEqual(['王记书', '=1+1']);
    expect((await db.prisma.organization.findFirstOrThrow()).name).toBe('夕阳天使');
    // The password is taken as typed (cleaning it would change it): the account signs in with exactly that.
    const { verifyPassword } = await import('../../src/core/console-users/passwords.ts');
    const zhao = await db.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'zhao' } });
    expect(await verifyPassword(zhao.passwordHash, `pass${RLO}word-2026`)).toBe(true);

    // What a worker exports carries no bidi override either.
    const person = (await db.prisma.identity.findFirstOrThrow({ where: { externalId: 'wang' } })).personId;
    await reportNeed(ctx, { communityId: community.id, authorId: person, text: '3号楼楼道灯坏了' });
    const sheet = await exportSheet(ctx, await requireVisibleCommunity(ctx, person, 'HT01'), 'needs', { full: false });
    const csv = toCsv(sheet);
    expect(csv).toContain('王记书');
    expect(hasHostileChars(csv.replace(/\r\n/g, '\n'))).toBe(false);
  });
});
