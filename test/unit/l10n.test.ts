import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const json = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, string>;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('strings a person reads, in English and French', () => {
  it('every %key% of the manifest has its English and its French text, and no other', () => {
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    const keys = [...new Set([...manifest.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]!))].sort();
    assert.ok(keys.length > 40, `${keys.length} keys`);
    assert.deepEqual(Object.keys(json('package.nls.json')).sort(), keys);
    assert.deepEqual(Object.keys(json('package.nls.fr.json')).sort(), keys);
    for (const [k, v] of Object.entries(json('package.nls.fr.json'))) assert.ok(v.trim(), `${k} has a French text`);
  });

  it('every message the extension translates at run time has a French text with the same placeholders', () => {
    const fr = json('l10n/bundle.l10n.fr.json');
    const used = new Set<string>();
    for (const file of sources('src/extension')) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1]!.replace(/\\'/g, "'"));
    }
    assert.ok(used.size >= 10, `${used.size} messages`);
    for (const message of used) {
      assert.ok(fr[message], `no French text for ${JSON.stringify(message)}`);
      const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
      assert.deepEqual(placeholders(fr[message]!), placeholders(message), message);
    }
    assert.deepEqual(Object.keys(fr).filter((k) => !used.has(k)), [], 'no French text for a message no longer used');
  });
});
