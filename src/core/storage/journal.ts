import { appendFileSync, close, closeSync, existsSync, fsync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { knowledgeEntrySchema, taskSchema } from '../../shared/tasks';

/** Ids one delete entry holds at most (a larger delete is several entries, each its own transaction). */
export const DELETE_SLICE = 1000;

/**
 * One acknowledged write that no log file can replay (a feedback edit, a task
 * result). It reaches the journal, fsynced, before it is applied; entries past
 * the snapshot's sequence number are replayed on load.
 */
export const journalEntrySchema = z.discriminatedUnion('op', [
  z.object({ seq: z.number().int().positive(), op: z.literal('feedback'), id: z.string(), feedback: z.string().nullable(), at: z.number() }),
  /** A learning task as it now stands (created, started, finished). */
  z.object({ seq: z.number().int().positive(), op: z.literal('task'), task: taskSchema, at: z.number() }),
  z.object({ seq: z.number().int().positive(), op: z.literal('forgetTask'), id: z.string(), at: z.number() }),
  /** A knowledge entry a task produced. */
  z.object({ seq: z.number().int().positive(), op: z.literal('knowledge'), entry: knowledgeEntrySchema, at: z.number() }),
  /** Examples an external learner reported, already validated; stored like imported ones, linked to the task. */
  z.object({ seq: z.number().int().positive(), op: z.literal('examples'), taskId: z.string(), examples: z.array(z.record(z.string(), z.unknown())), at: z.number() }),
  /** Examples that arrived through the HTTP API, already validated: acknowledged (201) once this entry is fsynced. */
  z.object({ seq: z.number().int().positive(), op: z.literal('ingest'), source: z.string(), examples: z.array(z.record(z.string(), z.unknown())), at: z.number() }),
  /** Examples a person deleted (Delete Examples…, Remove Sample Data): gone with their share of the rollups. */
  z.object({ seq: z.number().int().positive(), op: z.literal('delete'), ids: z.array(z.string()).max(DELETE_SLICE), at: z.number() }),
]);
export type JournalEntry = z.infer<typeof journalEntrySchema>;
export type JournalOp = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, 'seq' | 'at'> : never) : never;

/** A journal line that could not be believed: kept, set aside, never replayed. */
export interface DamagedEntry {
  /** 1-based line in the journal. */
  line: number;
  text: string;
  reason: string;
}

/** One entry as a line: `c:` and the CRC-32 of its JSON (8 hex digits), a space, the JSON. */
function lineOf(entry: JournalEntry): string {
  // The sequence number first: compaction reads it from the start of the line without parsing the rest.
  const { seq, ...rest } = entry;
  const json = JSON.stringify({ seq, ...rest });
  return `c:${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

const CHECKED_LINE = /^c:([0-9a-f]{8}) (.*)$/s;
const SEQ_FIRST = /^c:([0-9a-f]{8}) (\{"seq":(\d+),.*)$/s;

/** One line read: the entry, or why it cannot be believed (`line` is 1-based), or null for a blank line. */
function readLine(line: string, lineNo: number, torn: boolean): JournalEntry | DamagedEntry | null {
  if (line.trim() === '') return null;
  const bad = (reason: string): DamagedEntry => ({ line: lineNo, text: line, reason: torn ? 'cut short by a crash before it was acknowledged' : reason });
  let json = line;
  const checked = CHECKED_LINE.exec(line);
  if (checked) {
    json = checked[2]!;
    if (crc32(json) !== parseInt(checked[1]!, 16)) return bad('its checksum does not match (bytes in it changed)');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return bad('it is not valid JSON');
  }
  const result = journalEntrySchema.safeParse(value);
  return result.success ? result.data : bad(`it is not a journal entry (${result.error.issues[0]?.message ?? 'invalid'})`);
}

export class Journal {
  constructor(readonly path: string) {}

  /** Where damaged entries are set aside. */
  get damagedPath(): string {
    return `${this.path}.damaged`;
  }

  /** Appends entries and fsyncs once for the batch. */
  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    appendFileSync(this.path, entries.map(lineOf).join(''));
    const fd = openSync(this.path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Appends entries without waiting for the disk: they are durable once a
   * later `sync()` (or `append`, or a compaction) has finished.
   */
  write(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    appendFileSync(this.path, entries.map(lineOf).join(''));
  }

  /**
   * Flushes everything written so far to the disk, off the event loop (the
   * fsync runs in libuv's thread pool). A compaction in between is harmless:
   * it copies the written lines into the new file and fsyncs that.
   */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      let fd: number;
      try {
        fd = openSync(this.path, 'r');
      } catch (e) {
        reject(e as Error);
        return;
      }
      fsync(fd, (error) => close(fd, () => (error ? reject(error) : resolve())));
    });
  }

  /**
   * Entries after `afterSeq`, in order, and the lines that cannot be believed:
   * a checksum that does not match its JSON (bytes changed), JSON that does
   * not parse or does not fit, or a last line cut short by a crash (never
   * acknowledged: an entry is acknowledged only once its newline is fsynced).
   * Lines from before checksums (plain JSON) are read as they are.
   */
  read(afterSeq: number): { entries: JournalEntry[]; ignored: number; damaged: DamagedEntry[] } {
    if (!existsSync(this.path)) return { entries: [], ignored: 0, damaged: [] };
    const { entries, damaged } = this.readLines(readFileSync(this.path, 'utf8'), afterSeq);
    return { entries, ignored: damaged.length, damaged };
  }

  private readLines(text: string, afterSeq: number): { entries: JournalEntry[]; damaged: DamagedEntry[] } {
    const lines = text.split('\n');
    const torn = !text.endsWith('\n') && lines.length > 0 ? lines.length - 1 : -1;
    const entries: JournalEntry[] = [];
    const damaged: DamagedEntry[] = [];
    lines.forEach((line, i) => {
      const read = readLine(line, i + 1, i === torn);
      if (read && 'reason' in read) damaged.push(read);
      else if (read && read.seq > afterSeq) entries.push(read);
    });
    return { entries, damaged };
  }

  /** Keeps damaged lines in the side file (appended, fsynced), so compaction can leave them out of the journal. */
  setAside(damaged: readonly DamagedEntry[], now = new Date()): void {
    if (damaged.length === 0) return;
    const header = `# ${damaged.length} damaged ${damaged.length === 1 ? 'entry' : 'entries'} set aside ${now.toISOString()} from ${this.path}\n`;
    appendFileSync(this.damagedPath, header + damaged.map((d) => `# line ${d.line}: ${d.reason}\n${d.text}\n`).join(''));
    const fd = openSync(this.damagedPath, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Drops the entries a saved snapshot already holds, keeping any written
   * since. Synchronous on purpose: no append can slip in between the read and
   * the rename and be lost with the old file.
   */
  compact(savedSeq: number): void {
    if (!existsSync(this.path)) return;
    // Lines that carry their number first and whose checksum holds are kept or dropped by that number
    // alone: parsing and validating every entry the snapshot now holds would stop the event loop for
    // as long as the journal is big. Any other line goes through the full reading.
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    const torn = !text.endsWith('\n') && lines.length > 0 ? lines.length - 1 : -1;
    const kept: string[] = [];
    const damaged: DamagedEntry[] = [];
    lines.forEach((line, i) => {
      const fast = i === torn ? null : SEQ_FIRST.exec(line);
      if (fast && crc32(fast[2]!) === parseInt(fast[1]!, 16)) {
        if (Number(fast[3]) > savedSeq) kept.push(`${line}\n`);
        return;
      }
      const read = readLine(line, i + 1, i === torn);
      if (read && 'reason' in read) damaged.push(read);
      else if (read && read.seq > savedSeq) kept.push(lineOf(read));
    });
    // What cannot be believed is never deleted: it goes to the side file before the journal is rewritten without it.
    this.setAside(damaged);
    const temp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, kept.join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }

}
