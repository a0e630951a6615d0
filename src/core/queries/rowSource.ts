/**
 * What a query needs of a database: rows for a statement with bound
 * parameters. The store implements it on sql.js; the benchmark implements it
 * on native SQLite to run the very same queries.
 */
export interface RowSource {
  rows<T extends unknown[]>(sql: string, params?: (string | number | null)[]): T[];
}
