// The code context lives beside the database in an append-only file, each
// example's code referenced by (offset, length): the snapshot sql.js rewrites
// on every save then carries no code at all. Bytes are only ever added, so an
// older snapshot (the backup) still finds its code; bytes no snapshot refers
// to (written before a crash) are harmless.
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** Sequential reads come in windows of this size. */
const WINDOW = 4 * 1024 * 1024;
/** How far past (or before) the window a read still counts as a scan. */
const NEAR = 64 * 1024;

/** A code record as read: its text, or why there is none. */
export interface CodeRecord {
  text: string | null;
  problem: string | null;
}

export class CodeFile {
  private fd: number | null;
  /** Bytes on disk. */
  private written: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  private lastEnd = -1;
  /** Reads from the disk so far (tests check that scans read in windows). */
  reads = 0;

  constructor(
    readonly path: string,
    private readonly writable: boolean,
    /** Called before every write: throws when this writer may no longer write (it lost the store's lock). */
    private readonly beforeWrite: () => void = () => undefined,
  ) {
    if (writable) this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    else this.fd = existsSync(path) ? openSync(path, 'r') : null;
    this.written = this.fd === null ? 0 : fstatSync(this.fd).size;
  }

  /** Bytes on disk: what another thread reading the file sees. */
  get flushedEnd(): number {
    return this.written;
  }

  /** Where the next append lands. */
  get end(): number {
    return this.written + this.pendingBytes;
  }

  /** Queues `text` and returns where it will be and its bytes' CRC-32: nothing reaches the disk before `flush`. */
  append(text: string): [offset: number, length: number, crc: number] {
    const bytes = Buffer.from(text, 'utf8');
    const offset = this.end;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    return [offset, bytes.length, crc32(bytes)];
  }

  /**
   * The code at (offset, length), checked against the CRC-32 its row holds
   * (null for records from before checksums: unchecked). A record the file
   * does not hold whole, or whose bytes changed, is reported, never shown.
   */
  readChecked(offset: number, length: number, crc: number | null): CodeRecord {
    if (offset + length > this.end) {
      return { text: null, problem: `the code file ${this.path} is shorter than this record (it ends at byte ${this.end.toLocaleString('en-US')}, the record at ${(offset + length).toLocaleString('en-US')}): the code is lost` };
    }
    if (crc !== null && length > 0) {
      const bytes = this.bytes(offset, length);
      if (!bytes || crc32(bytes) !== crc) return { text: null, problem: `the code record at byte ${offset.toLocaleString('en-US')} of ${this.path} is damaged (its checksum does not match)` };
      return { text: bytes.toString('utf8'), problem: null };
    }
    return { text: this.read(offset, length), problem: null };
  }

  private bytes(offset: number, length: number): Buffer | null {
    const end = offset + length;
    if (end > this.written) {
      if (offset < this.written) return null;
      return Buffer.concat(this.pending, this.pendingBytes).subarray(offset - this.written, end - this.written);
    }
    if (offset < this.windowStart || end > this.windowStart + this.window.length) this.fill(offset, end);
    this.lastEnd = end;
    if (offset < this.windowStart || end > this.windowStart + this.window.length) return null;
    return this.window.subarray(offset - this.windowStart, end - this.windowStart);
  }

  /** Forgets what was queued since the last flush (the insert that queued it rolled back). */
  discardPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Writes what was queued (a read-only store keeps it in memory: it never writes). */
  flush(): void {
    if (!this.writable || this.fd === null || this.pendingBytes === 0) return;
    this.beforeWrite();
    const data = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, this.written + done);
    this.written += data.length;
    this.discardPending();
  }

  /** Makes everything written durable: called before a snapshot that refers to it is saved. */
  sync(): void {
    this.flush();
    if (this.writable && this.fd !== null) fsyncSync(this.fd);
  }

  /** The text at (offset, length), or null when the file does not hold it (lost or cut short). */
  read(offset: number, length: number): string | null {
    if (length === 0) return '';
    const end = offset + length;
    if (end > this.written) return this.readPending(offset, length);
    if (offset < this.windowStart || end > this.windowStart + this.window.length) this.fill(offset, end);
    const text = this.window.toString('utf8', offset - this.windowStart, end - this.windowStart);
    this.lastEnd = end;
    return text;
  }

  private fill(offset: number, end: number): void {
    if (this.fd === null) throw new Error('no code file');
    // Reading on just past the window, or just before it, is a scan (an export runs either way): read a
    // whole window in that direction. Anything else is a lookup: read just what is asked.
    const windowEnd = this.windowStart + this.window.length;
    let start = offset;
    let stop = end;
    if (this.window.length > 0 && offset >= windowEnd && offset - windowEnd < NEAR) stop = Math.min(this.written, Math.max(end, offset + WINDOW));
    else if (this.window.length > 0 && end <= this.windowStart && this.windowStart - end < NEAR) start = Math.max(0, Math.min(offset, end - WINDOW));
    else if (this.window.length === 0 || this.lastEnd === offset) stop = Math.min(this.written, Math.max(end, offset + WINDOW));
    this.reads++;
    const buffer = Buffer.allocUnsafe(stop - start);
    let done = 0;
    while (done < buffer.length) {
      const n = readSync(this.fd, buffer, done, buffer.length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    this.window = buffer.subarray(0, done);
    this.windowStart = start;
  }

  /**
   * Which of the codes at (offsets[i], lengths[i]) contain `needle`, ASCII
   * case ignored (SQLite's LIKE rule), bytes compared exactly otherwise: the
   * indexes i, ascending. `offsets` must ascend (codes are appended in order).
   * One pass over the file; a code that matched is skipped to its end, and a
   * match that does not lie inside one code (it spans two) does not count.
   */
  codesContaining(needle: string, offsets: ArrayLike<number>, lengths: ArrayLike<number>, count = offsets.length): number[] {
    const bytes = Buffer.from(needle, 'utf8');
    const found: number[] = [];
    if (count === 0) return found;
    if (bytes.length === 0) return Array.from({ length: count }, (_, i) => i);
    // The needle's bytes as latin1 characters, each ASCII letter either case: a byte-exact, ASCII-case-blind pattern.
    const source = [...bytes.toString('latin1')]
      .map((ch) => {
        const lower = ch.toLowerCase();
        const upper = ch.toUpperCase();
        if (ch.charCodeAt(0) < 128 && lower !== upper) return `[${lower}${upper}]`;
        return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
      })
      .join('');
    const pattern = new RegExp(source, 'g');
    // Where the last of these codes ends: nothing after it is read (the codes may be some of the file's).
    let stop = 0;
    for (let c = 0; c < count; c++) stop = Math.max(stop, offsets[c]! + lengths[c]!);
    let i = 0;
    /** Where the search goes on, absolute: past the last code that matched. */
    let next = offsets[0]!;
    /** Searches `text`, which starts at absolute `base`, for matches that start before `limit`. */
    const scan = (text: string, base: number, limit: number) => {
      pattern.lastIndex = Math.max(0, next - base);
      for (let m = pattern.exec(text); m && base + m.index < limit; m = pattern.exec(text)) {
        const at = base + m.index;
        while (i < count && offsets[i]! + lengths[i]! < at + bytes.length) i++;
        if (i >= count) return;
        if (offsets[i]! <= at) {
          found.push(i);
          next = offsets[i]! + lengths[i]!;
          i++;
          if (i >= count) return;
          next = Math.max(next, offsets[i]!);
        } else next = at + 1;
        pattern.lastIndex = next - base;
      }
      next = Math.max(next, limit);
    };
    const chunkSize = 1024 * 1024;
    const overlap = bytes.length - 1;
    if (this.fd !== null && this.written > 0) {
      const buffer = Buffer.allocUnsafe(chunkSize + overlap);
      for (let start = 0; start < Math.min(this.written, stop) && i < count; start += chunkSize) {
        // Chunks wholly inside codes already matched (or before the first code) are not read.
        if (next >= start + chunkSize) continue;
        const want = Math.min(chunkSize + overlap, this.written - start);
        let done = 0;
        while (done < want) {
          const n = readSync(this.fd, buffer, done, want - done, start + done);
          if (n === 0) break;
          done += n;
        }
        // A match starting in the overlap belongs to the next chunk.
        scan(buffer.toString('latin1', 0, done), start, Math.min(start + chunkSize, this.written));
      }
    }
    if (this.pendingBytes > 0 && i < count && stop > this.written) scan(Buffer.concat(this.pending, this.pendingBytes).toString('latin1'), this.written, this.end);
    return found;
  }

  private readPending(offset: number, length: number): string | null {
    if (offset < this.written || offset + length > this.end) return null;
    const all = Buffer.concat(this.pending, this.pendingBytes);
    return all.toString('utf8', offset - this.written, offset - this.written + length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
