// What the HTTP API reads and writes, whichever engine is below: the embedded
// store (its journal's group commit: 201 once fsynced) or a team's PostgreSQL
// (201 once committed). The handlers never ask which.
import type { NormalizedExample } from '../core/model/example';
import type { FigureSource, EngineKind } from '../core/engine/contract';
import type { StoredExample } from '../shared/example';
import type { Filters } from '../shared/filters';
import type { LearningStore } from '../core/storage/learningStore';
import { EmbeddedEngine } from '../core/engine/embeddedEngine';
import type { PgEngine } from '../core/engine/postgres/pgEngine';
import { examplesPage } from '../core/queries/examples';
import type { GroupCommit, Outcome } from './groupCommit';

export interface ApiHealth {
  state: string;
  reason: string | null;
  examples: number | null;
}

export interface ApiData {
  readonly kind: EngineKind;
  /** The figures and single examples, through the storage contract. */
  readonly figures: FigureSource;
  /** Resolves once every example is classified and the new ones are durable. */
  submit(examples: NormalizedExample[]): Promise<Outcome[]>;
  /** A page of the filtered examples, newest first, without their code, with the total. */
  page(filters: Filters, offset: number, limit: number): Promise<{ rows: StoredExample[]; total: number | null }>;
  setFeedback(id: string, feedback: string | null): Promise<boolean>;
  retentionCutoff(): Promise<number | null>;
  health(): Promise<ApiHealth>;
  /** Commits so far and the examples they carried. */
  readonly commits: { commits: number; examples: number };
  /** Examples stored, and the database's size in bytes, for the metrics. */
  count(): Promise<number>;
  bytes(): Promise<number>;
  /** What only the embedded store serves yet (analytics, predictions, learning tasks' logs); null on PostgreSQL. */
  readonly store: LearningStore | null;
}

export function embeddedApiData(store: LearningStore, commit: GroupCommit): ApiData {
  const figures = new EmbeddedEngine(store, 'embedded');
  return {
    kind: 'embedded',
    figures,
    submit: (examples) => commit.submit(examples),
    page: async (filters, offset, limit) => examplesPage(store, { filters, offset, limit }),
    setFeedback: async (id, feedback) => store.setFeedback(id, feedback),
    retentionCutoff: () => store.retentionCutoff(),
    health: async () => ({ state: store.state, reason: store.reason, examples: store.count() }),
    commits: commit.stats,
    count: async () => store.count(),
    bytes: async () => {
      const [pages] = store.rows<[number]>('PRAGMA page_count')[0]!;
      const [size] = store.rows<[number]>('PRAGMA page_size')[0]!;
      return Number(pages) * Number(size);
    },
    store,
  };
}

/**
 * On PostgreSQL: the requests read in one turn of the event loop share one batch (one COPY and one merge,
 * as an import's batch), and each learns what became of its examples from the batch's counts.
 */
export function pgApiData(engine: PgEngine, afterCommit: (added: number) => void = () => undefined): ApiData {
  const commits = { commits: 0, examples: 0 };
  let waiting: { examples: NormalizedExample[]; resolve: (o: Outcome[]) => void; reject: (e: Error) => void }[] = [];
  const commit = async () => {
    const group = waiting;
    waiting = [];
    const all = group.flatMap((w) => w.examples);
    try {
      const counts = await engine.writeBatch(
        all.map((example) => ({ example })),
        null,
      );
      commits.commits++;
      commits.examples += counts.added;
      const outcomes: Outcome[] = all.map(() => 'created');
      for (const i of counts.duplicateIndexes ?? []) outcomes[i] = 'duplicate';
      for (const i of counts.conflictIndexes) outcomes[i] = 'conflict';
      for (const i of counts.expiredIndexes) outcomes[i] = 'expired';
      for (const r of counts.refused ?? []) outcomes[r.index] = 'unstorable';
      if (counts.added > 0) afterCommit(counts.added);
      let at = 0;
      for (const w of group) {
        w.resolve(outcomes.slice(at, at + w.examples.length));
        at += w.examples.length;
      }
    } catch (e) {
      for (const w of group) w.reject(e as Error);
    }
  };
  return {
    kind: 'postgresql',
    figures: engine,
    submit: (examples) =>
      new Promise((resolve, reject) => {
        if (waiting.length === 0) setImmediate(() => void commit());
        waiting.push({ examples, resolve, reject });
      }),
    page: (filters, offset, limit) => engine.page(filters, offset, limit),
    setFeedback: (id, feedback) => engine.setFeedback(id, feedback),
    retentionCutoff: () => engine.retentionCutoff(),
    health: async () => {
      try {
        return { state: 'ok', reason: null, examples: await engine.count() };
      } catch (e) {
        return { state: 'unreachable', reason: (e as Error).message, examples: null };
      }
    },
    commits,
    count: () => engine.count(),
    bytes: () => engine.bytes(),
    store: null,
  };
}
