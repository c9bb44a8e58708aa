// REDIS_URL and LINLI_QUEUE_PREFIX, read once: where Redis is (one server, or a Sentinel group that
// names the current master) and the prefix every key carries. Pure: jobs/connection.ts connects.
import type { RedisOptions } from 'ioredis';
import { z } from 'zod';

/** What REDIS_URL names: a URL ioredis reads as it is, or a master found through Sentinels. */
export type RedisTarget =
  | { kind: 'server'; url: string }
  | {
      kind: 'sentinel';
      /** The Sentinels' addresses, as listed (ioredis asks them in turn). */
      sentinels: Array<{ host: string; port: number }>;
      /** The master group's name, as in `sentinel monitor <name> …`. */
      name: string;
      /** ioredis options for the master connection and the Sentinels. */
      options: Pick<RedisOptions, 'sentinels' | 'name' | 'username' | 'password' | 'sentinelUsername' | 'sentinelPassword' | 'db'>;
    };

const DEFAULT_SENTINEL_PORT = 26379;

/** What a redis+sentinel:// URL's query may hold; anything else is refused rather than ignored. */
const sentinelQuery = z.strictObject({
  password: z.string().min(1).optional(),
  sentinelUsername: z.string().min(1).optional(),
  sentinelPassword: z.string().min(1).optional(),
  db: z.coerce.number().int().min(0).max(15).optional(),
});

/**
 * `redis://…`, `rediss://…` (one server, as ioredis reads them), or
 * `redis+sentinel://[[user]:password@]host1:26379,host2:26379/mymaster[/db][?sentinelPassword=…]`:
 * the Sentinels to ask, and the master group's name. The credentials before `@` (or `?password=`)
 * are the master's; `sentinelUsername`/`sentinelPassword` are the Sentinels' own, when they have
 * `requirepass`. Throws an Error whose message says what is wrong, without the password.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') {
    try {
      new URL(url);
    } catch {
      throw new Error('not a valid redis:// URL');
    }
    return { kind: 'server', url };
  }
  if (scheme !== 'redis+sentinel') {
    throw new Error(
      'must start with redis://, rediss:// or redis+sentinel:// (e.g. redis+sentinel://10.0.0.1:26379,10.0.0.2:26379/mymaster)',
    );
  }
  const m = /^redis\+sentinel:\/\/(?:([^@/?#]*)@)?([^/?#]+)\/([^/?#]+)(?:\/([^/?#]*))?\/?(?:\?([^#]*))?$/i.exec(url);
  if (!m) throw new Error('a redis+sentinel:// URL needs its Sentinels and the master name: redis+sentinel://host1:26379,host2:26379/mymaster');
  const [, userinfo, hostList = '', rawName = '', rawDb, rawQuery = ''] = m;

  const sentinels = hostList.split(',').map((h) => parseHostPort(h.trim()));
  const name = decode(rawName, 'the master name');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`the master name "${name}" may hold only letters, digits, ".", "_" and "-"`);

  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    if (k in params) throw new Error(`"${k}" is given twice`);
    params[k] = v;
  }
  const query = sentinelQuery.safeParse(params);
  if (!query.success) {
    const issue = query.error.issues[0]!;
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    throw new Error(
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${key} (known: password, sentinelUsername, sentinelPassword, db)`
        : `parameter ${key}: ${issue.message}`,
    );
  }
  let username: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon), 'the user name') || undefined;
    password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1), 'the password') || undefined;
    if (colon < 0) throw new Error('write the password as :password@ (or user:password@) before the Sentinels');
  }
  if (password && query.data.password) throw new Error('the password is given twice (before @ and as ?password=)');
  password ??= query.data.password;

  let db = query.data.db;
  if (rawDb !== undefined && rawDb !== '') {
    if (!/^\d+$/.test(rawDb) || Number(rawDb) > 15) throw new Error(`"/${rawDb}" after the master name must be a database number 0–15`);
    if (db !== undefined) throw new Error('the database is given twice (in the path and as ?db=)');
    db = Number(rawDb);
  }

  const options: Extract<RedisTarget, { kind: 'sentinel' }>['options'] = { sentinels, name };
  if (username) options.username = username;
  if (password) options.password = password;
  if (query.data.sentinelUsername) options.sentinelUsername = query.data.sentinelUsername;
  if (query.data.sentinelPassword) options.sentinelPassword = query.data.sentinelPassword;
  if (db !== undefined) options.db = db;
  return { kind: 'sentinel', sentinels, name, options };
}

function parseHostPort(s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-f:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/i.exec(s);
  if (!m) throw new Error(`"${s}" is not a Sentinel address (host or host:port)`);
  const host = m[1] ?? m[2]!;
  const port = m[3] === undefined ? DEFAULT_SENTINEL_PORT : Number(m[3]);
  if (port < 1 || port > 65535) throw new Error(`"${s}": the port must be 1–65535`);
  return { host, port };
}

function decode(s: string, what: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new Error(`${what} is not correctly %-encoded`);
  }
}

/** REDIS_URL in zod: a string parseRedisUrl accepts (its message says why not). */
export const redisUrlSchema = z.string().superRefine((url, ctx) => {
  try {
    parseRedisUrl(url);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

/** REDIS_URL for a log line or an error: passwords replaced by ***. */
export function redactRedisUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return `${scheme}${colon < 0 ? userinfo : `${userinfo.slice(0, colon)}:***`}@`;
    })
    .replace(/([?&](?:password|sentinelPassword)=)[^&#]*/gi, '$1***');
}

/**
 * The prefix of every Redis key a deployment writes (LINLI_QUEUE_PREFIX), hash-tagged: `linli`
 * becomes `{linli}`. Redis Cluster hashes only the part between the first `{` and the next `}`,
 * so all keys land in one slot, as BullMQ's scripts (many keys of one queue in one call) and
 * Linli's MULTI blocks need; on one server the braces are just characters. A prefix that already
 * carries a hash tag is kept as it is.
 */
export function hashTaggedPrefix(prefix: string): string {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1 ? prefix : `{${prefix}}`;
}
