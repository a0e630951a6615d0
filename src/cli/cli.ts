// The command line: the same core as the extension, outside VS Code.
// Filled in by the data engine; for now it reports the store's size.
import { join } from 'node:path';
import { LearningStore } from '../core/storage/learningStore';
import { loadSqlJs } from '../core/storage/loadSqlJs';
import { summary } from '../core/queries/summary';

async function main(argv: string[]): Promise<number> {
  const dbIndex = argv.indexOf('--db');
  const dataDir = dbIndex >= 0 ? argv[dbIndex + 1] : undefined;
  if (argv.includes('--help') || !dataDir) {
    process.stdout.write('usage: learning-viewer stats --db DIR\n');
    return dataDir ? 0 : 2;
  }
  const SQL = await loadSqlJs(join(__dirname, 'sql-wasm.wasm'));
  const store = LearningStore.open({ SQL, dataDir, readOnly: true });
  process.stdout.write(`${JSON.stringify(summary(store))}\n`);
  store.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`learning-viewer: ${e.message}\n`);
    process.exit(2);
  },
);
