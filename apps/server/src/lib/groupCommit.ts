/** One item's result from a batch write: its own value or its own error. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupCommitOptions<I, O> {
  /** While a batch is in flight, how long the next one gathers before it goes (ms). */
  windowMs: number;
  /**
   * An idle writer waits this long for company before writing (default 0: at once). For writes
   * nobody waits on (written behind an answer), where fewer, larger batches are the point.
   */
  lingerMs?: number;
  /** A batch goes at once when it holds this many items. */
  maxBatch: number;
  /** Batches being written at the same time: the bound on this writer's database concurrency. */
  maxInFlight: number;
  /** Writes one batch; one outcome per item, in order. Throwing fails every item of the batch. */
  commit(items: I[]): Promise<Settled<O>[]>;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit (ADR 0020): items submitted close together are written as one batch, and each
 * caller gets its own item's outcome. An idle writer sends the first item at once (no added
 * latency at low load); while batches are in flight, the next one gathers for up to `windowMs`
 * or `maxBatch` items, so under load many sends share one round trip. At most `maxInFlight`
 * batches are in flight: beyond that, items wait here, not in the driver's pool.
 */
export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: GroupCommitOptions<I, O>) {}

  /** Items accepted and not yet settled (a queue depth). */
  get pending(): number {
    return this.waiting.length + this.running.size;
  }

  submit(item: I): Promise<O> {
    return this.enqueue(item, false);
  }

  /** Like `submit`, but an idle writer does not linger: someone waits on this one. */
  submitNow(item: I): Promise<O> {
    return this.enqueue(item, true);
  }

  private enqueue(item: I, now: boolean): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      const idle = this.running.size === 0;
      const linger = this.options.lingerMs ?? 0;
      if (this.waiting.length >= this.options.maxBatch || (idle && (now || linger === 0))) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), idle ? linger : this.options.windowMs);
    });
  }

  /** Resolves once every item submitted so far has settled. */
  async drain(): Promise<void> {
    while (this.waiting.length > 0 || this.running.size > 0) {
      if (this.running.size === 0) this.flush();
      await Promise.all([...this.running]);
    }
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.running.size < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      const run = this.write(batch).finally(() => {
        this.running.delete(run);
        // What gathered meanwhile has waited long enough.
        if (this.waiting.length > 0) this.flush();
      });
      this.running.add(run);
    }
  }

  private async write(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.options.commit(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (!outcome) entry.reject(new Error('group commit: no outcome for an item'));
        else if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
