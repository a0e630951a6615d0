import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { knowledgeEntrySchema, taskSchema } from '../../shared/tasks';

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
]);
export type JournalEntry = z.infer<typeof journalEntrySchema>;
export type JournalOp = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, 'seq' | 'at'> : never) : never;

export class Journal {
  constructor(readonly path: string) {}

  /** Appends entries and fsyncs once for the batch. */
  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    appendFileSync(this.path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const fd = openSync(this.path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Entries after `afterSeq`, in order. A torn or garbled line (a crash mid-append) ends the readable part. */
  read(afterSeq: number): { entries: JournalEntry[]; ignored: number } {
    if (!existsSync(this.path)) return { entries: [], ignored: 0 };
    const lines = readFileSync(this.path, 'utf8').split('\n');
    const entries: JournalEntry[] = [];
    let ignored = 0;
    for (const line of lines) {
      if (line.trim() === '') continue;
      let parsed: JournalEntry | undefined;
      try {
        const result = journalEntrySchema.safeParse(JSON.parse(line));
        parsed = result.success ? result.data : undefined;
      } catch {
        parsed = undefined;
      }
      if (!parsed) {
        ignored++;
        continue;
      }
      if (parsed.seq > afterSeq) entries.push(parsed);
    }
    return { entries, ignored };
  }

  /**
   * Drops the entries a saved snapshot already holds, keeping any written
   * since. Synchronous on purpose: no append can slip in between the read and
   * the rename and be lost with the old file.
   */
  compact(savedSeq: number): void {
    if (!existsSync(this.path)) return;
    const { entries } = this.read(savedSeq);
    const temp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }
}
