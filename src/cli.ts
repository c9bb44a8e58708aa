import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig } from './config.ts';
import { createLogger } from './lib/logger.ts';
import { isAppError } from './lib/errors.ts';
import { startDatabase } from './db/database.ts';
import { openDatabase } from './db/prisma.ts';
import { migrate } from './db/migrate.ts';
import { systemClock, type CoreContext } from './core/context.ts';
import { createCommunity } from './core/communities/create-community.ts';
import { grantRole } from './core/roles/grant-role.ts';
import { bindGroup } from './core/groups/bind-group.ts';
import { loadDemo } from './core/demo/load-demo.ts';

const usage = `Usage: npm run cli -- <command>

  community create --code HT01 --name 回天一社区 [--street 霍营街道] [--district 昌平区]
  role grant --community HT01 --role worker --platform telegram --user 12345 [--name 王书记]
  group bind --community HT01 --platform telegram --chat -1001 [--title 3号楼邻里群] [--building 3号楼]
  demo        load the demo data (what npm start loads on first run)
  migrate     apply the database migrations

Uses DATABASE_URL, or the embedded database under ./data (the running one, if npm start is up).`;

type Out = (line: string) => void;

/** One CLI command against a core context. Exported for tests; `main` wires it to the process. */
export async function runCli(argv: string[], ctx: CoreContext, out: Out): Promise<void> {
  const [noun, verb] = argv;
  const rest = argv.slice(verb && !verb.startsWith('--') ? 2 : 1);
  const key = `${noun ?? ''} ${verb && !verb.startsWith('--') ? verb : ''}`.trim();
  const opts = (names: string[]) =>
    parseArgs({
      args: joinNegativeValues(rest),
      options: Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;

  switch (key) {
    case 'community create': {
      const o = opts(['code', 'name', 'street', 'district', 'tz']);
      const c = await createCommunity(ctx, { code: need(o, 'code'), name: need(o, 'name'), street: o.street, district: o.district, timezone: o.tz });
      out(`community ${c.code} ${c.name} (id ${c.id})`);
      return;
    }
    case 'role grant': {
      const o = opts(['community', 'role', 'platform', 'user', 'name']);
      const g = await grantRole(ctx, {
        community: need(o, 'community'),
        role: need(o, 'role') as 'worker',
        platform: need(o, 'platform') as 'web',
        user: need(o, 'user'),
        name: o.name,
      });
      out(`role ${g.role} granted in ${o.community} to ${o.platform}:${o.user} (person ${g.personId})`);
      return;
    }
    case 'group bind': {
      const o = opts(['community', 'platform', 'chat', 'title', 'building']);
      const { group, community } = await bindGroup(ctx, {
        community: need(o, 'community'),
        platform: need(o, 'platform') as 'web',
        chat: need(o, 'chat'),
        title: o.title,
        building: o.building,
      });
      out(`group ${group.platform}:${group.externalId} bound to ${community.code} ${community.name}${group.building ? ` (${group.building})` : ''}`);
      return;
    }
    case 'demo': {
      const r = await loadDemo(ctx, { botName: loadConfig().botName });
      out(r.created ? 'demo data loaded: communities HT01, HT02; 3 web groups; 6 personas' : 'demo data already present: nothing duplicated');
      return;
    }
    case 'migrate':
      out('migrations applied');
      return;
    default:
      throw new UsageError(noun ? `unknown command: ${argv.join(' ')}` : 'no command given');
  }
}

export class UsageError extends Error {
  override name = 'UsageError';
}

function need(o: Record<string, string | undefined>, name: string): string {
  const v = o[name];
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** `--chat -1001` is a Telegram group id, not an option: pass it as `--chat=-1001`. */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const next = args[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const config = loadConfig();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const database = await startDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  const db = openDatabase(database.url, { max: 4 });
  try {
    await migrate(db.pool);
    await runCli(argv, { prisma: db.prisma, clock: systemClock }, (line) => process.stdout.write(`${line}\n`));
  } finally {
    await db.close();
    await database.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n\n${usage}\n`);
    else if (isAppError(err)) process.stderr.write(`error: ${err.code} ${JSON.stringify(err.details)}\n`);
    else if (err instanceof Error && err.name === 'ZodError') process.stderr.write(`invalid input: ${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
