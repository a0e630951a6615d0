// `201` means durable: an example the API acknowledges is in the fsynced
// journal. Requests read in one turn of the event loop share one journal
// write; the fsync runs off the event loop, and every write made while one
// runs shares the next (group commit), so requests keep being read and
// stored while the disk works.
import type { NormalizedExample } from '../core/model/example';
import type { LearningStore } from '../core/storage/learningStore';

/** What became of one example: stored now, already stored with the same content (a retry), an id clash, older than retention keeps, or text the engine cannot hold. */
export type Outcome = 'created' | 'duplicate' | 'conflict' | 'expired' | 'unstorable';

interface Waiting {
  examples: NormalizedExample[];
  resolve: (outcomes: Outcome[]) => void;
  reject: (e: Error) => void;
}

export class GroupCommit {
  private waiting: Waiting[] = [];
  private scheduled = false;
  /** Commits so far and examples they carried, for the metrics and the benchmark. */
  readonly stats = { commits: 0, examples: 0 };

  constructor(
    private readonly store: LearningStore,
    private readonly source: string,
    /** After each commit that stored something (schedule a snapshot, tell the views). */
    private readonly afterCommit: (added: number) => void,
  ) {}

  /** Resolves once every example is classified and the new ones are durable. */
  submit(examples: NormalizedExample[]): Promise<Outcome[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ examples, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Let the requests already read in this turn of the event loop join the commit.
        setImmediate(() => this.commit());
      }
    });
  }

  private commit(): void {
    this.scheduled = false;
    const group = this.waiting;
    this.waiting = [];
    if (group.length === 0) return;
    try {
      // Within a group the first of two examples with one id wins, as in a file.
      const seen = new Map<string, string>();
      const fresh: NormalizedExample[] = [];
      const outcomes = group.map((w) =>
        w.examples.map((e): Outcome => {
          const earlier = seen.get(e.id);
          if (earlier !== undefined) return earlier === e.contentHash ? 'duplicate' : 'conflict';
          const verdict = this.store.classify(e);
          if (verdict === 'new') {
            seen.set(e.id, e.contentHash);
            fresh.push(e);
            return 'created';
          }
          return verdict;
        }),
      );
      const { added, durable } = this.store.addIngestedSoon(this.source, fresh);
      this.stats.commits++;
      this.stats.examples += fresh.length;
      // A duplicate is answered after the fsync too: the first copy may be the one still on its way to the disk.
      durable.then(
        () => {
          if (added > 0) this.afterCommit(added);
          group.forEach((w, i) => w.resolve(outcomes[i]!));
        },
        (e: Error) => {
          for (const w of group) w.reject(new Error(`the journal could not be flushed to disk (${e.message}); the examples were not acknowledged`));
        },
      );
    } catch (e) {
      for (const w of group) w.reject(e as Error);
    }
  }
}
