// learning-viewer analytics: its options, its help and what it does.
import { EXIT_OK, UsageError, openEngine, type Command, type DatabaseValues } from '../common';
import { cliFilters, type FilterValues, FILTER_OPTIONS } from '../options';

export const analyticsCommand: Command = {
  name: 'analytics',
  help: `usage: learning-viewer analytics --db DIR|--database URL [--json] [--compare A,B] [FILTERS]

Prints what the panel's Analytics tab shows for the examples the filters
select: the trend in words, the prediction (or why there is none),
recommendations and insights, each with its reason. --json prints the whole
report as one JSON object. --compare A,B adds model A against model B (with
--tag, within that tag): rates, the difference and its significance.`,
  options: ['db', 'database', 'json', 'compare', ...FILTER_OPTIONS],
  positionals: false,
  postgres: true,
  run: (_positionals, values) => runAnalytics(values),
};

async function runAnalytics(values: FilterValues & DatabaseValues & { json?: boolean; compare?: string }): Promise<number> {
  const filters = cliFilters(values);
  let pair: [string, string] | null = null;
  if (values.compare !== undefined) {
    const parts = values.compare.split(',').map((x) => x.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError('--compare takes two model names separated by a comma: --compare "Model A,Model B"');
    pair = [parts[0], parts[1]];
  }
  const store = await openEngine(values, true);
  try {
    // The same advice as the panel's, "go deeper" from the tasks this database holds included.
    const report = await store.analytics(filters);
    const tag = filters.tags.length === 1 ? filters.tags[0]! : null;
    const comparison = pair ? await store.compareModels({ ...filters, tags: [] }, pair[0], pair[1], tag) : null;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...report, comparison })}\n`);
      return EXIT_OK;
    }
    const lines = [
      `trend: ${report.trend.statement}`,
      `prediction: ${report.prediction.forecasts.map((f) => `in ${f.days} days ${f.value.toFixed(1)}% (${f.low.toFixed(1)}–${f.high.toFixed(1)}%)`).join(', ')}${report.prediction.forecasts.length ? '. ' : ''}${report.prediction.explanation}`,
      ...report.recommendations.map((r) => `recommendation: ${r.title} (${r.depth}): ${r.reason}`),
      ...report.insights.map((i) => `insight: ${i.title}: ${i.detail}`),
      ...(comparison ? [`A/B: ${comparison.verdict}`] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
