// The embedded engine (sql.js in memory, saved as an atomic snapshot) behind the
// storage contract: the store and the queries it has always had, answered at once.
import type { LearningStore } from '../storage/learningStore';
import { FileAlertState } from '../storage/alertStateFile';
import type { BatchItem, InsertCounts, SourceOffset } from '../model/batch';
import type { LearningEngine, RetentionState } from './contract';
import type { AlertStateStore } from '../model/alertStateStore';
import type { Filters } from '../../shared/filters';
import type { StoredExample } from '../../shared/example';
import { summary } from '../queries/summary';
import { byModel, byTag, daily } from '../queries/breakdowns';
import { exampleById, iterateExamples } from '../queries/examples';
import { prune, type PruneReport } from '../storage/retention';
import { compareModels, predictionFor, storeAnalyticsReport } from '../queries/analyticsReport';
import { outcomeTotals, coOccurrence } from '../queries/analyticsData';
import { dailyCounts } from '../queries/breakdowns';
import { failingWith } from '../queries/analyticsData';
import type { KnowledgeEntry, Task, TaskEvent } from '../../shared/tasks';
import type { NormalizedExample } from '../model/example';

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
  lastExampleAt() {
    const [last = null] = this.store.rows<[number | null]>('SELECT max(ts) FROM examples')[0] ?? [];
    return Promise.resolve(last);
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

  outcomeTotals(filters: Filters) {
    return Promise.resolve(outcomeTotals(this.store, filters));
  }
  dailyCounts(filters: Filters) {
    return Promise.resolve(dailyCounts(this.store, filters));
  }
  failingWith(tag: string, sinceDay: number | null) {
    return Promise.resolve(failingWith(this.store, tag, sinceDay));
  }
  coOccurrence(filters: Filters, sample: number) {
    return Promise.resolve(coOccurrence(this.store, filters, sample));
  }

  // One process holds the folder's lock, so every task here is its own: the owner is not kept.
  async saveTask(task: Task): Promise<void> {
    this.store.saveTask(task);
  }
  async forgetTask(id: string): Promise<void> {
    this.store.forgetTask(id);
  }
  async tasks() {
    return this.store.tasks();
  }
  async appendTaskEvents(taskId: string, events: readonly TaskEvent[]) {
    return this.store.appendTaskEvents(taskId, events);
  }
  async taskEvents(taskId: string, limit?: number) {
    return this.store.taskEvents(taskId, limit);
  }
  async addKnowledge(entry: KnowledgeEntry): Promise<void> {
    this.store.addKnowledge(entry);
  }
  async knowledge(options?: { technology?: string | null; search?: string | null; limit?: number }) {
    return this.store.knowledge(options);
  }
  async addLearnerExamples(taskId: string, examples: readonly NormalizedExample[]) {
    return this.store.addLearnerExamples(taskId, examples);
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
  /** alerts.json beside the database. */
  alertState(): AlertStateStore {
    return new FileAlertState(this.store.dataDir);
  }
}
