// Small measuring helpers shared by the benchmarks.

/** The q-quantile (0..1) of already sorted values, nearest-rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Samples process.memoryUsage().rss every `everyMs` until stopped; keeps the peak. */
export class RssSampler {
  peak = 0;
  heapPeak = 0;
  samples = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly everyMs = 100) {}
  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs).unref();
    return this;
  }
  sample(): void {
    const m = process.memoryUsage();
    this.samples++;
    if (m.rss > this.peak) this.peak = m.rss;
    if (m.heapUsed > this.heapPeak) this.heapPeak = m.heapUsed;
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return this.peak;
  }
}

/** The process's lifetime peak resident set, in bytes (resourceUsage reports kilobytes). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number) => `${n < 10 ? n.toFixed(1) : n.toFixed(0)} ms`;
export const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)}%`;

/** A seeded PRNG (mulberry32), so every run sends the same traffic. */
export { seededRandom as rng } from '../../src/lib/seeded-random.ts';

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/**
 * Runs up to `count` tasks with at most `concurrency` in flight; no task starts after `deadline`
 * (a performance.now() value). Returns wall time in ms and how many tasks ran.
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
  deadline = Infinity,
): Promise<{ wallMs: number; done: number }> {
  let next = 0;
  const t0 = performance.now();
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (let i = next++; i < count && performance.now() < deadline; i = next++) await task(i);
  });
  await Promise.all(lanes);
  return { wallMs: performance.now() - t0, done: Math.min(next - lanes.length, count) };
}
