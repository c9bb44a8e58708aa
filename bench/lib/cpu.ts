// Where the machine's CPU went during a measurement: this process, the PostgreSQL and Redis
// server processes (read from /proc; Linux only), and the whole machine.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Snapshot {
  at: number;
  self: number;
  byComm: Map<string, number>;
  machineBusy: number;
}

function procTicks(): Map<string, number> {
  const byComm = new Map<string, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return byComm;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const kind = comm.startsWith('postgres') ? 'postgres' : comm.startsWith('redis-server') ? 'redis' : undefined;
      if (!kind) continue;
      const fields = stat.slice(close + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      byComm.set(kind, (byComm.get(kind) ?? 0) + ticks);
    } catch {
      // the process ended meanwhile
    }
  }
  return byComm;
}

function machineBusyTicks(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return v.reduce((a, b) => a + b, 0) - idle;
  } catch {
    return NaN;
  }
}

function snapshot(): Snapshot {
  const u = process.cpuUsage();
  return { at: performance.now(), self: (u.user + u.system) / 1000, byComm: procTicks(), machineBusy: machineBusyTicks() };
}

/** Starts measuring; `stop()` returns CPU use as a percentage of one core (100% = one core busy). */
export function cpuMeter(): { stop(): { self: number; postgres: number; redis: number; machine: number; cores: number } } {
  const a = snapshot();
  return {
    stop() {
      const b = snapshot();
      const wall = b.at - a.at;
      const per = (ticks: number) => (100 * ticks * TICK_MS) / wall;
      const delta = (k: string) => (b.byComm.get(k) ?? 0) - (a.byComm.get(k) ?? 0);
      // Exited postgres backends drop out of the sum; the figure is a lower bound.
      return {
        self: (100 * (b.self - a.self)) / wall,
        postgres: per(Math.max(0, delta('postgres'))),
        redis: per(Math.max(0, delta('redis'))),
        machine: per(b.machineBusy - a.machineBusy),
        cores: cpus().length,
      };
    },
  };
}
