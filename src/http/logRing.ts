// The server's own log, kept in memory for `GET /api/logs/tail`: the last
// lines it wrote (listening, saves, tasks, refused requests), bounded.
export type LogLevel = 'info' | 'warn' | 'error';

export interface LogLine {
  at: string;
  level: LogLevel;
  message: string;
}

export class LogRing {
  private readonly lines: LogLine[] = [];

  constructor(
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  add(level: LogLevel, message: string): void {
    this.lines.push({ at: new Date(this.now()).toISOString(), level, message });
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  /** The last `n` lines, oldest first. */
  tail(n: number): LogLine[] {
    return this.lines.slice(-n);
  }
}
