// The code search thread (see codeScanner.ts): searches a run of codes in the
// code file for a text and answers with the indexes of those that hold it. It
// only reads the file.
import { parentPort } from 'node:worker_threads';
import { CodeFile } from '../core/storage/codeFile';

export interface ScanRequest {
  id: number;
  path: string;
  needle: string;
  offsets: Float64Array;
  lengths: Uint32Array;
}

export interface ScanReply {
  id: number;
  hits?: Uint32Array;
  error?: string;
}

const port = parentPort;
port?.on('message', (m: ScanRequest) => {
  let file: CodeFile | null = null;
  try {
    file = new CodeFile(m.path, false);
    const hits = Uint32Array.from(file.codesContaining(m.needle, m.offsets, m.lengths));
    const reply: ScanReply = { id: m.id, hits };
    port.postMessage(reply, [hits.buffer]);
  } catch (e) {
    const reply: ScanReply = { id: m.id, error: (e as Error).message };
    port.postMessage(reply);
  } finally {
    file?.close();
  }
});
