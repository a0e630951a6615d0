// The benchmark's native baseline (better-sqlite3) compiles from source where no prebuilt binary
// can be fetched: two minutes a plain `npm install` should not spend. `npm run bench` installs it
// here, once, without touching package.json or the lock file.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The native baseline, and DuckDB (the tool a data-minded user would reach for instead, prebuilt for this platform).
const BASELINES = { 'better-sqlite3': 'better-sqlite3@^12.11.1', '@duckdb/node-api': '@duckdb/node-api@^1.5.6-r.1' };

const missing = Object.keys(BASELINES).filter((name) => {
  try {
    createRequire(join(root, 'package.json')).resolve(name);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  // All at once: npm prunes what no manifest names, so a second --no-save install would remove the first.
  console.log(`bench: installing ${missing.join(' and ')} (the baselines; not part of a plain npm install)`);
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', ...Object.values(BASELINES)], { cwd: root, stdio: 'inherit' });
}
