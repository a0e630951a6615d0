// `learning-viewer serve` as a child process, for the real-server tests and the API benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** What the server has said on stderr so far. */
  log: () => string;
}

/** Starts `serve` on a free port and resolves once it says where it listens. */
export async function startServe(cli: string, db: string, extra: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cli, 'serve', '--db', db, '--port', '0', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
  return { child, url, log: () => err };
}

export async function stopServe(server: { child: ChildProcess }, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill(signal);
  await exited;
}
