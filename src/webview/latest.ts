/** What a superseded request resolves to: its answer is dropped. */
export const STALE: unique symbol = Symbol('stale');

/**
 * The one way the panel drops a stale answer: each `run` supersedes the runs before it, and only
 * the latest run's answer, or its failure, is delivered; an older one resolves to `STALE`
 * (a failure of an older one too), so a slow answer never replaces a newer one.
 */
export class Latest {
  private current = 0;

  async run<T>(ask: () => Promise<T>): Promise<T | typeof STALE> {
    const mine = ++this.current;
    try {
      const value = await ask();
      return mine === this.current ? value : STALE;
    } catch (e) {
      if (mine !== this.current) return STALE;
      throw e;
    }
  }

  /** Drops the answers of every run under way. */
  invalidate(): void {
    this.current++;
  }
}
