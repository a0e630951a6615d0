// Runs the integration suite inside a real VS Code extension host: code-server
// (VS Code 1.99.3) driven by headless Chromium. The suite reports its exit
// code through `codeAutomationExit`; a loopback bridge lets it ask Playwright
// what a person would see (the webview's frame, the workbench).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, dirname } from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, startCodeServer, writeUserSettings } from './codeServer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SUITE_TIMEOUT_MS = 10 * 60_000;
const shots = join(root, 'test-results', 'screenshots');

execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--tests'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

const runDir = join(root, '.cache', 'integration');
rmSync(runDir, { recursive: true, force: true });
const workspace = join(runDir, 'workspace');
const userDataDir = join(runDir, 'user-data');
const extensionsDir = join(runDir, 'extensions');
const agentHome = join(runDir, 'agent-home');
mkdirSync(workspace, { recursive: true });
mkdirSync(shots, { recursive: true });
// Alerts stay off but in the suite that turns them on, so no other test meets an alert's notification.
writeUserSettings(userDataDir, { 'learningViewer.alerts.enabled': false });

let page;
/** A second window of the same folder (its own extension host, the same browser storage), for team mode. */
let second;
let openSecond;
let secondFrame;
async function webviewFrame(timeoutMs, on = page) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of on.frames()) {
      try {
        if ((await frame.locator('lv-app').count()) > 0) return frame;
      } catch {
        // frame went away
      }
    }
    if (Date.now() > deadline) throw new Error('no webview with the Learning Viewer panel appeared');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ops = {
  async webviewText({ testId, contains, timeoutMs = 20_000 }) {
    const frame = await webviewFrame(timeoutMs);
    let locator = frame.getByTestId(testId);
    if (contains) locator = locator.filter({ hasText: contains });
    await locator.first().waitFor({ timeout: timeoutMs });
    // Read through a component's shadow root, as a person sees it, whitespace folded.
    const text = await locator.first().evaluate((el) => (el.shadowRoot ? el.shadowRoot.textContent : el.textContent) ?? '');
    return { text: text.replace(/\s+/g, ' ').trim() };
  },
  async webviewClick({ role, name, timeoutMs = 20_000 }) {
    const frame = await webviewFrame(timeoutMs);
    await frame.getByRole(role, { name }).click({ timeout: timeoutMs });
    return {};
  },
  async webviewFill({ testId, text, timeoutMs = 20_000 }) {
    const frame = await webviewFrame(timeoutMs);
    await frame.getByTestId(testId).fill(text, { timeout: timeoutMs });
    return {};
  },
  async webviewSelect({ label, value, timeoutMs = 20_000 }) {
    const frame = await webviewFrame(timeoutMs);
    await frame.getByLabel(label, { exact: true }).selectOption(value, { timeout: timeoutMs });
    return {};
  },
  /** Fills the webview's input with this accessible label (a date input takes YYYY-MM-DD). */
  async webviewFillLabel({ label, text, timeoutMs = 20_000 }) {
    const frame = await webviewFrame(timeoutMs);
    await frame.getByLabel(label, { exact: true }).fill(text, { timeout: timeoutMs });
    return {};
  },
  /** The webview document's width, how wide its content is (more: it scrolls sideways), and its body's theme class. */
  async webviewLayout({ timeoutMs = 20_000 }) {
    const frame = await webviewFrame(timeoutMs);
    return frame.evaluate(() => ({ clientWidth: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth, bodyClass: document.body.className }));
  },
  async webviewClickTestId({ testId, index = 0, timeoutMs = 20_000 }) {
    const frame = await webviewFrame(timeoutMs);
    await frame.getByTestId(testId).nth(index).click({ timeout: timeoutMs });
    return {};
  },
  /** Every link in the notifications (toasts and the centre) as a person could click it: its text and target. */
  async notificationLinks() {
    const links = await page.locator('.notifications-toasts a, .notifications-center a, .notification-list-item a').evaluateAll((as) =>
      as.map((a) => ({ text: a.textContent ?? '', href: a.getAttribute('href') ?? '', dataHref: a.getAttribute('data-href') ?? '', title: a.getAttribute('title') ?? '' })),
    );
    const messages = await page.locator('.notification-list-item-message').allTextContents();
    return { links, messages };
  },
  /**
   * Resolves once a notification's message element holds `text` (the screen-reader
   * announcement of a notification can hold it before the toast is drawn).
   */
  async notificationShows({ text, timeoutMs = 20_000 }) {
    // The centre's hidden list holds every notification too: the one looked for is a visible one.
    const shown = () => page.locator('.notification-list-item-message', { hasText: text }).filter({ visible: true }).first();
    try {
      try {
        await shown().waitFor({ timeout: Math.min(timeoutMs, 8000) });
      } catch {
        // VS Code sometimes keeps a toast back and only marks the bell (seen in code-server 4.99 late in a long run):
        // a person then opens the notification centre, where the notification is.
        await page.locator('.statusbar-item[id="status.notifications"] a, #status\\.notifications a, .statusbar-item a[aria-label*="Notifications"]').first().click({ timeout: 5000 });
        await shown().waitFor({ timeout: timeoutMs });
      }
    } catch (e) {
      const seen = await page.locator('.notification-list-item-message').evaluateAll((els) => els.map((el) => `${el.checkVisibility() ? 'visible' : 'hidden'}: ${JSON.stringify(el.textContent)}`));
      throw new Error(`${e.message}\nmessages: ${seen.join('\n')}`);
    }
    return { found: true };
  },
  /** Clicks a button of the notification (its toast, or its entry in the open centre) whose message contains `contains`. */
  async notificationClick({ contains, button, timeoutMs = 20_000 }) {
    const toast = page.locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item', { hasText: contains }).filter({ visible: true }).first();
    await toast.waitFor({ timeout: timeoutMs });
    await toast.getByRole('button', { name: button }).click({ timeout: timeoutMs });
    return {};
  },
  /** Opens a second window on the workspace (the extension loaded, no tests in it), its dashboard shown. */
  async openSecondWindow({ timeoutMs = 60_000 }) {
    second = await openSecond();
    await second.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    // Open Dashboard from the command palette, as a person would.
    await second.getByText('Learning Viewer', { exact: false }).first().waitFor({ timeout: timeoutMs }).catch(() => undefined);
    await second.keyboard.press('F1');
    await second.keyboard.type('Learning Viewer: Open Dashboard', { delay: 5 });
    await second.keyboard.press('Enter');
    await webviewFrame(timeoutMs, second);
    return {};
  },
  /** Waits until the second window's panel shows `contains` in the element with `testId`; how long it took. */
  async secondWebviewText({ testId, contains, timeoutMs = 20_000 }) {
    const started = Date.now();
    // The panel's frame, found once (finding it asks every frame of the window).
    if (!secondFrame || secondFrame.isDetached()) secondFrame = await webviewFrame(timeoutMs, second);
    const frame = secondFrame;
    // Checked at every animation frame (a locator's wait polls up to every 500 ms, too coarse to time a second).
    await frame.waitForFunction(
      ({ testId, contains }) => {
        const find = (root) => {
          for (const el of root.querySelectorAll('*')) {
            if (el.getAttribute('data-testid') === testId && (el.textContent ?? '').includes(contains)) return true;
            if (el.shadowRoot && find(el.shadowRoot)) return true;
          }
          return false;
        };
        return find(document);
      },
      { testId, contains },
      { polling: 'raf', timeout: timeoutMs },
    );
    return { ms: Date.now() - started };
  },
  async secondScreenshot({ name }) {
    await second.screenshot({ path: join(shots, `vscode-${name}.png`) });
    return {};
  },
  async closeSecondWindow() {
    await second?.close();
    second = undefined;
    secondFrame = undefined;
    return {};
  },
  async workbenchText({ text, timeoutMs = 20_000 }) {
    await page.getByText(text, { exact: false }).first().waitFor({ timeout: timeoutMs });
    return { found: true };
  },
  /** Types into whatever has focus in the workbench (a quick pick), then presses a key. */
  async workbenchType({ text = '', press = 'Enter' }) {
    if (text) await page.keyboard.type(text, { delay: 10 });
    if (press) await page.keyboard.press(press);
    return {};
  },
  async screenshot({ name }) {
    await page.screenshot({ path: join(shots, `vscode-${name}.png`) });
    return {};
  },
};

const bridge = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', async () => {
    try {
      const { op, ...args } = JSON.parse(body);
      if (!ops[op]) throw new Error(`unknown bridge op ${op}`);
      const result = await ops[op](args);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ...result }));
    } catch (e) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: e.message }));
    }
  });
});
const bridgePort = await freePort();
await new Promise((r) => bridge.listen(bridgePort, '127.0.0.1', r));

const server = await startCodeServer({
  folder: workspace,
  userDataDir,
  extensionsDir,
  env: {
    LV_TEST_BRIDGE: `http://127.0.0.1:${bridgePort}`,
    LV_TEST_USER_DATA: userDataDir,
    LV_TEST_WORKSPACE: workspace,
    // The agents' folders, where the agent-sessions suite lays out sessions (each agent honours its variable).
    LV_TEST_AGENT_HOME: agentHome,
    KIMI_SHARE_DIR: join(agentHome, '.kimi'),
    KIMI_CODE_HOME: join(agentHome, '.kimi-code'),
    CLAUDE_CONFIG_DIR: join(agentHome, '.claude'),
    CODEX_HOME: join(agentHome, '.codex'),
  },
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
let exitCode = 1;
try {
  // One context: a second window (team mode) shares this one's storage, as two tabs of one browser do.
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const done = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => resolve(code));
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    // Errors about the unreachable marketplace are expected on a closed network.
    if (/marketplace|gallery|ENOTFOUND|update\.code\.visualstudio|vscode-unpkg/i.test(text)) return;
    console.log(text);
  });
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(root)],
    ['extensionTestsPath', remote(join(root, 'out', 'test', 'integration', 'index.js'))],
    ['skipWelcome', 'true'],
  ];
  openSecond = async () => {
    const p = await page.context().newPage();
    const devOnly = [
      ['extensionDevelopmentPath', remote(root)],
      ['skipWelcome', 'true'],
    ];
    await p.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(devOnly))}`);
    return p;
  };
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS));
  const result = await Promise.race([done, timeout]);
  if (result === 'timeout') {
    console.error(`integration: the suite did not finish within ${SUITE_TIMEOUT_MS / 60000} minutes`);
    await page.screenshot({ path: join(shots, 'vscode-timeout.png') }).catch(() => undefined);
    console.error(server.output().slice(-4000));
  } else {
    exitCode = Number(result);
  }
} finally {
  await browser.close();
  await server.stop();
  bridge.close();
}
if (exitCode !== 0 && existsSync(join(userDataDir, 'logs'))) console.error(`integration: logs under ${join(userDataDir, 'logs')}`);
process.exit(exitCode);
