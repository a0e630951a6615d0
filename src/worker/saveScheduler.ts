/**
 * Debounces snapshot saves: a save runs once writes have been idle for
 * `idleMs`, or at the latest `maxMs` after the first unsaved write, and never
 * two at a time.
 */
export class SaveScheduler {
  private idleTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly save: () => Promise<void>,
    private readonly idleMs: number,
    private readonly maxMs: number,
  ) {}

  /** Call after every write. */
  touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.flush(), this.idleMs);
    this.maxTimer ??= setTimeout(() => void this.flush(), this.maxMs);
  }

  /** Saves now (after any save under way); resolves when written. */
  async flush(): Promise<void> {
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxTimer);
    this.idleTimer = this.maxTimer = undefined;
    if (this.running) {
      this.again = true;
      await this.running;
      if (!this.again) return;
    }
    this.again = false;
    this.running = this.save().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxTimer);
  }
}
