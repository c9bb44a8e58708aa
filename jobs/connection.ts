import { Redis } from 'ioredis';

/** Raised when Redis cannot be reached at start: its message is the one line a person needs. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/**
 * A Redis connection for BullMQ (maxRetriesPerRequest: null, as its workers require). `check`
 * makes start-up fail fast with a clear line instead of retrying forever in the background.
 */
export async function connectRedis(url: string, opts: { check?: boolean } = {}): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, enableAutoPipelining: true });
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
        `Linli cannot reach Redis at ${safeUrl(url)}. Start it (e.g. \`redis-server --daemonize yes\`) or set REDIS_URL to a running Redis.`,
      );
    }
  } else {
    void redis.connect().catch(() => undefined);
  }
  return redis;
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'REDIS_URL';
  }
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
