// Asks the runner (outside VS Code, driving Chromium) what a person sees.
const base = process.env.LV_TEST_BRIDGE;

async function call<T>(op: string, args: Record<string, unknown>): Promise<T> {
  if (!base) throw new Error('LV_TEST_BRIDGE is not set: run the suite with `npm run test:integration`');
  const res = await fetch(base, { method: 'POST', body: JSON.stringify({ op, ...args }) });
  const json = (await res.json()) as { ok: boolean; error?: string } & T;
  if (!json.ok) throw new Error(`bridge ${op}: ${json.error}`);
  return json;
}

/** The visible text of the element with `data-testid` inside the Learning Viewer webview, once it contains `contains`. */
export async function webviewText(testId: string, contains?: string): Promise<string> {
  return (await call<{ text: string }>('webviewText', { testId, contains })).text;
}

export async function webviewClick(role: string, name: string): Promise<void> {
  await call('webviewClick', { role, name });
}

/** Resolves once `text` is shown somewhere in the workbench. */
export async function workbenchShows(text: string): Promise<void> {
  await call('workbenchText', { text });
}

export async function screenshot(name: string): Promise<void> {
  await call('screenshot', { name });
}

export async function webviewFill(testId: string, text: string): Promise<void> {
  await call('webviewFill', { testId, text });
}

export async function webviewSelect(label: string, value: string): Promise<void> {
  await call('webviewSelect', { label, value });
}

/** Fills the webview's input with this accessible label. */
export async function webviewFillLabel(label: string, text: string): Promise<void> {
  await call('webviewFillLabel', { label, text });
}

/** The webview's width, its content's width, and its body's theme class (vscode-light, vscode-dark…). */
export async function webviewLayout(): Promise<{ clientWidth: number; scrollWidth: number; bodyClass: string }> {
  return call('webviewLayout', {});
}

export async function webviewClickTestId(testId: string, index = 0): Promise<void> {
  await call('webviewClickTestId', { testId, index });
}

/** Types into the focused quick pick or input of the workbench, then presses a key (Enter by default). */
export async function workbenchType(text: string, press = 'Enter'): Promise<void> {
  await call('workbenchType', { text, press });
}

/** The links and message texts of the notifications on screen. */
export async function notificationLinks(): Promise<{ links: { text: string; href: string; dataHref: string; title: string }[]; messages: string[] }> {
  return call('notificationLinks', {});
}

/** Resolves once a notification (toast or centre) shows `text` in its message. */
export async function notificationShows(text: string): Promise<void> {
  await call('notificationShows', { text });
}

/** Clicks `button` on the notification whose message contains `contains`. */
export async function notificationClick(contains: string, button: string): Promise<void> {
  await call('notificationClick', { contains, button });
}

/** Opens a second VS Code window on the workspace (its own extension host, the same browser storage) and its dashboard. */
export async function openSecondWindow(): Promise<void> {
  await call('openSecondWindow', {});
}

/** Resolves once the second window's panel shows `contains` in `testId`, with how long that took (ms). */
export async function secondWebviewText(testId: string, contains: string, timeoutMs = 20_000): Promise<number> {
  return (await call<{ ms: number }>('secondWebviewText', { testId, contains, timeoutMs })).ms;
}

export async function secondScreenshot(name: string): Promise<void> {
  await call('secondScreenshot', { name });
}

export async function closeSecondWindow(): Promise<void> {
  await call('closeSecondWindow', {});
}
