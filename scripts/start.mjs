// npm start: the sandbox. Builds the extension, installs code-server if it is
// missing, makes a demo workspace with sample KIMI logs and opens it in a real
// VS Code served on 127.0.0.1 with Learning Viewer loaded. Ctrl-C stops it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer, writeUserSettings } from './codeServer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, '.demo');
const workspace = join(demo, 'workspace');
const logFile = join(workspace, 'learning_logs.jsonl');
const port = Number(process.env.PORT ?? 8080);

console.log('Building the extension…');
execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

if (!existsSync(logFile)) {
  mkdirSync(workspace, { recursive: true });
  console.log('Writing a demo workspace with sample KIMI logs…');
  execFileSync(process.execPath, [join(root, 'dist', 'cli.js'), 'sample', '--out', logFile, '--count', '5000', '--days', '90'], { stdio: 'inherit' });
}
const userDataDir = join(demo, 'user-data');
writeUserSettings(userDataDir, { 'security.workspace.trust.enabled': true, 'workbench.colorTheme': 'Default Dark Modern' });

console.log('Starting VS Code (code-server)…');
const server = await startCodeServer({ folder: workspace, userDataDir, extensionsDir: join(demo, 'extensions'), port });
// The extension loads from this folder as in development: every build is picked up on reload.
const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${root}`]];
const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
console.log(`\nLearning Viewer is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser (Chromium or Chrome work best). Press Ctrl-C to stop.\n`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
server.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`code-server stopped (exit ${code}).\n${server.output().slice(-2000)}`);
    process.exit(1);
  }
});
