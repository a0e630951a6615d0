// What a CSV export writes of one example, read either from an example or straight from
// the store's row (the export's fast path): src/core/export/csv.ts turns it into a line.

/** One example's cells, in the order of the CSV's columns; the JSON ones already as text. */
export interface CsvCells {
  id: string;
  timestamp: string;
  /** True, false, or null when the log does not say (an agent session's turn). */
  success: boolean | null;
  model: string | null;
  sessionId: string | null;
  taskDescription: string | null;
  tagsJson: string;
  tokens: number | null;
  executionTime: number | null;
  metricsJson: string;
  humanFeedback: string | null;
  codeContext: string | null;
  /** Null when there is nothing extra. */
  extraJson: string | null;
  sourceFile: string | null;
  sourceLine: number | null;
}
