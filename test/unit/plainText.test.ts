import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inertText, markdownText, showControls } from '../../src/shared/plainText';

/** The pattern VS Code's notifications turn into a link (parseLinkedText in its source). */
const VSCODE_NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

const PAYLOADS = [
  '[Fix this now](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20x%5Cn%22%7D)',
  '[x](https://evil.example/a "title")',
  '[x](file:///etc/passwd)',
  '$(loading~spin) not an icon',
  '**bold** _em_ <img src=x onerror=alert(1)> `code`',
  'https://evil.example/steal www.evil.example a@evil.example',
  'gnp\u202E.exe \u2067isolate\u2069 \u200Fmark',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('data shown as text in VS Code surfaces', () => {
  it('inertText: no payload forms a notification link or an icon, and reads the same', () => {
    for (const p of PAYLOADS) {
      const out = inertText(p);
      assert.equal([...out.matchAll(VSCODE_NOTIFICATION_LINK)].length, 0, out);
      assert.doesNotMatch(out, /\$\(/);
      assert.equal(out.replace(/\u200B/g, ''), showControls(p));
    }
  });

  it('markdownText: every ASCII punctuation mark is escaped, so no link, autolink, emphasis or HTML can form', () => {
    for (const p of PAYLOADS) {
      const out = markdownText(p);
      // Unescaping gives the (visible-controls) text back, and nothing is left unescaped.
      assert.equal(out.replace(/\\([!-/:-@[-`{-~])/g, '$1'), showControls(p));
      assert.doesNotMatch(out.replace(/\\[!-/:-@[-`{-~]/g, ''), /[!-/:-@[-`{-~]/);
    }
  });

  it('bidirectional controls are shown as their escapes, so gnp.exe cannot pose as exe.png', () => {
    assert.equal(showControls('gnp\u202E.exe'), 'gnp\\u202E.exe');
    assert.equal(showControls('a\u2066b\u2069\u061C'), 'a\\u2066b\\u2069\\u061C');
    assert.equal(showControls('plain text, ünïcödé'), 'plain text, ünïcödé');
  });

  it('every notification in the extension goes through the one module that makes its message inert', () => {
    const offenders = sourceFiles(join(__dirname, '..', '..', 'src', 'extension'))
      .filter((f) => !f.endsWith('notify.ts'))
      .filter((f) => /window\s*\.\s*show(Information|Warning|Error)Message\s*\(/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('no Markdown tooltip in the extension takes data through appendText (which leaves bare URLs to be linked)', () => {
    const offenders = sourceFiles(join(__dirname, '..', '..', 'src', 'extension')).filter((f) => /\.appendText\(/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
