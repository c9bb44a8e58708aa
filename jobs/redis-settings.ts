import { RedisConnection } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * What the queues need from the Redis server they live in. BullMQ keeps every job (replies not yet
 * sent, reminders due next week, broadcasts in progress) only in Redis: a server that keeps
 * nothing on disk loses them on a restart, and one that evicts keys under memory pressure drops
 * them silently. Read by `npm run cli -- doctor` and warned about at start.
 */
export interface RedisSettings {
  version: string;
  /** appendonly yes. */
  aof: boolean;
  /** The `save` rules (RDB snapshots); '' for none; undefined when CONFIG GET is not allowed (managed Redis). */
  save: string | undefined;
  maxmemoryPolicy: string;
}

/** One aspect of the settings, judged: `fail` loses or refuses jobs, `warn` may lose some. */
export interface RedisFinding {
  aspect: 'version' | 'persistence' | 'eviction';
  level: 'ok' | 'warn' | 'fail';
  text: string;
}

/** The server's version and persistence and eviction settings (INFO, and CONFIG GET save where allowed). */
export async function readRedisSettings(redis: Redis): Promise<RedisSettings> {
  const info = parseInfo(await redis.info());
  let save: string | undefined;
  try {
    const reply = (await redis.config('GET', 'save')) as unknown;
    save = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
  } catch {
    save = undefined; // CONFIG renamed or refused (managed Redis): INFO is all there is
  }
  return {
    version: info.get('redis_version') ?? info.get('valkey_version') ?? '0.0.0',
    aof: info.get('aof_enabled') === '1',
    save,
    maxmemoryPolicy: info.get('maxmemory_policy') ?? 'unknown',
  };
}

/** The version, persistence and eviction policy judged for BullMQ, one finding each. */
export function redisFindings(s: RedisSettings): RedisFinding[] {
  const min = RedisConnection.minimumVersion;
  const recommended = RedisConnection.recommendedMinimumVersion;
  const version: RedisFinding = versionBelow(s.version, min)
    ? { aspect: 'version', level: 'fail', text: `Redis ${s.version} is older than ${min}, the oldest BullMQ runs on` }
    : versionBelow(s.version, recommended)
      ? { aspect: 'version', level: 'warn', text: `Redis ${s.version} is older than ${recommended}, the version BullMQ recommends` }
      : { aspect: 'version', level: 'ok', text: `Redis ${s.version} (BullMQ needs ${min}, recommends ${recommended})` };
  const eviction: RedisFinding =
    s.maxmemoryPolicy === 'noeviction'
      ? { aspect: 'eviction', level: 'ok', text: 'maxmemory-policy noeviction' }
      : { aspect: 'eviction', level: 'fail', text: `maxmemory-policy is ${s.maxmemoryPolicy}: Redis may evict queued jobs; set maxmemory-policy noeviction` };
  const rdb = s.save === undefined ? 'RDB unknown (CONFIG GET refused)' : s.save === '' ? 'RDB off' : `RDB save ${s.save}`;
  const persistence: RedisFinding = s.aof
    ? { aspect: 'persistence', level: 'ok', text: `AOF on, ${rdb}` }
    : s.save === ''
      ? {
          aspect: 'persistence',
          level: 'fail',
          text: 'no persistence (appendonly no, no save rules): a Redis restart loses every queued reply, reminder and broadcast; set appendonly yes',
        }
      : {
          aspect: 'persistence',
          level: 'warn',
          text: `appendonly no, ${rdb}: jobs queued since the last snapshot are lost on a crash; set appendonly yes`,
        };
  return [version, persistence, eviction];
}

/** One line of what the server is and keeps, e.g. "Redis 7.0.15, AOF on, RDB save 3600 1, noeviction". */
export function describeRedis(s: RedisSettings): string {
  const rdb = s.save === undefined ? 'RDB unknown' : s.save === '' ? 'RDB off' : `RDB save ${s.save}`;
  return `Redis ${s.version}, AOF ${s.aof ? 'on' : 'off'}, ${rdb}, maxmemory-policy ${s.maxmemoryPolicy}`;
}

function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return out;
}

function versionBelow(version: string, minimum: string): boolean {
  const a = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const b = minimum.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}
