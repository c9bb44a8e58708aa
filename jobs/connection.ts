import { Redis, type RedisOptions } from 'ioredis';
import { hashTaggedPrefix, parseRedisUrl, redactRedisUrl } from '../src/lib/redis.ts';

export { hashTaggedPrefix };

/** Raised when Redis cannot be reached at start: its message is the one line a person needs. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/**
 * A Redis connection for BullMQ (maxRetriesPerRequest: null, as its workers require), to the
 * server REDIS_URL names or to the master its Sentinels name (redis+sentinel://, src/lib/redis.ts;
 * ioredis follows a failover by itself). `check` makes start-up fail fast with a clear line
 * instead of retrying forever in the background.
 */
export async function connectRedis(url: string, opts: { check?: boolean } = {}): Promise<Redis> {
  const common: RedisOptions = { maxRetriesPerRequest: null, lazyConnect: true, enableAutoPipelining: true };
  const target = parseRedisUrl(url);
  const redis = target.kind === 'server' ? new Redis(target.url, common) : new Redis({ ...common, ...target.options });
  redis.on('error', () => {
    // reconnects by itself; failures surface in the commands that need it
  });
  if (opts.check ?? true) {
    try {
      await withTimeout(redis.connect(), 3000);
      await withTimeout(redis.ping(), 3000);
    } catch {
      redis.disconnect();
      throw new RedisUnavailableError(
        `Linli cannot reach Redis at ${redactRedisUrl(url)}. Start it (e.g. \`redis-server --daemonize yes\`) or set REDIS_URL to a running Redis.`,
      );
    }
  } else {
    void redis.connect().catch(() => undefined);
  }
  return redis;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('timeout')), ms);
    p.then(
      (v) => (clearTimeout(timer), ok(v)),
      (e: unknown) => (clearTimeout(timer), fail(e)),
    );
  });
}
