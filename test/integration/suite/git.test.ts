// Git as a user meets it in VS Code: examples linked to commits in the
// workspace's repository show what git says of them beside KIMI's verdict,
// the commit opens read-only, the file KIMI touched carries a CodeLens, and the
// Examples view groups by branch.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { buildRepo } from '../../helpers/gitRepo';
import { daysAgo } from '../../helpers/clock';
import { COMMIT_SCHEME } from '../../../src/extension/git/gitControl';
import { screenshot, webviewClick, webviewText } from './bridge';
import { api } from './extensionApi';

interface Group {
  kind: 'group';
  key: string;
  total: number;
}

describe('git, in a real VS Code', () => {
  after(async () => {
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'day');
    await vscode.commands.executeCommand('learningViewer.clearFilters');
  });

  it("shows git's verdict beside KIMI's, opens the commit read-only, puts a CodeLens on the file and groups by branch", async function () {
    this.timeout(120_000);
    const { container } = await api();
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    // The workspace becomes a repository of TypeScript files only (its logs stay out of it).
    writeFileSync(join(workspace, '.gitignore'), '*\n!*.ts\n!.gitignore\n');
    const c = buildRepo(workspace);
    const file = join(workspace, 'git-examples.jsonl');
    const lines = [
      { id: 'git-kept', timestamp: daysAgo(1, 9), success: true, tags: ['gitauth'], task_description: 'Add logout', git: { commit: c.kept, branch: 'kimi/auth' } },
      { id: 'git-reverted', timestamp: daysAgo(1, 10), success: true, tags: ['gitapi'], task_description: 'Add api settings', commit_sha: c.reverted, branch: 'kimi/api' },
    ];
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
    assert.equal(((await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number }).added, 2);

    const refreshed = (await vscode.commands.executeCommand('learningViewer.refreshGit')) as { mainRef: string; judged: number; commits: number };
    assert.equal(refreshed.mainRef, 'main');
    assert.ok(refreshed.commits >= 2 && refreshed.judged >= 2, JSON.stringify(refreshed));

    // The details view: KIMI said success, git says reverted.
    await vscode.commands.executeCommand('learningViewer.showExample', 'git-reverted');
    await webviewText('verdicts', 'KIMI: success · git: reverted after');
    await screenshot('git-details');

    // Open Commit: git show, read-only, as a diff.
    const doc = (await vscode.commands.executeCommand('learningViewer.openCommit', 'git-reverted')) as vscode.TextDocument;
    assert.equal(doc.uri.scheme, COMMIT_SCHEME);
    assert.equal(doc.languageId, 'diff');
    assert.match(doc.getText(), /Add api settings/);
    assert.equal(doc.isUntitled, false);

    // The file KIMI's kept commit touched: a CodeLens with both verdicts.
    const auth = vscode.Uri.file(join(workspace, 'auth.ts'));
    await vscode.window.showTextDocument(auth);
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', auth)) as vscode.CodeLens[];
    const ours = lenses.find((l) => l.command?.command === 'learningViewer.showFileExamples');
    assert.ok(ours, 'a CodeLens on auth.ts');
    assert.equal(ours.command!.title, 'Learning Viewer: 1 example touched this file · KIMI 100% success · git 100% kept of 1 judged');
    await vscode.commands.executeCommand(ours.command!.command, ...(ours.command!.arguments ?? []));
    assert.equal(container.filters.filters.file, 'auth.ts');
    await webviewClick('tab', 'Overview');
    await webviewText('git-rates', 'All linked examples');
    await screenshot('git-overview');

    // The Examples view groups by branch.
    await vscode.commands.executeCommand('learningViewer.clearFilters');
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'branch');
    const groups = (await container.tree.getChildren()) as Group[];
    assert.deepEqual(
      groups.map((g) => [g.key, g.total]).sort(),
      [
        ['kimi/api', 1],
        ['kimi/auth', 1],
      ],
    );
    await vscode.workspace.fs.delete(vscode.Uri.file(file));
  });
});
