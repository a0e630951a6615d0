import type { Container } from '../../container';
import { GROUP_LABELS } from '../../examples/examplesTree';
import { groupFilters } from '../../examples/examplePages';
import { describeFilters } from '../../../shared/filters';
import { exportData } from '../exportData';
import { groupArg } from './commandArgs';

export async function exportGroup(container: Container, ...args: unknown[]): Promise<unknown> {
  const parsed = groupArg.safeParse(args[0]);
  if (!parsed.success) return undefined;
  const filters = groupFilters(container.filters.filters, parsed.data);
  return exportData(container, { filters, label: describeFilters(filters) || GROUP_LABELS[parsed.data.field] });
}
