// The storage contract: what the core (import, the figures, the example list)
// asks of a database, whichever engine holds it. Asynchronous, because one
// engine (PostgreSQL) is across a socket; the embedded one (sql.js) answers at once.
import type { NormalizedExample } from '../model/example';
import type { IngestTarget } from '../model/batch';
import type { AlertStateStore } from '../model/alertStateStore';
import type { FailingWith } from '../queries/analyticsData';
import type { Filters } from '../../shared/filters';
import type { StoredExample } from '../../shared/example';
import type { Summary } from '../../shared/workerProtocol';
import type { ModelRow, TagRow, DayRow } from '../../shared/rows';
import type { PruneReport } from '../storage/retention';
import type { AnalyticsReport, ModelComparison, Prediction } from '../../shared/analytics';
import type { CountRow } from '../../shared/rows';
import type { KnowledgeEntry, LoggedTaskEvent, Task, TaskEvent } from '../../shared/tasks';
import type { CoOccurrence, Totals } from '../analytics/advice';

/** What retention removed, for the views that need raw rows to say so. */
export interface RetentionState {
  removedBefore: number;
  removedExamples: number;
}

/** What the figures and the example list read. */
export interface FigureSource {
  summary(filters: Filters, options?: { now?: number }): Promise<Summary>;
  byTag(filters: Filters): Promise<TagRow[]>;
  byModel(filters: Filters): Promise<ModelRow[]>;
  daily(filters: Filters): Promise<DayRow[]>;
  /** Every example the filters select, newest first, with its code. */
  examples(filters: Filters): AsyncIterable<StoredExample>;
  exampleById(id: string): Promise<StoredExample | null>;
  count(): Promise<number>;
  /** The newest stored example's time (epoch ms), null when none is stored. */
  lastExampleAt(): Promise<number | null>;
  retention(): Promise<RetentionState | null>;
  /** What the Analytics tab shows under the filters: trend, prediction, proficiency, recommendations, insights, heatmap. */
  analytics(filters: Filters, options?: { now?: number }): Promise<AnalyticsReport>;
  /** The prediction for one technology (null: all examples). */
  prediction(filters: Filters, tag: string | null): Promise<Prediction>;
  /** Model A against model B (within one tag if given): rates, the difference and its significance. */
  compareModels(filters: Filters, a: string, b: string, tag: string | null): Promise<ModelComparison>;
}

/** What the built-in learner reads of one technology, whichever engine answers. */
export interface LearnerSource {
  outcomeTotals(filters: Filters): Promise<Totals>;
  dailyCounts(filters: Filters): Promise<(CountRow & { day: number })[]>;
  /** The five tags whose examples with `tag` (since `sinceDay`, a local day) failed most. */
  failingWith(tag: string, sinceDay: number | null): Promise<FailingWith[]>;
  coOccurrence(filters: Filters, sample: number): Promise<CoOccurrence>;
  byModel(filters: Filters): Promise<ModelRow[]>;
}

/**
 * Learning tasks, their logs, the knowledge they produce and the practice examples a learner reports.
 * `owner` names who runs a task (a `serve` process, an editor): on a shared database each restores
 * only its own; the embedded database has one owner and ignores it.
 */
export interface TaskStore {
  saveTask(task: Task, owner?: string): Promise<void>;
  forgetTask(id: string): Promise<void>;
  /** The stored tasks (of `owner`, when given, claiming those no one owns); rows that no longer validate are counted. */
  tasks(owner?: string): Promise<{ tasks: Task[]; unreadable: number }>;
  /** Appends to a task's log; the place (`seq`) of the first event appended. */
  appendTaskEvents(taskId: string, events: readonly TaskEvent[]): Promise<number>;
  /** The last `limit` events of a task's log, oldest first. */
  taskEvents(taskId: string, limit?: number): Promise<LoggedTaskEvent[]>;
  addKnowledge(entry: KnowledgeEntry): Promise<void>;
  /** Knowledge entries, newest first, optionally of one technology or matching a text (ASCII case ignored). */
  knowledge(options?: { technology?: string | null; search?: string | null; limit?: number }): Promise<KnowledgeEntry[]>;
  /** Stores the examples a learner reported, as the task's practice; how many were new. */
  addLearnerExamples(taskId: string, examples: readonly NormalizedExample[]): Promise<number>;
}

export type EngineKind = 'embedded' | 'postgresql';

export interface LearningEngine extends IngestTarget, FigureSource, LearnerSource, TaskStore {
  readonly kind: EngineKind;
  /** Where the data is, for messages: a folder, or host/database (never a password). */
  readonly place: string;
  /**
   * Retention: removes the raw examples dated before `before` (epoch ms) but those with a person's feedback and a
   * learning task's practice; their per-day rollups stay. A dry run says what would go and removes nothing.
   */
  prune(before: number, options?: { dryRun?: boolean; onProgress?: (removed: number) => void }): Promise<PruneReport>;
  /** Makes what was written durable where the engine needs a step for it (the embedded snapshot); a no-op otherwise. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Where the alert monitor keeps its state, and its lock. */
  alertState(): AlertStateStore;
}
