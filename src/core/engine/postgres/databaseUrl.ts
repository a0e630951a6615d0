// A PostgreSQL URL as the editor and messages see it, without the driver: whether a
// text is one, and the place it names without the password.

/** Whether a --database value (or DATABASE_URL) names a PostgreSQL server rather than a folder. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text.trim());
}

/** The URL as a message may show it: user, host, port and database; never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    return `${user}${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}/${db}`;
  } catch {
    return 'a PostgreSQL URL that cannot be read';
  }
}

/** What a team database's URL in the editor must be: PostgreSQL's, naming a host, without a password (that goes to SecretStorage). Null when fine. */
export function urlProblem(url: string): string | null {
  if (!isPostgresUrl(url)) return 'Give a PostgreSQL URL: postgresql://user@host:5432/database (with ?sslmode=verify-full for TLS).';
  try {
    const u = new URL(url.trim());
    if (u.password) return 'Leave the password out of the URL: it is asked next and kept in VS Code\'s secret storage, never in settings.';
    if (!u.hostname) return 'The URL names no host.';
  } catch {
    return 'This URL cannot be read.';
  }
  return null;
}
