// Small pieces of the console: the one escaping helper, CSV for Excel, the i18n catalogue,
// passwords, and the first-start administrator.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { html, jsonScript, raw, safePath } from '../../../src/web/console/html.ts';
import { toCsv } from '../../../src/web/console/export-data.ts';
import { translate } from '../../../src/web/console/i18n.ts';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../../src/core/console-users/passwords.ts';
import { createConsoleUser, ensureFirstConsoleAdmin } from '../../../src/core/console-users/console-users.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db.ts';
import { systemClock, type CoreContext } from '../../../src/core/context.ts';
import { runCli } from '../../../src/cli.ts';
import { createCommunity } from '../../../src/core/communities/create-community.ts';
import { ensurePerson } from '../../../src/core/people/resolve-person.ts';

describe('html', () => {
  test('every interpolation is escaped, in text and attributes; html and raw values are kept', () => {
    const evil = `<script>alert(1)</script>"'\`&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&#96;&amp;">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&#96;&amp;</p>',
    );
    expect(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
    expect(html`${null}${undefined}${false}${0}${raw('<br>')}`.value).toBe('0<br>');
  });
  test('jsonScript cannot be closed by data; safePath refuses other sites', () => {
    const s = jsonScript('d', { x: '</script><script>alert(1)</script>', y: '\u2028' }).value;
    expect(s).not.toContain('</script><script>');
    expect(JSON.parse(s.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, ''))).toEqual({ x: '</script><script>alert(1)</script>', y: '\u2028' });
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', 'javascript:alert(1)', '']) expect(safePath(bad)).toBe('/console/');
    expect(safePath('/console/c/HT01?x=1')).toBe('/console/c/HT01?x=1');
  });
});

describe('CSV for Excel', () => {
  test('BOM, CRLF, quoting, and formula-looking cells defused', () => {
    const csv = toCsv({ name: 's', columns: [{ header: '内容', width: 1 }, { header: '人数', width: 1 }], rows: [['=HYPERLINK("x")', 3], ['a,"b"\nc', null], ['-1+2', -1]] });
    expect(csv).toBe('\uFEFF内容,人数\r\n"\'=HYPERLINK(""x"")",3\r\n"a,""b""\nc",\r\n\'-1+2,-1\r\n');
  });
});

describe('i18n', () => {
  test('Simplified by default, Traditional by OpenCC, English; parameters kept as given', () => {
    expect(translate('zh-Hans', 'merged', { from: '#3', into: 2, count: 4 })).toBe('已把 #3 合并到 #2，现在 4 人同求');
    expect(translate('zh-Hant', 'needsTitle')).toBe('需求清單');
    expect(translate('zh-Hant', 'granted', { login: 'wang', scope: '回天一社区' })).toBe('已為 wang 授權：回天一社区');
    expect(translate('en', 'loginLocked', { minutes: 15 })).toBe('Too many attempts: locked for now, try again in 15 minutes');
  });
});

describe('console accounts', () => {
  let db: TestDatabase;
  let ctx: CoreContext;
  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = { prisma: db.prisma, clock: systemClock };
  });
  afterAll(async () => db?.drop());

  test('passwords: argon2id, salted, verified; weak ones refused; generated ones long', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(a, 'wrong')).toBe(false);
    expect(await verifyPassword(null, 'anything')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
    expect(passwordProblem('short', 'x')).toBe('short');
    expect(passwordProblem('wang-shuji', 'WANG-SHUJI')).toBe('same_as_login');
    expect(generatePassword()).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
  });

  test('the first start makes one administrator, once', async () => {
    const first = await ensureFirstConsoleAdmin(ctx);
    expect(first).toMatchObject({ login: 'admin', password: expect.stringMatching(/^.{16}$/) });
    expect(await ensureFirstConsoleAdmin(ctx)).toBeNull();
    const row = await db.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'admin' } });
    expect(row.isAdmin).toBe(true);
    expect(row.passwordHash).not.toContain(first?.password ?? '?');
    expect(await db.prisma.auditLog.count({ where: { action: 'consoleuser.create' } })).toBe(1);
  });

  test('CLI: user create links a chat identity and grants a community, street or district role', async () => {
    await createCommunity(ctx, { code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' });
    const wangPerson = await ensurePerson(ctx, 'web', 'wang-shuji', '王书记');
    const out: string[] = [];
    await runCli(['user', 'create', '--community', 'HT01', '--role', 'worker', '--name', '王书记', '--password', 'wang-secret-123', '--platform', 'web', '--user', 'wang-shuji'], ctx, (l) => out.push(l));
    expect(out).toEqual([`console user wang-shuji (person ${wangPerson}, web:wang-shuji): worker of 回天一社区`]);
    await runCli(['user', 'create', '--street', '霍营街道', '--name', '赵科长', '--login', 'zhao'], ctx, (l) => out.push(l));
    expect(out[1]).toMatch(/^console user zhao \(person \d+\): worker of 霍营街道$/);
    expect(out[2]).toMatch(/^password: .{16}$/);
    await runCli(['user', 'create', '--district', '昌平区', '--role', 'viewer', '--name', '区里', '--login', 'qu', '--password', 'district-pass-1', '--admin'], ctx, (l) => out.push(l));
    expect(out.at(-1)).toContain('viewer of 昌平区, console administrator');
    const wang = await db.prisma.consoleUser.findUniqueOrThrow({ where: { login: 'wang-shuji' }, include: { person: { include: { roles: true } } } });
    expect(wang.personId).toBe(wangPerson);
    expect(wang.person.roles.map((r) => r.role)).toEqual(['worker']);
    await expect(runCli(['user', 'create', '--name', 'x', '--login', 'wang-shuji', '--password', 'another-pass-1'], ctx, () => undefined)).rejects.toMatchObject({ code: 'CONFLICT' });
    await runCli(['user', 'password', '--login', 'zhao', '--password', 'zhao-new-pass-1'], ctx, (l) => out.push(l));
    expect(out.at(-1)).toBe('password of zhao changed; its sessions end');
  });
});
