// Data that tries to become markup: a tag that is a command link, a bare URL,
// a right-to-left override. Every surface shows it as text.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Node } from '../../../src/extension/examples/examplePages';
import type { TaskNode } from '../../../src/extension/tasks/tasksTree';
import { daysAgo } from '../../helpers/clock';
import { notificationLinks, notificationShows, screenshot, webviewClick, webviewText, workbenchShows } from './bridge';
import { api, until } from './extensionApi';

type Group = Extract<Node, { kind: 'group' }>;

const COMMAND_LINK = '[Fix this now](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20x%5Cn%22%7D)';
const RLO_MODEL = 'model \u202Egnp.exe';
const URL_DESCRIPTION = 'See https://evil.example/steal and www.evil.example or mail a@evil.example';

/** A Markdown tooltip's source has no link that could form: no `](`, no unescaped scheme or `www.`. */
function assertNoMarkdownLink(tooltip: vscode.TreeItem['tooltip'], where: string): void {
  const value = typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
  assert.doesNotMatch(value, /\]\(/, `${where}: a Markdown link could form in ${value}`);
  assert.doesNotMatch(value, /(?<!\\)https?:\/\//, `${where}: a bare URL could be linked in ${value}`);
  assert.doesNotMatch(value, /(?<!\\)www\./, `${where}: a www. address could be linked`);
  assert.doesNotMatch(value, /\u202E/, `${where}: a right-to-left override is obeyed`);
}

describe('hostile data, in a real VS Code', () => {
  it('a tag that is a command link, a bare URL and a right-to-left override show as text in every sink', async () => {
    const { container } = await api();
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = join(workspace, 'hostile.jsonl');
    const lines = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({ id: `hostile-${i}`, timestamp: daysAgo(1, 8, i), success: i % 2 === 0, tags: [COMMAND_LINK], model_used: RLO_MODEL, task_description: URL_DESCRIPTION }),
    );
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(lines.join('\n') + '\n'));
    const report = (await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number };
    assert.equal(report.added, 6);

    // The Examples view: the group by tag, by model, and an example's tooltip.
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'tag');
    const tagGroup = ((await container.tree.getChildren()) as Group[]).find((g) => g.key === COMMAND_LINK)!;
    assertNoMarkdownLink(container.tree.getTreeItem(tagGroup).tooltip, 'tag group tooltip');
    const example = (await container.tree.getChildren(tagGroup))[0]!;
    const exampleItem = container.tree.getTreeItem(example);
    assertNoMarkdownLink(exampleItem.tooltip, 'example tooltip');
    assert.match(String(exampleItem.description), /model \\u202Egnp\.exe/);
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'model');
    const modelGroup = ((await container.tree.getChildren()) as Group[]).find((g) => g.key === RLO_MODEL)!;
    assert.equal(container.tree.getTreeItem(modelGroup).label, 'model \\u202Egnp.exe');
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'day');

    // A learning task on that technology: its progress notification, its completion message, its Tasks view item.
    const id = (await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: COMMAND_LINK, depth: 'deep', priority: 'high', learner: 'builtin' })) as string;
    const done = await until(id, ['completed', 'failed']);
    // This task's own notification, not an earlier task's that is still on screen.
    await workbenchShows(done.state === 'completed' ? 'Learning Viewer: learned [Fix this now]' : 'Learning Viewer: learning');
    // The notification centre lists every notification (a toast may already be gone): the links are read there.
    await vscode.commands.executeCommand('notifications.showList');
    await notificationShows(done.state === 'completed' ? 'Learning Viewer: learned [Fix this now]' : 'Learning Viewer: learning');
    const { links, messages } = await notificationLinks();
    await vscode.commands.executeCommand('notifications.hideList');
    const live = links.filter((l) => [l.href, l.dataHref, l.title].some((h) => h.startsWith('command:') || h.includes('terminal.sendSequence')));
    assert.deepEqual(live, [], `a notification holds a live command link: ${JSON.stringify(live)}`);
    assert.ok(messages.some((m) => m.includes('[Fix this now]')), `the technology is shown as text: ${JSON.stringify(messages)}`);
    const finished = (container.tasksTree.getChildren() as TaskNode[]).find((n) => n.kind === 'group' && n.key === 'finished')!;
    const item = container.tasksTree.getChildren(finished).map((n) => container.tasksTree.getTreeItem(n)).find((i) => i.id === `task:${id}`)!;
    assert.equal(item.label, COMMAND_LINK);
    assertNoMarkdownLink(item.tooltip, 'task tooltip');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('6,000 distinct tags: the panel shows its figures and says how many tags it does not list', async () => {
    const { container } = await api();
    await vscode.commands.executeCommand('learningViewer.clearFilters');
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = join(workspace, 'many-tags.jsonl');
    const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ id: `many-${i}`, timestamp: daysAgo(2, 9), success: true, tags: [`many-tag-${i}`] }));
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(lines.join('\n') + '\n'));
    const report = (await vscode.commands.executeCommand('learningViewer.importLogs', [vscode.Uri.file(file)])) as { added: number };
    assert.equal(report.added, 6000);
    // Every stored example, a learning task's practice included (the figures leave those out).
    const total = (await container.data.request('health', {})).examples;
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    assert.equal(await webviewText('examples-stored', total.toLocaleString('en-US')), `${total.toLocaleString('en-US')} examples stored`);
    await webviewClick('tab', 'Overview');
    assert.match(await webviewText('tags-left-out'), /more tags \([\d,]+ examples\) are not listed; type in the tag filter to find one/);
    await screenshot('many-tags');
  });

  it('a technology that starts with "-" is refused before it reaches a learner', async () => {
    const { container } = await api();
    const before = container.tasks.queue.list().length;
    const id = await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: '--help', depth: 'quick', priority: 'normal', learner: 'builtin' });
    assert.equal(id, undefined);
    await workbenchShows('cannot start with "-"');
    assert.equal(container.tasks.queue.list().length, before);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
