// The parse worker: reads and validates one KIMI log in batches for the data
// worker (or the command line), at most PARSE_AHEAD batches ahead of it.
import { parentPort, workerData } from 'node:worker_threads';
import { PARSE_AHEAD, parseBatches, type ParseBatchesOptions, type ParseWorkerMessage } from '../core/ingest/parseBatches';

const { path, options } = workerData as { path: string; options: ParseBatchesOptions };
const port = parentPort!;
let credits = PARSE_AHEAD;
let wake: (() => void) | null = null;
port.on('message', (m: unknown) => {
  if (m !== 'more') return;
  credits++;
  wake?.();
});

const send = (m: ParseWorkerMessage) => port.postMessage(m);

async function main(): Promise<void> {
  for await (const batch of parseBatches(path, options)) {
    while (credits === 0) await new Promise<void>((r) => (wake = r));
    credits--;
    send({ type: 'batch', json: JSON.stringify(batch) });
  }
  send({ type: 'end' });
  port.close();
}

main().catch((e: Error) => {
  send({ type: 'error', message: e.message });
  port.close();
});
