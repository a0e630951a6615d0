// learning-viewer export: its options, its help and what it does.
import { exportExamples, type ExportFormat } from '../../core/export/exportExamples';
import { EmbeddedEngine } from '../../core/engine/embeddedEngine';
import { EXIT_OK, UsageError, openEngine, type Command, type DatabaseValues } from '../common';
import { cliFilters, type FilterValues, FILTER_OPTIONS } from '../options';

export const exportCommand: Command = {
  name: 'export',
  help: `usage: learning-viewer export --db DIR|--database URL --format csv|json|jsonl --out FILE [--bom] [FILTERS]

Writes the examples the filters select to FILE. CSV follows RFC 4180; a text
cell that starts with = + - @, a tab or a carriage return gets a leading ' so
spreadsheets show it as text. --bom starts a CSV with a UTF-8 byte order mark.
JSON and JSON Lines round-trip: importing them gives the same examples.`,
  options: ['db', 'database', 'format', 'out', 'bom', ...FILTER_OPTIONS],
  positionals: false,
  postgres: true,
  run: (_positionals, values) => runExport(values),
};

async function runExport(values: FilterValues & DatabaseValues & { format?: string; out?: string; bom?: boolean }): Promise<number> {
  if (!values.out) throw new UsageError('--out FILE is required');
  if (values.format !== 'csv' && values.format !== 'json' && values.format !== 'jsonl') throw new UsageError('--format takes csv, json or jsonl');
  const filters = cliFilters(values);
  const engine = await openEngine(values, true);
  try {
    // The embedded store directly (its code records checked as they are read); any other engine through the contract.
    const source = engine instanceof EmbeddedEngine ? engine.store : engine;
    const { written, codeProblems } = await exportExamples(source, values.out, { format: values.format as ExportFormat, filters, csvBom: values.bom });
    for (const p of codeProblems) process.stderr.write(`learning-viewer: ${p}; written without its code\n`);
    process.stderr.write(`wrote ${written} examples to ${values.out}\n`);
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}
