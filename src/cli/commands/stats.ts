// learning-viewer stats: its options, its help and what it does.
import { tokenCoverage, tokensPerExample, tokensPerSuccess, totalTokens, UNKNOWN } from '../../shared/figures';
import { EXIT_OK, openEngine, type Command, type DatabaseValues } from '../common';
import { cliFilters, type FilterValues, FILTER_OPTIONS } from '../options';
import { knownOutcomes, rateOfRow } from '../../core/analytics/successRate';

export const statsCommand: Command = {
  name: 'stats',
  help: `usage: learning-viewer stats --db DIR|--database URL [--json] [FILTERS]

Prints the totals of the database folder DIR: examples, successes, success
rate and its Wilson 95% interval, mean execution time, tokens, per tag, per
model and per day, of the examples the filters select. A rate is over the
examples whose outcome is known; how many are unknown is printed beside it.
FILTERS: --since DATE --until DATE (a date alone covers that whole day)
         --success true|false|unknown --tag T (repeatable; any of them) --model M
         --session S --search TEXT`,
  options: ['db', 'database', 'json', ...FILTER_OPTIONS],
  positionals: false,
  postgres: true,
  run: (_positionals, values) => runStats(values),
};

async function runStats(values: FilterValues & DatabaseValues & { json?: boolean }): Promise<number> {
  const filters = cliFilters(values);
  const store = await openEngine(values, true);
  try {
    const s = await store.summary(filters);
    const retention = await store.retention();
    const stats = {
      total: s.rate.total,
      successes: s.rate.successes,
      unknown: s.rate.unknown,
      successRate: s.rate.rate,
      successRateCI: s.rate.interval,
      avgExecutionTime: s.avgExecutionTime,
      totalTokens: totalTokens(s.tokens),
      tokensPerExample: tokensPerExample(s.tokens),
      tokensPerSuccess: tokensPerSuccess(s.tokens),
      examplesWithTokens: s.tokens.tokenExamples,
      byTag: (await store.byTag(filters)).map(({ tag, total, successes, unknown }) => ({ tag, total, successes, unknown })),
      byModel: (await store.byModel(filters)).map(({ model, total, successes, unknown }) => ({ model, total, successes, unknown })),
      daily: await store.daily(filters),
      retention: retention === null ? null : { removedBefore: new Date(retention.removedBefore).toISOString(), removedExamples: retention.removedExamples },
    };
    if (values.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
    else {
      const pct = (x: number | null) => (x === null ? UNKNOWN : `${(x * 100).toFixed(1)}%`);
      const ci = stats.successRateCI ? ` (95% interval ${pct(stats.successRateCI[0])}–${pct(stats.successRateCI[1])})` : '';
      const known = (t: { total: number; unknown: number }) => (t.unknown > 0 ? ` of ${knownOutcomes(t)} known, ${t.unknown} unknown` : '');
      const rate = (t: { total: number; successes: number; unknown: number }) => pct(rateOfRow(t).rate);
      process.stdout.write(`examples ${stats.total}, succeeded ${stats.successes}, success rate ${pct(stats.successRate)}${known(stats)}${ci}\n`);
      const count = (x: number | null) => (x === null ? '—' : Math.round(x).toLocaleString('en-US'));
      const coverage = tokenCoverage(s.tokens, stats.total);
      process.stdout.write(`tokens ${count(stats.totalTokens)}, ${count(stats.tokensPerExample)} per example, ${count(stats.tokensPerSuccess)} per success${coverage ? ` (${coverage})` : ''}\n`);
      for (const t of stats.byTag) process.stdout.write(`  tag ${t.tag}: ${t.total} examples, ${rate(t)}${known(t)}\n`);
      for (const m of stats.byModel) process.stdout.write(`  model ${m.model}: ${m.total} examples, ${rate(m)}${known(m)}\n`);
      if (stats.retention) {
        process.stdout.write(`(retention removed ${stats.retention.removedExamples} examples dated before ${stats.retention.removedBefore}; the figures above still count them where they come from the per-day rollups)\n`);
      }
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
