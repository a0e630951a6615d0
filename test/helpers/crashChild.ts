// A process that imports a KIMI log in follow mode, saving a snapshot after
// every batch and printing "ack N" once N examples are safely on disk. The
// crash test kills it at random moments.
import { importFile } from '../../src/core/ingest/importFile';
import { LearningStore } from '../../src/core/storage/learningStore';
import { testSqlJs } from './sqlJs';

const [dataDir, logFile] = process.argv.slice(2) as [string, string];

async function main(): Promise<void> {
  const store = LearningStore.open({ SQL: await testSqlJs(), dataDir });
  if (store.readOnly) throw new Error(`read-only: ${store.reason}`);
  await importFile(store, logFile, {
    assumeTimeZone: 'utc',
    now: Date.now(),
    follow: true,
    batchSize: 50,
    afterBatch: async () => {
      await store.save();
      process.stdout.write(`ack ${store.count()}\n`);
    },
  });
  store.close();
  process.stdout.write('done\n');
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(3);
});
