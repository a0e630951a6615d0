// The embedded engine (sql.js in memory, saved as an atomic snapshot) behind the
// storage contract: the store and the queries it has always had, answered at once.
import type { LearningStore } from '../storage/learningStore';
import type { BatchItem, InsertCounts, LearningEngine, RetentionState, SourceOffset } from './contract';
import type { Filters } from '../../shared/filters';
import type { StoredExample } from '../../shared/example';
import { summary } from '../queries/summary';
import { byModel, byTag, daily } from '../queries/breakdowns';
import { exampleById, iterateExamples } from '../queries/examples';
import { prune, type PruneReport } from '../storage/retention';
import { compareModels, predictionFor, storeAnalyticsReport } from '../analytics/report';

export class EmbeddedEngine implements LearningEngine {
  readonly kind = 'embedded' as const;

  constructor(
    readonly store: LearningStore,
    readonly place: string,
  ) {}

  sourceKey(path: string): Promise<number> {
    return this.store.sourceKey(path);
  }
  sourceOffset(path: string): Promise<SourceOffset | null> {
    return this.store.sourceOffset(path);
  }
  writeBatch(batch: readonly BatchItem[], offset: SourceOffset | null): Promise<InsertCounts> {
    return this.store.writeBatch(batch, offset);
  }
  retentionCutoff(): Promise<number | null> {
    return this.store.retentionCutoff();
  }
  sourceOffsets(): Promise<SourceOffset[]> {
    return this.store.sourceOffsets();
  }

  summary(filters: Filters, options: { now?: number } = {}) {
    return Promise.resolve(summary(this.store, filters, options));
  }
  byTag(filters: Filters) {
    return Promise.resolve(byTag(this.store, filters));
  }
  byModel(filters: Filters) {
    return Promise.resolve(byModel(this.store, filters));
  }
  daily(filters: Filters) {
    return Promise.resolve(daily(this.store, filters));
  }
  async *examples(filters: Filters): AsyncGenerator<StoredExample> {
    yield* iterateExamples(this.store, { filters });
  }
  exampleById(id: string) {
    return Promise.resolve(exampleById(this.store, id));
  }
  count() {
    return Promise.resolve(this.store.count());
  }
  analytics(filters: Filters, options: { now?: number } = {}) {
    // "Go deeper" advice builds on the learning tasks this store keeps.
    return Promise.resolve(storeAnalyticsReport(this.store, filters, options));
  }
  prediction(filters: Filters, tag: string | null) {
    return Promise.resolve(predictionFor(this.store, filters, tag));
  }
  compareModels(filters: Filters, a: string, b: string, tag: string | null) {
    return Promise.resolve(compareModels(this.store, filters, a, b, tag));
  }
  retention(): Promise<RetentionState | null> {
    const before = this.store.prunedBefore();
    return Promise.resolve(before === null ? null : { removedBefore: before, removedExamples: this.store.prunedExamples() });
  }

  prune(before: number, options: { dryRun?: boolean; onProgress?: (removed: number) => void } = {}): Promise<PruneReport> {
    return prune(this.store, before, options);
  }

  async flush(): Promise<void> {
    if (!this.store.readOnly) await this.store.save();
  }

  async close(): Promise<void> {
    this.store.close();
  }
}
