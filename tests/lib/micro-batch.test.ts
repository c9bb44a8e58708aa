import { describe, expect, it } from 'vitest';
import { MicroBatch } from '../../src/lib/micro-batch.ts';

describe('MicroBatch', () => {
  it('sends the first item alone, then what arrived meanwhile together, each caller getting its own result', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = new MicroBatch<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items.map((i) => i * 10);
    });
    const first = b.add(1);
    const rest = [b.add(2), b.add(3), b.add(4)];
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('holds a batch to its maximum size', async () => {
    const batches: number[][] = [];
    const b = new MicroBatch<number, number>(async (items) => (batches.push(items), items), 2);
    await Promise.all([1, 2, 3, 4, 5].map((i) => b.add(i)));
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('when a batch fails, each item is tried alone: only the bad one fails', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const b = new MicroBatch<number, number>(async (items) => {
      if (++calls === 1) await gate;
      if (items.includes(3)) throw new Error('bad item');
      return items;
    });
    const first = b.add(1);
    const others = [2, 3, 4].map((i) => b.add(i).then((v) => ({ ok: v }), (e: Error) => ({ err: e.message })));
    release();
    expect(await first).toBe(1);
    expect(await Promise.all(others)).toEqual([{ ok: 2 }, { err: 'bad item' }, { ok: 4 }]);
  });

  it('runs up to maxInFlight batches at once', () => {
    const started: number[][] = [];
    const b = new MicroBatch<number, number>((items) => (started.push(items), new Promise<number[]>(() => undefined)), 10, 2);
    for (const i of [1, 2, 3, 4]) void b.add(i);
    expect(started).toEqual([[1], [2]]);
  });

  it('a run that answers too few items fails those calls instead of answering them with nothing', async () => {
    const b = new MicroBatch<number, number>(async (items) => items.slice(1));
    await expect(b.add(1)).rejects.toThrow('a batch of 1 was answered 0 times');
  });
});
