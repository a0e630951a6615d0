import * as vscode from 'vscode';
import type { Container } from '../../container';
import { groupFilters } from '../../examples/examplePages';
import { filtersSchema } from '../../../shared/filters';
import { groupArg } from './commandArgs';

/** Filter Dashboard by This…: a group's tag, model, session, day or outcome becomes the shared filter. */
export async function filterByGroup(container: Container, ...args: unknown[]): Promise<void> {
  const parsed = groupArg.safeParse(args[0]);
  if (!parsed.success) return;
  const g = parsed.data;
  const current = container.filters.filters;
  const next = g.field === 'tag' ? { ...current, tags: [g.key], tagMode: 'any' as const } : groupFilters(current, g);
  await container.filters.set(filtersSchema.parse(next));
  await vscode.commands.executeCommand('learningViewer.openDashboard');
}
