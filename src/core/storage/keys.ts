// Integer keys for text the database only ever compares: an example's id and
// its content hash. A 36-character UUID under a UNIQUE index costs about 48 MB
// at a million examples and lands each insert at a random place in a large
// B-tree; a 47-bit integer (6 bytes on disk) costs a third of that. Ids are
// still stored and compared in full, so a collision only costs a second look.
// These functions are part of the file format: never change them.
import type { Database } from 'sql.js';

/** A 47-bit hash of a text (two 32-bit FNV-1a variants), exact as a JavaScript number and 6 bytes in SQLite. */
export function stringKey(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x8000 + ((b >>> 0) >>> 17);
}

/** The content hash (hex SHA-1) as an integer: its first 44 bits, or the text's own key when it is not hex. */
export function contentKey(hash: string): number {
  const n = parseInt(hash.slice(0, 11), 16);
  return /^[0-9a-f]{11}/.test(hash) && Number.isFinite(n) ? n : stringKey(hash);
}

/**
 * Makes the keys available to SQL (`id_key(text)`, `content_key(text)`), for
 * the migration that introduces them. sql.js forgets functions on every
 * export, so whoever migrates registers them first.
 */
export function registerKeyFunctions(db: Pick<Database, 'create_function'>): void {
  db.create_function('id_key', (text: unknown) => (typeof text === 'string' ? stringKey(text) : null));
  db.create_function('content_key', (text: unknown) => (typeof text === 'string' ? contentKey(text) : null));
}
