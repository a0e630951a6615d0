import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DashboardState } from '../../src/shared/dashboardProtocol';
import type { StoredExample } from '../../src/shared/example';
import { filtersSchema } from '../../src/shared/filters';
import { launchChromium } from '../helpers/chromium';

const root = join(__dirname, '..', '..');

/** A few of VS Code's theme variables, enough to judge the panel by eye in each theme. */
const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editorWidget-background': '#252526',
      '--vscode-widget-border': '#454545',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-testing-iconPassed': '#73c991',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editor-background': '#ffffff',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-testing-iconPassed': '#388a34',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

function page(theme: ThemeName): string {
  const t = THEMES[theme];
  const style = Object.entries(t.vars)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  // The same CSP as the real panel; the stand-in host is the only other script.
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self' 'nonce-test'; script-src 'nonce-test'">
<meta name="lv-nonce" content="test">
<style nonce="test">body { ${style}; background: var(--vscode-editor-background); margin: 0; }</style>
<script nonce="test">
  window.__posted = [];
  window.__state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
</script></head>
<body class="${t.bodyClass}">
<lv-app></lv-app>
<script nonce="test" src="/dist/webview.js"></script>
</body></html>`;
}

/** Serves the built panel bundle and a page that plays the host's part. */
export class PanelHarness {
  private server!: Server;
  private browser!: Browser;
  private base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/dist/webview.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(readFileSync(join(root, 'dist', 'webview.js')));
      } else if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(page((url.searchParams.get('theme') as ThemeName | null) ?? 'dark'));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.browser = await launchChromium();
  }

  async open(theme: ThemeName = 'dark', width = 1100): Promise<Page> {
    const p = await this.browser.newPage({ viewport: { width, height: 700 } });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    (p as Page & { errors: string[] }).errors = errors;
    await p.goto(`${this.base}/?theme=${theme}`);
    return p;
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await new Promise((r) => this.server?.close(r));
  }
}

/** Sends a message as the host would. */
export async function fromHost(p: Page, message: unknown): Promise<void> {
  await p.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function posted(p: Page): Promise<unknown[]> {
  return p.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
}

export function state(overrides: Partial<DashboardState> = {}, health: Partial<DashboardState['health']> = {}): DashboardState {
  return {
    version: 1,
    health: { state: 'ok', reason: null, examples: 1234, lastImport: '2026-11-20T10:00:00.000Z', followedFiles: 1, recoveredFrom: null, prunedBefore: null, prunedExamples: 0, place: { engine: 'embedded', name: 'This workspace' }, connection: null, ...health },
    filters: filtersSchema.parse({}),
    filtersSeq: 0,
    summary: {
      rate: { total: 1234, successes: 987, unknown: 0, rate: 987 / 1234, interval: [0.776, 0.821] },
      avgExecutionTime: 4.25,
      tokens: { tokens: 1_500_000, tokenExamples: 1234, tokenSuccesses: 950, knownTokens: 1_500_000 },
      previous: null,
      activity: null,
    },
    byTag: [
      { tag: 'auth', total: 400, successes: 300, unknown: 0 },
      { tag: 'api', total: 12, successes: 6, unknown: 0 },
    ],
    byModel: [{ model: 'Mistral 7B', total: 800, successes: 600, unknown: 0, tokens: { tokens: 900_000, tokenExamples: 800, tokenSuccesses: 600, knownTokens: 900_000 }, avgExecutionTime: 3.5 }],
    daily: Array.from({ length: 30 }, (_, i) => ({ day: `2026-10-${String(i + 1).padStart(2, '0')}`, total: 40 + i, successes: 25 + i, unknown: 0 })),
    trusted: true,
    savedViews: [],
    savedViewsProblem: null,
    alerts: { active: [], history: [], muted: [], lastCheck: null },
    git: null,
    error: null,
    omitted: { tags: { groups: 0, total: 0 }, models: { groups: 0, total: 0 }, days: { groups: 0, total: 0, before: null } },
    ...overrides,
  };
}

/** A row as the host sends it. */
export function row(i: number, overrides: Partial<StoredExample> = {}): StoredExample {
  return {
    id: `ex-${i}`,
    timestamp: new Date(Date.UTC(2026, 10, 20, 10, i)).toISOString(),
    sessionId: 's1',
    taskDescription: `Task number ${i}`,
    codeContext: null,
    success: i % 3 !== 0,
    metrics: { execution_time: 1.5 },
    tags: ['auth'],
    model: 'Mistral 7B',
    tokens: 100 + i,
    humanFeedback: null,
    extra: {},
    source: null,
    futureTimestamp: false,
    ...overrides,
  };
}

/** Waits for the panel's next request of `method` that has not been answered, and returns it. */
export async function nextRequest(p: Page, method: string, after = 0): Promise<{ id: number; params: Record<string, unknown> }> {
  const handle = await p.waitForFunction(
    ([m, a]) =>
      (window as unknown as { __posted: { type: string; method?: string; id?: number }[] }).__posted.find(
        (x) => x.type === 'request' && x.method === m && (x.id ?? 0) > (a as number),
      ) ?? false,
    [method, after] as const,
  );
  return (await handle.jsonValue()) as unknown as { id: number; params: Record<string, unknown> };
}

export async function answer(p: Page, id: number, result: unknown): Promise<void> {
  await fromHost(p, { type: 'response', id, ok: true, result });
}
