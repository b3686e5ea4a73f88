/** An entry of a batch, and how to tell its caller how it went. */
interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers items for a short window (or until `max` are there) and runs them as one batch per
 * group (SQS: one `DeleteMessageBatch` per queue, ten entries at most). Each `add` resolves when
 * its own entry succeeded.
 */
export class Batcher<T> {
  private readonly groups = new Map<string, Array<Pending<T>>>();
  private timer?: NodeJS.Timeout;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly run: (group: string, items: T[]) => Promise<Array<unknown | undefined>>,
    private readonly windowMs = 5,
    private readonly max = 10,
  ) {}

  add(group: string, item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entries = this.groups.get(group) ?? [];
      entries.push({ item, resolve, reject });
      this.groups.set(group, entries);
      if (entries.length >= this.max) this.flushGroup(group);
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const group of [...this.groups.keys()]) this.flushGroup(group);
  }

  private flushGroup(group: string): void {
    const entries = this.groups.get(group) ?? [];
    this.groups.delete(group);
    for (let i = 0; i < entries.length; i += this.max) {
      const chunk = entries.slice(i, i + this.max);
      const batch = this.run(
        group,
        chunk.map(entry => entry.item),
      ).then(
        errors => chunk.forEach((entry, n) => (errors[n] === undefined ? entry.resolve() : entry.reject(errors[n]))),
        error => chunk.forEach(entry => entry.reject(error)),
      );
      this.running.add(batch);
      void batch.finally(() => this.running.delete(batch));
    }
  }

  /** Runs what waits and resolves when every batch under way is done. */
  async drain(): Promise<void> {
    this.flush();
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
