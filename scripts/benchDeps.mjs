// The benchmark's native baseline (better-sqlite3) compiles from source where no prebuilt binary
// can be fetched: two minutes a plain `npm install` should not spend. `npm run bench` installs it
// here, once, without touching package.json or the lock file.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE = 'better-sqlite3@^12.11.1';

try {
  createRequire(join(root, 'package.json')).resolve('better-sqlite3');
} catch {
  console.log(`bench: installing ${NATIVE} (the native baseline; not part of a plain npm install)`);
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', NATIVE], { cwd: root, stdio: 'inherit' });
}
