// The HTTP API inside VS Code: it runs in the data worker, beside the store,
// so that requests never take the editor's thread. Started by the setting or
// the command, on 127.0.0.1 only; the log and the status bar say where.
import * as vscode from 'vscode';
import { z } from 'zod';
import type { Container } from '../container';
import { showError, showInfo, showWarning } from '../notify';

/** Settings are untrusted input: parsed, with the defaults of package.json when a value is wrong. */
const apiSettingsSchema = z.object({
  enabled: z.boolean().catch(false),
  port: z.number().int().min(0).max(65535).catch(8000),
  requireToken: z.boolean().catch(true),
  allowedOrigins: z
    .array(z.string().max(500))
    .max(50)
    .catch([])
    .transform((list) => list.filter((o) => /^https?:\/\/[^/*\s]+$/i.test(o))),
});
export type ApiSettings = z.infer<typeof apiSettingsSchema>;

export function readApiSettings(): ApiSettings {
  const c = vscode.workspace.getConfiguration('learningViewer.api');
  return apiSettingsSchema.parse({ enabled: c.get('enabled'), port: c.get('port'), requireToken: c.get('requireToken'), allowedOrigins: c.get('allowedOrigins') });
}

export class ApiServerControl implements vscode.Disposable {
  /** Where it listens, while it runs. */
  status: { url: string; requireToken: boolean } | null = null;
  private readonly disposables: vscode.Disposable[] = [];
  /** One start or stop at a time. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly container: Container) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('learningViewer.api')) return;
        const settings = readApiSettings();
        // Turned on or off: follow. Another port or token rule while it runs: restart with it.
        if (settings.enabled) void this.start('the setting').catch(() => undefined);
        else if (this.status && e.affectsConfiguration('learningViewer.api.enabled')) void this.stop().catch(() => undefined);
        else if (this.status) void this.start('a change of its settings').catch(() => undefined);
      }),
    );
    void container.data.opened.then(() => {
      if (readApiSettings().enabled) void this.start('the setting').catch(() => undefined);
    });
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Starts the server with the current settings (restarting it if it runs); resolves with its address. */
  start(why = 'the command'): Promise<string> {
    return this.serial(async () => {
      const settings = readApiSettings();
      if (this.status) {
        await this.container.data.request('stopApi', {});
        this.status = null;
      }
      try {
        const { url } = await this.container.data.request('startApi', { port: settings.port, requireToken: settings.requireToken, allowedOrigins: settings.allowedOrigins });
        this.status = { url, requireToken: settings.requireToken };
        this.container.log.info(`API server started by ${why}: listening on ${url} (${settings.requireToken ? 'tokens required' : 'no token needed'})`);
        return url;
      } catch (e) {
        const message = (e as Error).message;
        const busy = /EADDRINUSE/.test(message);
        const text = busy
          ? `Learning Viewer: the API server could not listen on port ${settings.port}: another program uses it. Choose another port (learningViewer.api.port).`
          : `Learning Viewer: the API server could not start (${message}).`;
        this.container.log.error(text);
        void showError(text, 'Open Settings').then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'learningViewer.api');
        });
        throw e;
      } finally {
        this.container.notifyChanged();
      }
    });
  }

  stop(): Promise<boolean> {
    return this.serial(async () => {
      const { stopped } = await this.container.data.request('stopApi', {});
      if (stopped) this.container.log.info('API server stopped');
      this.status = null;
      this.container.notifyChanged();
      return stopped;
    });
  }

  /**
   * Makes a token with a role and shows it once, copied to the clipboard.
   * Only its hash is kept (beside the data); the token is in no setting and no log.
   */
  async createToken(role?: 'ingest' | 'read' | 'admin', name?: string): Promise<string | undefined> {
    const chosen =
      role ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'ingest', role: 'ingest' as const, detail: 'Post examples, read the statistics and insights: what KIMI needs.' },
            { label: 'read', role: 'read' as const, detail: 'Everything that reads: examples, exports, analytics, metrics.' },
            { label: 'admin', role: 'admin' as const, detail: 'Everything, feedback edits included.' },
          ],
          { title: 'Create API Token', placeHolder: 'What may this token do?' },
        )
      )?.role;
    if (!chosen) return undefined;
    const label =
      name ??
      (await vscode.window.showInputBox({
        title: 'Create API Token',
        prompt: 'A name to tell it by (shown in `learning-viewer token list`)',
        value: `${chosen}-${new Date().toISOString().slice(0, 10)}`,
        validateInput: (v) => (v.trim().length === 0 ? 'Give it a name' : v.length > 100 ? 'At most 100 characters' : undefined),
      }));
    if (!label) return undefined;
    const created = await this.container.data.request('createApiToken', { role: chosen, name: label.trim() });
    await vscode.env.clipboard.writeText(created.token);
    this.container.log.info(`API token "${created.name}" (${created.role}, id ${created.id}) created`);
    const where = this.status ? ` Send it as "Authorization: Bearer …" to ${this.status.url}.` : ' Start the API server to use it.';
    if (!this.status?.requireToken && this.status) void showWarning(vscode.l10n.t('Learning Viewer: the API server runs without tokens (learningViewer.api.requireToken is off): tokens are not checked until it is on.'));
    void showInfo(`Learning Viewer: token "${created.name}" (${created.role}) is copied to the clipboard. It is shown only now: ${created.token}.${where}`);
    return created.token;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
