// The data worker: owns the sql.js database and serves the host's requests.
// Nothing here blocks the extension host thread. This file only connects the
// thread's port to the data service (src/worker/dataService.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { workerInitSchema } from '../shared/workerProtocol';
import { createDataService } from './dataService';

if (!parentPort) throw new Error('dataWorker.js must run as a worker thread');
const port = parentPort;
const parseWorker = join(__dirname, 'parseWorker.js');
const scanWorker = join(__dirname, 'scanWorker.js');
const service = createDataService({
  init: workerInitSchema.parse(workerData),
  post: (message) => port.postMessage(message),
  parseWorker: existsSync(parseWorker) ? parseWorker : undefined,
  scanWorker: existsSync(scanWorker) ? scanWorker : undefined,
});
port.on('message', (message: unknown) => void service.dispatch(message));
