import * as vscode from 'vscode';
import type { Container } from '../container';

type Node = { kind: 'summary'; examples: number; successes: number };

/**
 * The Examples view. Empty, it shows the welcome view (context key
 * `learningViewer.empty`); grouping and paging come with the tree feature.
 */
export class ExamplesTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly container: Container) {
    this.view = vscode.window.createTreeView('learningViewer.examples', { treeDataProvider: this, showCollapseAll: false });
    void vscode.commands.executeCommand('setContext', 'learningViewer.empty', true);
    this.disposables.push(this.view, this.emitter, container.onDidChangeData(() => this.refresh()));
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  async getChildren(element?: Node): Promise<Node[]> {
    if (element) return [];
    const summary = await this.container.data.request('summary', {});
    const empty = summary.rate.total === 0;
    await vscode.commands.executeCommand('setContext', 'learningViewer.empty', empty);
    this.view.message = undefined;
    return empty ? [] : [{ kind: 'summary', examples: summary.rate.total, successes: summary.rate.successes }];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const item = new vscode.TreeItem(`${node.examples.toLocaleString()} examples`, vscode.TreeItemCollapsibleState.None);
    const rate = node.examples > 0 ? (node.successes / node.examples) * 100 : 0;
    item.description = `${rate.toFixed(1)}% success`;
    item.iconPath = new vscode.ThemeIcon('database');
    item.command = { command: 'learningViewer.openDashboard', title: 'Open Dashboard' };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
