import type { Filters } from '../../shared/filters';
import { filtersSchema, NO_FILTERS } from '../../shared/filters';

export const FILTERS_KEY = 'learningViewer.filters';

/** The little of a VS Code Memento the filters use (workspace state, or a map in a test). */
export interface FilterStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/**
 * The shared filters as kept between reloads: read once, each change validated and merged into what is
 * there, then written back. Stored state is input too: a value that no longer parses means no filters.
 * Holds no `vscode` (FilterState adds the events and the context key), so it is tested with a map.
 */
export class FilterMemory {
  private current: Filters;

  constructor(private readonly store: FilterStore) {
    const parsed = filtersSchema.safeParse(store.get(FILTERS_KEY) ?? {});
    this.current = parsed.success ? parsed.data : NO_FILTERS;
  }

  get filters(): Filters {
    return this.current;
  }

  /**
   * Merges a change into the filters, validated whole (a bad value throws and changes nothing), and keeps it.
   * The filters change at once, before they are written: a second change made meanwhile (the panel's, a
   * command's) merges into this one instead of into what was there before it.
   */
  async set(change: Partial<Filters>): Promise<Filters> {
    const next = filtersSchema.parse({ ...this.current, ...change });
    this.current = next;
    await this.store.update(FILTERS_KEY, next);
    return next;
  }
}
