// Safe on localhost: a browser page can make this machine's browser send a
// request to 127.0.0.1, and DNS rebinding can make evil.example resolve here.
// So the server answers only to the Host names it serves, refuses any Origin
// not listed, and binds a non-loopback address only with authentication.
import { isIP } from 'node:net';

/** Whether `host` is a loopback address or the name localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/** The Host values a server on `host:port` answers to: its own address and, for loopback, every loopback name. */
export function defaultAllowedHosts(host: string, port: number, extra: readonly string[] = []): string[] {
  const names = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [isIP(host) === 6 ? `[${host}]` : host];
  return [...new Set([...names.map((n) => `${n}:${port}`), ...extra.map((e) => e.toLowerCase())])];
}

export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  return header !== undefined && allowed.includes(header.trim().toLowerCase());
}

/** An exact match against the list: scheme, host and port. No wildcard, ever. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes(origin.trim().toLowerCase());
}
