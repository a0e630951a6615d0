// Which data this editor shows: this workspace's own store, or a team's
// PostgreSQL database named by learningViewer.database.url (no password in it)
// with the password from SecretStorage. A URL from an untrusted workspace is
// not used until the workspace is trusted; a person may use this workspace's
// store although the workspace names a team database (kept per workspace).
import * as vscode from 'vscode';
import { hostname, userInfo } from 'node:os';
import { describeUrl, urlProblem } from '../../core/engine/postgres/databaseUrl';

/** Set (per workspace) when this person chose this workspace's own store over the team database. */
const USE_WORKSPACE_KEY = 'learningViewer.useWorkspaceDatabase';

/** Where the password of a database is kept: by place (user, host, port, database), never in settings. */
export function passwordKey(url: string): string {
  return `learningViewer.database.password:${describeUrl(url)}`;
}

export interface TeamDatabaseChoice {
  /** The team database to open, or null for this workspace's store. */
  database: { url: string; password: string | undefined; machine: string; owner: string } | null;
  /** Why a configured team database is not used (untrusted workspace, a URL that is not PostgreSQL's, a password in it), for a message. */
  note: string | null;
}

/** The name the team database shows for this person: learningViewer.user, else git's user.name, else the login name. */
export function userName(gitUserName: string | null): string {
  const set = vscode.workspace.getConfiguration('learningViewer').get<string>('user');
  if (typeof set === 'string' && set.trim()) return set.trim().slice(0, 200);
  if (gitUserName?.trim()) return gitUserName.trim().slice(0, 200);
  try {
    return userInfo().username;
  } catch {
    return 'someone';
  }
}

/** Reads the settings, the trust and the secret: which data to open. */
export async function teamDatabaseChoice(context: vscode.ExtensionContext, user: string): Promise<TeamDatabaseChoice> {
  const config = vscode.workspace.getConfiguration('learningViewer');
  const inspected = config.inspect<string>('database.url');
  // In an untrusted workspace VS Code gives only the user's value of a restricted setting.
  const url = (config.get<string>('database.url') ?? '').trim();
  const fromWorkspace = Boolean((inspected?.workspaceValue ?? inspected?.workspaceFolderValue ?? '').toString().trim());
  const untrustedNote =
    !vscode.workspace.isTrusted && fromWorkspace && !url
      ? "This workspace names a team database (learningViewer.database.url), which is not used until the workspace is trusted (Workspaces: Manage Workspace Trust): this workspace's own database is shown."
      : null;
  if (!url) return { database: null, note: untrustedNote };
  if (context.workspaceState.get<boolean>(USE_WORKSPACE_KEY)) return { database: null, note: null };
  const problem = urlProblem(url);
  if (problem) return { database: null, note: `learningViewer.database.url is not used: ${problem}` };
  const password = await context.secrets.get(passwordKey(url));
  return { database: { url, password, machine: hostname(), owner: `${user} (editor on ${hostname()})` }, note: null };
}

/** Connect to Team Database…: the URL, then the password (kept in SecretStorage), then where the URL is kept. */
export async function askForTeamDatabase(context: vscode.ExtensionContext): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('learningViewer');
  const url = await vscode.window.showInputBox({
    title: 'Connect to Team Database (1/3): URL',
    prompt: 'PostgreSQL URL without the password: postgresql://user@host:5432/database, with ?sslmode=verify-full&sslrootcert=/path/ca.pem for TLS',
    value: config.get<string>('database.url') || 'postgresql://',
    ignoreFocusOut: true,
    validateInput: (v) => urlProblem(v),
  });
  if (url === undefined) return false;
  const password = await vscode.window.showInputBox({
    title: `Connect to Team Database (2/3): password of ${describeUrl(url)}`,
    prompt: 'Kept only in VS Code\'s secret storage on this machine, never in settings or logs. Empty: no password (a trusted local server, or PGPASSWORD).',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return false;
  const where = await vscode.window.showQuickPick(
    [
      { label: 'Workspace settings', description: 'shared with the team through git', target: vscode.ConfigurationTarget.Workspace },
      { label: 'User settings', description: 'for me, in every workspace', target: vscode.ConfigurationTarget.Global },
    ],
    { title: 'Connect to Team Database (3/3): keep the URL in', ignoreFocusOut: true },
  );
  if (!where) return false;
  if (password) await context.secrets.store(passwordKey(url), password);
  else await context.secrets.delete(passwordKey(url));
  await context.workspaceState.update(USE_WORKSPACE_KEY, undefined);
  await config.update('database.url', url.trim(), vscode.workspace.workspaceFolders?.length ? where.target : vscode.ConfigurationTarget.Global);
  return true;
}

/** Use This Workspace's Database: for this person in this workspace, whatever the settings name. */
export async function chooseWorkspaceDatabase(context: vscode.ExtensionContext): Promise<void> {
  await context.workspaceState.update(USE_WORKSPACE_KEY, true);
}
