// Reaching a PostgreSQL server: the URL (postgresql://user@host:port/db?sslmode=…),
// TLS as libpq's sslmode and sslrootcert (a CA file) say, read by node-postgres;
// the password from the URL or PGPASSWORD, never repeated in a message.
import { Pool, type PoolConfig } from 'pg';

export { describeUrl, isPostgresUrl } from './databaseUrl';
import { describeUrl } from './databaseUrl';

/** Removes any password a text may carry (a URL with user:password@), for logs and errors. */
export function redact(text: string, url?: string): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
  if (url) {
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password.length >= 3) out = out.split(password).join('***');
    } catch {
      // Not a URL: nothing more to hide.
    }
  }
  return out;
}

/** Error codes a TLS connection to a server with its own certificate gives. */
const SELF_SIGNED = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

/** What went wrong reaching or using the server, in words a user can act on, naming the place, never the password. */
export function connectionProblem(error: unknown, url: string): string {
  const e = error as NodeJS.ErrnoException & { code?: string; message?: string };
  const place = describeUrl(url);
  const code = e?.code ?? '';
  if (code === 'ECONNREFUSED') return `PostgreSQL at ${place} refused the connection: is the server running and listening there?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `PostgreSQL at ${place}: the host name cannot be resolved`;
  if (code === 'ETIMEDOUT') return `PostgreSQL at ${place} did not answer in time`;
  if (SELF_SIGNED.has(code)) {
    return `PostgreSQL at ${place} presented a certificate that no known authority signed (${code}): give its CA with sslrootcert=/path/to/ca.pem in the URL, or, on a network you trust, sslmode=require with uselibpqcompat=true to encrypt without checking`;
  }
  if (code === '28P01' || code === '28000') return `PostgreSQL at ${place} refused the login (${redact(e.message ?? '', url)}): check the user and the password (PGPASSWORD or the URL)`;
  if (code === '3D000') return `PostgreSQL at ${place}: ${redact(e.message ?? '', url)} (create it, or name another in the URL)`;
  if (/Connection terminated/i.test(e?.message ?? '') || code === 'ECONNRESET' || code === 'EPIPE') return `PostgreSQL at ${place}: the connection was lost`;
  if (code === '42501') return `PostgreSQL at ${place}: ${redact(e.message ?? '', url)} (the user needs to own the database, or to have CREATE on its schema, to make Learning Viewer's tables)`;
  if (code === '57P03') return `PostgreSQL at ${place} is starting up; try again in a moment`;
  return `PostgreSQL at ${place}: ${redact(e?.message ?? String(error), url)}`;
}

/** Errors that a retry may cure: the server gone, restarting or refusing for now, a deadlock or a serialization failure. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '40001', '40P01', '53300'].includes(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test((error as Error)?.message ?? '')
  );
}

/**
 * The URL with a password kept apart put in (node-postgres lets a connection string's fields win over
 * its config's, an absent password included); only ever handed to the driver, never shown.
 */
export function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  try {
    const u = new URL(url);
    u.password = encodeURIComponent(password);
    return u.toString();
  } catch {
    return url;
  }
}

export interface ConnectOptions {
  /** Connections at most (default 4: one writer, the readers of a refresh in parallel). */
  max?: number;
  /** Shown to the server as application_name. */
  application?: string;
  /** The password, when it is kept apart from the URL (an editor's SecretStorage); otherwise the URL's or PGPASSWORD. */
  password?: string;
}

/** A pool on the URL; connecting happens on first use. Pool errors on idle clients are reported, never thrown. */
export function openPool(url: string, options: ConnectOptions = {}, onIdleError?: (message: string) => void): Pool {
  const config: PoolConfig = {
    connectionString: withPassword(url, options.password),
    max: options.max ?? 4,
    application_name: options.application ?? 'learning-viewer',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  };
  const pool = new Pool(config);
  pool.on('error', (e) => onIdleError?.(connectionProblem(e, url)));
  // A client lent out has no listener of the pool's: a connection cut then (the server restarting) would
  // be thrown from its 'error' event and end the process. The query it was running fails with the same
  // error (a transient one, retried), and a client so broken is dropped when it is given back.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
