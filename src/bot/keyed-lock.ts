/**
 * Runs tasks one at a time per key. Customers double-send; two turns of one conversation racing on the same
 * state would lose one turn's changes, so this process serialises them. Across instances it does not help:
 * botbuilder's `saveChanges` writes with eTag `*`, so there the last writer wins.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
