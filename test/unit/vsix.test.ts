import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The VSIX holds the bundles, the wasm, the media and the docs: no sources, tests, maps or node_modules. */
describe('the packaged VSIX', function () {
  this.timeout(180_000);
  let files: string[] = [];
  const vsix = join(root, 'out', 'learning-viewer.vsix');

  before(() => {
    mkdirSync(join(root, 'out'), { recursive: true });
    execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--readme-path', 'docs/marketplace/README.md', '--out', vsix], { cwd: root, stdio: 'pipe' });
    files = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
    console.log(`      VSIX: ${(statSync(vsix).size / 1024).toFixed(0)} KB, ${files.length} files`);
  });

  it('contains what the extension needs to run', () => {
    for (const f of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/worker.js', 'extension/dist/parseWorker.js', 'extension/dist/scanWorker.js', 'extension/dist/webview.js', 'extension/dist/cli.js', 'extension/dist/sql-wasm.wasm', 'extension/media/icon.png', 'extension/readme.md', 'extension/changelog.md', 'extension/docs/images/vscode-dashboard.png', 'extension/docs/images/vscode-examples.png', 'extension/examples/learner/example-learner.mjs']) {
      assert.ok(files.includes(f), `${f} is missing`);
    }
  });

  it('carries a user\'s README (how to use it), not the development one, and the learner its setting names', () => {
    const readme = execFileSync('unzip', ['-p', vsix, 'extension/readme.md'], { encoding: 'utf8' });
    assert.match(readme, /## Getting started/);
    assert.doesNotMatch(readme, /npm (test|start|install)|code-server|\.ci\/run/, 'nothing about building or testing it');
    assert.match(readme, /\$\{extensionPath\}\/examples\/learner\/example-learner\.mjs/);
    for (const image of readme.matchAll(/\]\((docs\/images\/[^)]+)\)/g)) assert.ok(files.includes(`extension/${image[1]}`), `${image[1]} is in the VSIX`);
  });

  it('contains no sources, tests, maps or node_modules', () => {
    const bad = files.filter((f) => /\.ts$|\.map$|(^|\/)(src|test|node_modules|bench|scripts|\.cache|\.demo)\//.test(f));
    assert.deepEqual(bad, []);
  });
});
