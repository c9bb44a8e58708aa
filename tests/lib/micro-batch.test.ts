import { describe, expect, test } from 'vitest';
import { MicroBatcher } from '../../src/lib/micro-batch.ts';

/** A run whose batches finish only when the test says so. */
function gate() {
  const batches: Array<{ items: number[]; finish: (fail?: Error) => void }> = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => batches.push({ items, finish: (fail) => (fail ? reject(fail) : resolve(items.map((i) => `#${i}`))) }));
  return { batches, run };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('MicroBatcher', () => {
  test('an idle batcher sends a call at once, alone; calls arriving meanwhile go together, in order, when a slot frees', async () => {
    const g = gate();
    const b = new MicroBatcher(g.run, { maxBatch: 3, maxInFlight: 1 });
    const first = b.add(1);
    expect(g.batches.map((x) => x.items)).toEqual([[1]]);
    const later = [2, 3, 4, 5].map((i) => b.add(i));
    expect(g.batches).toHaveLength(1); // waiting for the one in flight
    g.batches[0]!.finish();
    expect(await first).toBe('#1');
    await settle();
    expect(g.batches.map((x) => x.items)).toEqual([[1], [2, 3, 4]]); // at most maxBatch
    g.batches[1]!.finish();
    await settle();
    expect(g.batches.map((x) => x.items)).toEqual([[1], [2, 3, 4], [5]]);
    g.batches[2]!.finish();
    expect(await Promise.all(later)).toEqual(['#2', '#3', '#4', '#5']);
  });

  test('up to maxInFlight batches run at once', () => {
    const g = gate();
    const b = new MicroBatcher(g.run, { maxBatch: 10, maxInFlight: 2 });
    for (const i of [1, 2, 3, 4]) void b.add(i);
    expect(g.batches.map((x) => x.items)).toEqual([[1], [2]]);
  });

  test("a batch that fails rejects its own calls only, and the next batch still goes", async () => {
    const g = gate();
    const b = new MicroBatcher(g.run, { maxBatch: 10, maxInFlight: 1 });
    const one = b.add(1);
    const two = b.add(2);
    g.batches[0]!.finish(new Error('connection lost'));
    await expect(one).rejects.toThrow('connection lost');
    await settle();
    g.batches[1]!.finish();
    expect(await two).toBe('#2');
  });

  test('a run that answers the wrong number of items rejects the batch instead of answering wrongly', async () => {
    const b = new MicroBatcher(async (items: number[]) => items.slice(1), { maxBatch: 10, maxInFlight: 1 });
    await expect(b.add(1)).rejects.toThrow('a batch of 1 was answered 0 times');
  });
});
