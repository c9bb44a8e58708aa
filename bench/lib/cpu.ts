// Where CPU went during a measurement: this process, the PostgreSQL backends serving it (plus
// the server's own background processes), Redis, and the whole machine. Read from /proc (Linux
// only). Other sessions' backends on the same server are not counted as ours; Redis is one shared
// process, so its figure includes anyone else's use.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Proc {
  kind: 'postgres' | 'postgres-aux' | 'redis';
  ticks: number;
}

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      let kind: Proc['kind'] | undefined;
      if (comm.startsWith('redis-server')) kind = 'redis';
      else if (comm.startsWith('postgres')) {
        // A backend's title is "postgres: <user> <db> <client> <state>"; the server's own
        // processes (postmaster, walwriter, checkpointer …) serve everyone.
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        kind = /^postgres: \S+ \S+ (\d|\[local\])/.test(cmd) ? 'postgres' : 'postgres-aux';
      }
      if (!kind) continue;
      const fields = stat.slice(close + 2).split(' ');
      out.set(Number(pid), { kind, ticks: Number(fields[11]) + Number(fields[12]) }); // utime + stime
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function machineBusyTicks(): number {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return v.reduce((a, b) => a + b, 0) - (v[3] ?? 0) - (v[4] ?? 0); // minus idle and iowait
  } catch {
    return NaN;
  }
}

export interface CpuUse {
  /** Percent of one core over the wall time (100 = one core busy the whole time). */
  self: number;
  /** Our backends plus the server's background processes. */
  postgres: number;
  redis: number;
  machine: number;
  cores: number;
}

/**
 * Starts measuring. `ourBackends()` gives the PostgreSQL backend pids of this process's pools
 * (asked at start and at stop, so backends opened during the run count fully).
 */
export function cpuMeter(ourBackends: () => number[] = () => []): { stop(): CpuUse } {
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const p0 = readProcs();
  const m0 = machineBusyTicks();
  const pids0 = new Set(ourBackends());
  return {
    stop() {
      const pids = new Set([...pids0, ...ourBackends()]);
      const p1 = readProcs();
      const wall = performance.now() - t0;
      const u = process.cpuUsage(u0);
      const per = (ticks: number) => (100 * ticks * TICK_MS) / wall;
      let pg = 0;
      let redis = 0;
      for (const [pid, b] of p1) {
        const delta = b.ticks - (p0.get(pid)?.ticks ?? 0);
        if (b.kind === 'redis') redis += delta;
        else if (b.kind === 'postgres-aux' || pids.has(pid)) pg += delta;
      }
      return {
        self: (100 * (u.user + u.system)) / 1000 / wall,
        postgres: per(pg),
        redis: per(redis),
        machine: per(machineBusyTicks() - m0),
        cores: cpus().length,
      };
    },
  };
}
