// A PostgreSQL server that speaks only TLS, for the tests of sslmode: a proxy
// that answers the client's SSLRequest with 'S', ends TLS with a certificate
// its own test CA signed (made with openssl), and passes the plain protocol on
// to the real server. A client that does not ask for TLS is refused, as a
// server with `hostssl` only would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';

export interface TlsProxy {
  /** The database URL through the proxy (host 127.0.0.1), without sslmode. */
  url: string;
  /** The test CA's certificate file, for sslrootcert. */
  caFile: string;
  /** Connections that completed a TLS handshake, and those refused for asking none. */
  readonly tlsSessions: number;
  readonly refusedPlain: number;
  close(): void;
}

/** The PostgreSQL protocol's SSLRequest code. */
const SSL_REQUEST = 80_877_103;

/** A CA and a server certificate for 127.0.0.1 it signed, in `dir`. */
function makeCertificates(dir: string): { ca: string; key: string; cert: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Learning Viewer test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  return { ca: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') };
}

export async function startTlsProxy(databaseUrl: string): Promise<TlsProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'lv-tls-'));
  const { ca, key, cert } = makeCertificates(dir);
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const counts = { tls: 0, plain: 0 };
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server = createServer((client) => {
    track(client);
    client.once('readable', () => {
      const head = client.read(8) as Buffer | null;
      if (!head || head.readInt32BE(0) !== 8 || head.readInt32BE(4) !== SSL_REQUEST) {
        counts.plain++;
        client.destroy();
        return;
      }
      client.write('S');
      const secure = new TLSSocket(client, { isServer: true, key, cert });
      track(secure);
      secure.once('secure', () => {
        counts.tls++;
        const upstream = createConnection(Number(target.port || 5432), target.hostname);
        track(upstream);
        secure.pipe(upstream).pipe(secure);
      });
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  const via = new URL(databaseUrl);
  via.hostname = '127.0.0.1';
  via.port = String(port);
  return {
    url: via.toString(),
    caFile: ca,
    get tlsSessions() {
      return counts.tls;
    },
    get refusedPlain() {
      return counts.plain;
    },
    close() {
      server.close();
      for (const s of sockets) s.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
