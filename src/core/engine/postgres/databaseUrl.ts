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
