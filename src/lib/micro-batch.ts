/**
 * Group commit inside one process. Calls that arrive while earlier ones are being written wait,
 * and the next free slot hands up to `maxBatch` of them, in arrival order, to `run` at once.
 *
 * No timer: a call that finds a slot free goes at once, alone, so a quiet process pays nothing.
 * Under a rush, each batch is what arrived while the previous ones were in flight. So the batch
 * grows with the load, and the number of round trips and commits stays at about `maxInFlight`
 * at a time.
 *
 * `run` answers each item in order (a value, which may itself say "refused"). If it throws, every
 * item of that batch is rejected with the error.
 */
export class MicroBatcher<I, O> {
  readonly #queue: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  #inFlight = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: { maxBatch: number; maxInFlight: number },
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.opts.maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.opts.maxBatch);
      this.#inFlight++;
      this.run(batch.map((b) => b.item))
        .then(
          (outs) => {
            if (outs.length !== batch.length) throw new Error(`a batch of ${batch.length} was answered ${outs.length} times`);
            batch.forEach((b, k) => b.resolve(outs[k]!));
          },
          (e: unknown) => batch.forEach((b) => b.reject(e)),
        )
        .catch((e: unknown) => batch.forEach((b) => b.reject(e)))
        .finally(() => {
          this.#inFlight--;
          this.#pump();
        });
    }
  }
}
