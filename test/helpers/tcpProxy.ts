// A TCP proxy in front of a database, for the tests of a server that goes away:
// cut() ends every connection and refuses new ones, restore() listens again.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Proxy {
  /** The database URL through the proxy. */
  url: string;
  cut(): void;
  restore(): Promise<void>;
  close(): void;
}

export async function startProxy(databaseUrl: string): Promise<Proxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let server: Server;
  const listen = (port: number) =>
    new Promise<number>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      }).listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const port = await listen(0);
  const via = new URL(databaseUrl);
  via.hostname = '127.0.0.1';
  via.port = String(port);
  const cut = () => {
    server.close();
    for (const s of sockets) s.destroy();
  };
  return { url: via.toString(), cut, restore: async () => void (await listen(port)), close: cut };
}
