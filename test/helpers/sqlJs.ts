import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src/core/storage/loadSqlJs';

const require = createRequire(__filename);

/** sql.js with the wasm from node_modules, as the bundles load it from dist. */
export function testSqlJs(): Promise<SqlJsStatic> {
  return loadSqlJs(require.resolve('sql.js/dist/sql-wasm.wasm'));
}
