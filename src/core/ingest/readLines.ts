import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface RawLine {
  /** 1-based line number in the (decompressed) file. */
  line: number;
  /** The text, or null when the line was rejected before decoding. */
  text: string | null;
  /** Why the line could not be read, when text is null. */
  problem?: string;
  /** Byte offset just past this line's newline: where to resume. */
  endOffset: number;
  /** A run of empty lines comes as one RawLine (text '') ending at `line`: how many it stands for. */
  lines?: number;
}

export interface ReadLinesOptions {
  /** Start reading at this byte offset (plain files only). */
  startOffset?: number;
  /** The line number of the line before startOffset. */
  startLine?: number;
  /** A line longer than this many bytes is rejected without being held whole. */
  maxLineBytes?: number;
  /** Yield a last line with no newline (import) or leave it for later (follow). */
  includePartialLastLine?: boolean;
  gzip?: boolean;
  /** Stop after this many lines in one read, reporting it (a file of a billion newlines is an attack, not a log). */
  maxLines?: number;
  /** Stop after this many (decompressed) bytes in one read, reporting it. */
  maxBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_LINES = 20_000_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decode(bytes: Uint8Array, line: number, endOffset: number): RawLine {
  // Strip a CR before the newline (CRLF files).
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  try {
    // The decoder drops a BOM at the start of the text it is given.
    return { line, text: decoder.decode(bytes.subarray(0, end)), endOffset };
  } catch {
    return { line, text: null, problem: 'the line is not valid UTF-8 text', endOffset };
  }
}

/**
 * Streams the lines of a file with bounded memory: chunks are split on the
 * newline byte; a line over the limit is skipped to its end and reported.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<RawLine> {
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const start = options.gzip ? 0 : (options.startOffset ?? 0);
  let stream: Readable = createReadStream(path, { start, highWaterMark: 1 << 20 });
  if (options.gzip) stream = stream.pipe(createGunzip());
  let line = options.startLine ?? 0;
  let offset = start; // bytes consumed up to the start of `pending`
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overLong = false;
  const maxLines = (options.startLine ?? 0) + (options.maxLines ?? DEFAULT_MAX_LINES);
  const maxBytes = start + (options.maxBytes ?? DEFAULT_MAX_BYTES);
  const capped = (what: string): RawLine => ({
    line,
    text: null,
    problem: `reading stopped here: ${what}; the rest of the file was not read (raise the limit in the settings, or split the file)`,
    endOffset: offset,
  });
  // Empty lines cost a counter, not a yield each.
  let blanks = 0;
  const blankRun = (): RawLine => {
    const run: RawLine = { line, text: '', endOffset: offset, lines: blanks };
    blanks = 0;
    return run;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      if (offset + pendingBytes + chunk.length > maxBytes) {
        if (blanks > 0) yield blankRun();
        yield capped(`the file is over ${formatBytes(maxBytes - start)}${options.gzip ? ' decompressed' : ''}, the limit for one read`);
        return;
      }
      for (;;) {
        if (pendingBytes === 0) {
          while (from < chunk.length && chunk[from] === 0x0a && line < maxLines) {
            from++;
            line++;
            offset++;
            blanks++;
          }
          if (line >= maxLines && from < chunk.length) {
            if (blanks > 0) yield blankRun();
            yield capped(`the file has more than ${(maxLines - (options.startLine ?? 0)).toLocaleString('en-US')} lines, the limit for one read`);
            return;
          }
          if (from === chunk.length) break;
        }
        const nl = chunk.indexOf(0x0a, from);
        if (nl === -1) {
          const rest = chunk.length - from;
          if (!overLong && pendingBytes + rest > maxLine) {
            overLong = true;
            pending = [];
          }
          if (!overLong) pending.push(chunk.subarray(from));
          pendingBytes += rest;
          break;
        }
        if (blanks > 0) yield blankRun();
        line++;
        const lineBytes = pendingBytes + (nl - from);
        const endOffset = offset + lineBytes + 1;
        if (overLong || lineBytes > maxLine) {
          yield { line, text: null, problem: `the line is ${formatBytes(lineBytes)}, over the ${formatBytes(maxLine)} limit`, endOffset };
        } else {
          const bytes = pending.length === 0 ? chunk.subarray(from, nl) : Buffer.concat([...pending, chunk.subarray(from, nl)]);
          yield decode(bytes, line, endOffset);
        }
        offset = endOffset;
        pending = [];
        pendingBytes = 0;
        overLong = false;
        from = nl + 1;
      }
    }
    if (blanks > 0) yield blankRun();
    if (pendingBytes > 0 && options.includePartialLastLine !== false) {
      line++;
      const endOffset = offset + pendingBytes;
      if (overLong) yield { line, text: null, problem: `the line is ${formatBytes(pendingBytes)}, over the ${formatBytes(maxLine)} limit`, endOffset };
      else yield decode(Buffer.concat(pending), line, endOffset);
    }
  } finally {
    stream.destroy();
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
