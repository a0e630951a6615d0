// Installs code-server (VS Code 1.99.3 in a browser) into .cache/code-server,
// doing its postinstall steps by hand: its own script refuses to run as root
// and downloads ripgrep, which a machine without internet cannot do.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, rmSync, writeFileSync, lstatSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.99.4';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = join(root, '.cache', 'code-server');
export const codeServerDir = join(cacheDir, 'node_modules', 'code-server');
export const entryPath = join(codeServerDir, 'out', 'node', 'entry.js');
const doneMarker = join(cacheDir, `.ready-${CODE_SERVER_VERSION}`);

function run(cmd, args, cwd) {
  console.log(`[code-server setup] ${cwd.replace(root + '/', '')}: ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_yes: 'true' } });
}

function which(name) {
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export function ensureCodeServer() {
  if (existsSync(doneMarker) && existsSync(entryPath)) return entryPath;
  const rg = which('rg');
  if (!rg) {
    throw new Error('ripgrep (rg) is not installed. On Debian or Ubuntu: sudo apt-get install ripgrep');
  }
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(join(cacheDir, 'package.json'))) {
    writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true, allowScripts: { argon2: true } }, null, 2));
  }
  const started = Date.now();
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-save', '--no-package-lock'], cacheDir);
  // npm hoists argon2 beside code-server in the cache folder: rebuild it there.
  run('npm', ['rebuild', 'argon2'], cacheDir);
  const vscodeDir = join(codeServerDir, 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], vscodeDir);
  run('npm', ['rebuild', '@vscode/spdlog', 'native-watchdog', 'node-pty', '@vscode/deviceid', 'kerberos'], vscodeDir);
  const rgBin = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  rmSync(join(rgBin, 'rg'), { force: true });
  symlinkSync(rg, join(rgBin, 'rg'));
  const asar = join(vscodeDir, 'node_modules.asar');
  let hasAsar = false;
  try {
    lstatSync(asar);
    hasAsar = true;
  } catch {
    hasAsar = false;
  }
  if (!hasAsar) symlinkSync('node_modules', asar);
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock'], join(vscodeDir, 'extensions'));
  writeFileSync(doneMarker, new Date().toISOString());
  console.log(`[code-server setup] ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return entryPath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureCodeServer();
}
