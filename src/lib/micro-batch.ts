/**
 * Group commit for statements that many concurrent callers make one row at a time: the first
 * caller's item goes at once; items that arrive while a batch is in flight wait for it and then
 * go together, as one statement. A quiet process pays nothing (no timer, no added latency); a
 * busy one pays one statement per batch instead of one per item. Each caller gets its own
 * item's result, and `add` resolves only once the batch's statement has returned.
 *
 * When a batch fails, each of its items is tried alone, so one bad item fails only its caller.
 */
export class MicroBatch<I, O> {
  private waiting: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;

  /**
   * @param run one statement for the items; returns one result per item, in the items' order
   * @param maxItems the most items in one batch
   * @param maxInFlight batches in flight at once
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxItems = 200,
    private readonly maxInFlight = 1,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxItems);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }>): Promise<void> {
    try {
      const out = answered(await this.run(batch.map((b) => b.item)), batch.length);
      batch.forEach((b, i) => b.resolve(out[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      await Promise.all(
        batch.map(async (b) => {
          try {
            const [o] = answered(await this.run([b.item]), 1);
            b.resolve(o!);
          } catch (e) {
            b.reject(e);
          }
        }),
      );
    }
  }
}

/** A run must answer every item: one answer too few would resolve someone's call with nothing. */
function answered<O>(out: O[], n: number): O[] {
  if (out.length !== n) throw new Error(`a batch of ${n} was answered ${out.length} times`);
  return out;
}
