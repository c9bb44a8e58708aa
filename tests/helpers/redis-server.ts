// A throwaway redis-server (or redis-sentinel) of a test's own, on a free port, in a temporary
// directory, on the real clock (redis-server fails at start under libfaketime). stop() ends it
// and removes the directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { realClockEnv } from './real-clock-env.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RedisProcess {
  port: number;
  /** redis://127.0.0.1:<port> (no password). */
  url: string;
  /** A client of this server (no retries: a dead server fails at once). */
  client(opts?: { password?: string }): Redis;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` with these extra arguments (e.g. `--cluster-enabled yes`, `--requirepass x`),
 * or, with `sentinelOf`, a Sentinel watching that master under `name` (`sentinel monitor`, quorum 1).
 */
export async function startRedis(
  opts: { args?: string[]; password?: string; sentinelOf?: { port: number; name: string; password?: string } } = {},
): Promise<RedisProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-redis-'));
  const port = await freePort();
  let args: string[];
  if (opts.sentinelOf) {
    // Sentinel rewrites its configuration file: it must be a file of its own, writable.
    const conf = join(dir, 'sentinel.conf');
    const m = opts.sentinelOf;
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${m.name} 127.0.0.1 ${m.port} 1`,
        `sentinel down-after-milliseconds ${m.name} 60000`,
        ...(m.password ? [`sentinel auth-pass ${m.name} ${m.password}`] : []),
        '',
      ].join('\n'),
    );
    args = [conf, '--sentinel'];
  } else {
    args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...(opts.password ? ['--requirepass', opts.password] : []), ...(opts.args ?? [])];
  }
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore', env: realClockEnv() });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const client = (c: { password?: string } = {}) => {
    const r = new Redis({ host: '127.0.0.1', port, password: c.password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    return r;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Up when it answers PING.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = client({ password: opts.password });
    const up = await r.connect().then(
      () => r.ping().then(() => true, () => false),
      () => false,
    );
    r.disconnect();
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server ${args.join(' ')} did not start on port ${port}`);
    }
    await new Promise((r2) => setTimeout(r2, 25));
  }
  return { port, url: `redis://127.0.0.1:${port}`, client, stop };
}
