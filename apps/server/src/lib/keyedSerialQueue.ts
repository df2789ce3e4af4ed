/**
 * Runs tasks one after another per key (and concurrently across keys). Used where the order of
 * events for one user must be the order of their effects: presence changes, a sender's messages.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private queued = 0;

  /** Tasks waiting or running, across every key (reported as a queue depth). */
  get pending(): number {
    return this.queued;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.runAll([key], task);
  }

  /**
   * Runs `task` once every task queued before it under any of `keys` has settled, and before any
   * queued after it under one of them. Turns are taken at call time, so callers that need
   * several keys never deadlock (a batch write touching many conversations takes one turn).
   */
  runAll<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const previous = Promise.all(unique.map((key) => this.tails.get(key)));
    this.queued += 1;
    const result = previous.then(task, task).finally(() => {
      this.queued -= 1;
    });
    const tail = result.catch(() => undefined);
    for (const key of unique) {
      this.tails.set(key, tail);
      void tail.then(() => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    }
    return result;
  }

  /** Resolves when every task queued so far has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
