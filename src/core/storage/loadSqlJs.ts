import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let cached: Promise<SqlJsStatic> | undefined;

/** Loads sql.js with the wasm from our own folder: never a URL, never the network. */
export function loadSqlJs(wasmPath: string): Promise<SqlJsStatic> {
  cached ??= (async () => {
    const bytes = readFileSync(wasmPath);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return initSqlJs({ wasmBinary });
  })();
  return cached;
}
