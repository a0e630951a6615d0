/**
 * The progress of an import of several files as one bar, 0–100: each file has an equal share, and
 * each report of a file's bytes read moves the bar by what that file gained since its last report.
 */
export class ImportProgress {
  private readonly percentOf = new Map<string, number>();

  constructor(private readonly files: number) {}

  /** How far the whole bar moves (0–100) on this report of one file. */
  increment(file: string, bytesRead: number, totalBytes: number): number {
    const percent = totalBytes > 0 ? Math.min(100, Math.floor((bytesRead / totalBytes) * 100)) : 0;
    const before = this.percentOf.get(file) ?? 0;
    if (percent <= before) return 0;
    this.percentOf.set(file, percent);
    return (percent - before) / Math.max(1, this.files);
  }
}
