/** One-shot timers that can all be cancelled at once (on close). */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Runs `run` after `delay` ms, unless `clear()` comes first. */
  later(delay: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      run();
    }, delay);
    this.pending.add(timer);
  }

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
