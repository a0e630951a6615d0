// Builds the six bundles (extension host, data worker, parse worker, code search worker, webview, command line)
// and copies the sql.js wasm beside them. Flags: --watch, --production,
// --tests (integration suite), --bench (benchmark).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: watch ? 'info' : 'warning',
  legalComments: production ? 'none' : 'inline',
};

const nodeCommon = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...nodeCommon, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...nodeCommon, entryPoints: ['src/worker/dataWorker.ts'], outfile: 'dist/worker.js' },
  { ...nodeCommon, entryPoints: ['src/worker/parseWorker.ts'], outfile: 'dist/parseWorker.js' },
  { ...nodeCommon, entryPoints: ['src/worker/scanWorker.ts'], outfile: 'dist/scanWorker.js' },
  {
    ...nodeCommon,
    entryPoints: ['src/cli/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: 'src/webview/tsconfig.json',
  },
];

if (args.has('--tests')) {
  builds.push({
    ...nodeCommon,
    sourcemap: 'inline',
    entryPoints: ['test/integration/suite/index.ts'],
    outfile: 'out/test/integration/index.js',
    external: ['vscode', 'mocha', 'playwright-core'],
  });
}
if (args.has('--bench')) {
  builds.push({
    ...nodeCommon,
    entryPoints: ['bench/bench.ts'],
    outfile: 'out/bench/bench.js',
    external: ['better-sqlite3'],
  });
  builds.push({ ...nodeCommon, entryPoints: ['bench/api.ts'], outfile: 'out/bench/api.js' });
  builds.push({ ...nodeCommon, entryPoints: ['bench/apiClient.ts'], outfile: 'out/bench/apiClient.js' });
  builds.push({ ...nodeCommon, entryPoints: ['bench/retention.ts'], outfile: 'out/bench/retention.js' });
  builds.push({ ...nodeCommon, entryPoints: ['bench/git.ts'], outfile: 'out/bench/git.js' });
  builds.push({ ...nodeCommon, entryPoints: ['bench/postgres.ts'], outfile: 'out/bench/postgres.js' });
  builds.push({ ...nodeCommon, entryPoints: ['bench/pgProfile.ts'], outfile: 'out/bench/pgProfile.js' });
}

function copyWasm() {
  mkdirSync('dist', { recursive: true });
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
  copyFileSync(wasm, 'dist/sql-wasm.wasm');
}

copyWasm();
if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('[watch] watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync('dist/cli.js', 0o755);
  // Keep a record of bundle sizes for the README's numbers.
  const sizes = Object.fromEntries(
    ['extension.js', 'worker.js', 'webview.js', 'cli.js', 'sql-wasm.wasm'].map((f) => [f, readFileSync(join('dist', f)).length]),
  );
  writeFileSync('dist/sizes.json', JSON.stringify(sizes, null, 2));
}
