import * as vscode from 'vscode';
import type { Filters } from '../../shared/filters';
import { describeFilters, isUnfiltered, NO_FILTERS } from '../../shared/filters';
import { FilterMemory, type FilterStore } from './filterMemory';

/**
 * The filters shared by every view (panel, tree, status bar tooltip, export),
 * kept in the workspace state so they survive a reload.
 */
export class FilterState implements vscode.Disposable {
  private readonly memory: FilterMemory;
  private readonly emitter = new vscode.EventEmitter<Filters>();
  readonly onDidChange = this.emitter.event;

  constructor(store: FilterStore) {
    this.memory = new FilterMemory(store);
    void vscode.commands.executeCommand('setContext', 'learningViewer.filtered', this.active);
  }

  get filters(): Filters {
    return this.memory.filters;
  }

  get active(): boolean {
    return !isUnfiltered(this.memory.filters);
  }

  describe(): string {
    return describeFilters(this.memory.filters);
  }

  async set(filters: Partial<Filters>): Promise<void> {
    const next = await this.memory.set(filters);
    await vscode.commands.executeCommand('setContext', 'learningViewer.filtered', this.active);
    this.emitter.fire(next);
  }

  clear(): Promise<void> {
    return this.set(NO_FILTERS);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
