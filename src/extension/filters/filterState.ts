import * as vscode from 'vscode';
import type { Filters } from '../../shared/filters';
import { describeFilters, filtersSchema, isUnfiltered, NO_FILTERS } from '../../shared/filters';

const STATE_KEY = 'learningViewer.filters';

/**
 * The filters shared by every view (panel, tree, status bar tooltip, export),
 * kept in the workspace state so they survive a reload.
 */
export class FilterState implements vscode.Disposable {
  private current: Filters;
  private readonly emitter = new vscode.EventEmitter<Filters>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly memento: vscode.Memento) {
    // Stored state is input too: a value that no longer parses means no filters.
    const parsed = filtersSchema.safeParse(memento.get(STATE_KEY) ?? {});
    this.current = parsed.success ? parsed.data : NO_FILTERS;
    void vscode.commands.executeCommand('setContext', 'learningViewer.filtered', !isUnfiltered(this.current));
  }

  get filters(): Filters {
    return this.current;
  }

  get active(): boolean {
    return !isUnfiltered(this.current);
  }

  describe(): string {
    return describeFilters(this.current);
  }

  async set(filters: Partial<Filters>): Promise<void> {
    this.current = filtersSchema.parse({ ...this.current, ...filters });
    await this.memento.update(STATE_KEY, this.current);
    await vscode.commands.executeCommand('setContext', 'learningViewer.filtered', this.active);
    this.emitter.fire(this.current);
  }

  clear(): Promise<void> {
    return this.set(NO_FILTERS);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
