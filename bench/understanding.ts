// Understanding benchmark: the offline understander (jieba segmentation, the two trained models,
// the slot readers) over every message of data/understanding/corpus.jsonl, on one core (this
// process's one thread; no I/O after loading).
//
//   npm run bench -- understanding
//   BENCH_UNDERSTANDING_ROUNDS=20
//
// Prints the load time, messages per second and the per-message latency p50 / p99 / max.
// Target: p99 under 5 ms, so plain language adds nothing one notices to a turn (whose database
// work takes several milliseconds); the median is what the models cost, the tail is mostly GC.
import { pathToFileURL } from 'node:url';
import { readLabelled } from '../src/core/understanding/evaluate-model.ts';
import { loadOfflineModel } from '../src/core/understanding/offline-model.ts';
import { OfflineUnderstander } from '../src/core/understanding/offline-understander.ts';
import { int, maxRssBytes, mb, quantile, sortedCopy } from './lib/stats.ts';

const target = { p99Ms: 5 };

export async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_UNDERSTANDING_ROUNDS ?? 20);
  const corpus = readLabelled(new URL('../data/understanding/corpus.jsonl', import.meta.url).pathname).map((m) => m.text);
  const t0 = performance.now();
  const understander = new OfflineUnderstander(loadOfflineModel());
  understander.read('预热');
  const loadMs = performance.now() - t0;
  const context = { inGroup: true, locale: 'zh-Hans' as const, communityId: 1 };
  for (const text of corpus) understander.read(text, context); // warm-up round
  const latencies = new Float64Array(corpus.length * rounds);
  let i = 0;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const text of corpus) {
      const a = performance.now();
      understander.read(text, context);
      latencies[i++] = performance.now() - a;
    }
  }
  const totalMs = performance.now() - start;
  const sorted = sortedCopy(latencies);
  const p99 = quantile(sorted, 0.99);
  const us = (v: number) => `${(v * 1000).toFixed(0)} µs`;
  console.log('understanding — offline understander over the corpus, one core');
  console.log(`  model load ${int(loadMs)} ms (jieba dictionary + model.json); ${corpus.length} messages × ${rounds} rounds`);
  console.log(`  ${int((latencies.length / totalMs) * 1000)} messages/s; latency p50 ${us(quantile(sorted, 0.5))}, p99 ${us(p99)}, max ${us(sorted[sorted.length - 1]!)}`);
  console.log(`  max RSS ${mb(maxRssBytes())}`);
  const ok = p99 < target.p99Ms;
  console.log(`  target p99 < ${target.p99Ms} ms: ${ok ? 'met' : 'MISSED'}`);
  if (!ok) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
