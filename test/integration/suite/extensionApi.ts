import * as vscode from 'vscode';
import type { LearningViewerApi } from '../../../src/extension/extension';
import type { Task } from '../../../src/shared/tasks';

/** The extension's API (its container), activating it if need be. */
export async function api(): Promise<LearningViewerApi> {
  return vscode.extensions.getExtension<LearningViewerApi>('learning-viewer.learning-viewer')!.activate();
}

/** Resolves with the task once it reaches one of `states` (the queue's own change event, no polling). */
export async function until(id: string, states: Task['state'][]): Promise<Task> {
  const { container } = await api();
  const now = container.tasks.queue.get(id);
  if (now && states.includes(now.state)) return now;
  return new Promise((resolve) => {
    const sub = container.tasks.onDidChange((t) => {
      if (t?.id === id && states.includes(t.state)) {
        sub.dispose();
        resolve(t);
      }
    });
  });
}

/** Resolves once `check` holds, checked again at each change the views hear of (no polling). */
export async function untilData(check: () => Promise<boolean>): Promise<void> {
  const { container } = await api();
  if (await check()) return;
  await new Promise<void>((resolve) => {
    const sub = container.onDidChangeData(() => {
      void check().then((ok) => {
        if (!ok) return;
        sub.dispose();
        resolve();
      });
    });
  });
}
