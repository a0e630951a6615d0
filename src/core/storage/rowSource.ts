/**
 * What a query needs of a database: rows for a statement with bound
 * parameters. The store implements it on sql.js; the benchmark implements it
 * on native SQLite to run the very same queries.
 */
export interface RowSource {
  rows<T extends unknown[]>(sql: string, params?: (string | number | null)[]): T[];
  /** An example's code from the code file, by the offset and length its row holds (null when the file does not hold it). */
  codeText(offset: number, length: number): string | null;
  /** The same, checked against the record's CRC-32 (null: written before checksums, unchecked), with what is wrong when it cannot be shown. */
  codeRecord(offset: number, length: number, crc: number | null): { text: string | null; problem: string | null };
  /** Whether a learning task's example may be stored: without any, the filter that leaves them out is no condition at all. */
  hasTaskExamples(): boolean;
  /**
   * How many examples hold a text in their description, feedback or code, and how many keys they are
   * among (the highest key, plus one). The text filter picks its SQL by the share, and a count by the
   * text alone is this count; `id` names this answer to the statement's `search_has(id, k)`. A source
   * without it has the filter read the list of keys.
   */
  searchMatches?(needle: string): { id: number; count: number; span: number };
}
