import * as vscode from 'vscode';
import type { Container } from '../../container';
import { GROUP_LABELS } from '../../examples/examplesTree';
import { groupFieldSchema } from '../../../shared/workerProtocol';

export async function groupExamplesBy(container: Container, ...args: unknown[]): Promise<void> {
  const given = groupFieldSchema.safeParse(args[0]);
  const field = given.success
    ? given.data
    : (
        await vscode.window.showQuickPick(
          groupFieldSchema.options.map((f) => ({ label: GROUP_LABELS[f], field: f, description: f === container.tree.groupBy ? 'current' : undefined })),
          { title: 'Group Examples By' },
        )
      )?.field;
  if (field) await container.tree.setGroupBy(field);
}
