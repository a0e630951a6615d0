// Takes the README's screenshots in a real VS Code: starts the sandbox's
// code-server on the demo workspace, opens the dashboard from the status bar.
// Usage: node scripts/screenshotSandbox.mjs [outDir]
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ?? join(root, 'docs', 'images');
mkdirSync(outDir, { recursive: true });
const port = 18000 + Math.floor(Math.random() * 1000);
const sandbox = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  sandbox.stdout.on('data', (d) => {
    out += d;
    const m = /(http:\/\/127\.0\.0\.1:\d+\/\?\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  sandbox.on('exit', (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(url);
  await page.getByRole('button', { name: /%/ }).first().waitFor({ timeout: 60_000 }).catch(async (e) => {
    await page.screenshot({ path: join(outDir, 'failed.png') });
    throw e;
  });
  // Show the Examples view beside the panel, then open the panel from the status bar.
  await page.locator('.activitybar a[aria-label^="Learning Viewer"]').first().click({ timeout: 10_000 }).catch(() => undefined);
  await page.getByRole('button', { name: /%/ }).first().click();
  const frame = async () => {
    for (;;) {
      for (const f of page.frames()) if ((await f.locator('lv-card').count().catch(() => 0)) > 0) return f;
      await page.waitForTimeout(100);
    }
  };
  const panel = await frame();
  await panel.locator('lv-card').first().waitFor();
  await panel.locator('lv-chart[data-testid="daily-chart"] canvas').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(outDir, 'vscode-dashboard.png') });
  console.log(`saved ${join(outDir, 'vscode-dashboard.png')}`);
  // The Examples tab with one example's details open.
  await panel.getByRole('tab', { name: 'Examples' }).click();
  await panel.getByTestId('row').nth(2).click();
  await panel.getByTestId('details').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, 'vscode-examples.png') });
  console.log(`saved ${join(outDir, 'vscode-examples.png')}`);
  // A text search over descriptions, code and feedback: the chip, the count and the matching rows.
  await panel.getByLabel('Search descriptions, code and feedback').fill('retry');
  await panel.getByText(/retry/i).first().waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(outDir, 'vscode-search.png') });
  console.log(`saved ${join(outDir, 'vscode-search.png')}`);
  await panel.getByLabel('Search descriptions, code and feedback').fill('');
  await page.waitForTimeout(500);
  // The Analytics tab.
  await panel.getByRole('tab', { name: 'Analytics' }).click();
  await panel.getByTestId('trend-statement').waitFor();
  await panel.getByTestId('ab-verdict').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(outDir, 'vscode-analytics.png') });
  console.log(`saved ${join(outDir, 'vscode-analytics.png')}`);
  // A built-in learning task started from the Learning tab, then its knowledge.
  await panel.getByRole('tab', { name: 'Learning' }).click();
  await panel.getByLabel('Technology').fill('auth');
  await panel.getByLabel('Depth').selectOption('deep');
  await panel.getByRole('button', { name: 'Start' }).click();
  await panel.getByTestId('task-row').filter({ hasText: 'completed' }).first().waitFor({ timeout: 30_000 });
  await panel.getByTestId('task-row').first().click();
  await panel.getByRole('log').getByText('Knowledge entry written').waitFor();
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, 'vscode-learning.png') });
  console.log(`saved ${join(outDir, 'vscode-learning.png')}`);
  await panel.getByRole('tab', { name: 'Knowledge' }).click();
  await panel.getByTestId('knowledge-proficiency').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, 'vscode-knowledge.png') });
  console.log(`saved ${join(outDir, 'vscode-knowledge.png')}`);
} finally {
  await browser.close();
  sandbox.kill('SIGINT');
}
