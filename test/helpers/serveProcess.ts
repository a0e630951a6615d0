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
export function startServe(cli: string, db: string, extra: string[] = []): Promise<ServeProcess> {
  return startServeWith(cli, ['--db', db, ...extra]);
}

/** `serve` with these options (the database among them) on a free port. */
export async function startServeWith(cli: string, options: string[], env: NodeJS.ProcessEnv = process.env): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...options], { stdio: ['ignore', 'ignore', 'pipe'], env });
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
