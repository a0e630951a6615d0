import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { TaskNode } from '../../../src/extension/tasks/tasksTree';
import { screenshot, webviewClick, webviewText, workbenchShows, workbenchType } from './bridge';
import { api, until } from './extensionApi';

// As the README tells a user: the example learner where the extension is installed.
const learner = (extra: string[] = []) => [process.execPath, '${extensionPath}/examples/learner/example-learner.mjs', '${technology}', '${depth}', '${taskId}', ...extra];

async function setLearner(command: string[]): Promise<void> {
  await vscode.workspace.getConfiguration('learningViewer').update('learner.command', command, vscode.ConfigurationTarget.Workspace);
}

describe('learning tasks, in a real VS Code', () => {
  it('from the command palette: technology, depth and priority are asked for in quick picks', async () => {
    const started = vscode.commands.executeCommand('learningViewer.startLearningTask') as Thenable<string | undefined>;
    await workbenchShows('Start Learning Task (1/3): technology');
    await workbenchType('tree-y');
    await workbenchShows('Start Learning Task (2/3): depth');
    await workbenchType('Deep');
    await workbenchShows('Start Learning Task (3/3): priority');
    await workbenchType('High');
    // No external learner is configured: the built-in one is used without asking, so there are three steps, not four.
    const id = await started;
    assert.ok(id, 'the command returned a task id');
    const { container } = await api();
    const task = container.tasks.queue.get(id)!;
    assert.deepEqual([task.technology, task.depth, task.priority, task.learner], ['tree-y', 'deep', 'high', 'builtin']);
    assert.equal((await until(id, ['completed', 'failed'])).state, 'completed');
  });

  it('the open panel shows a task just started, on its Learning tab', async () => {
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    await webviewClick('tab', 'Overview');
    // Started with its arguments: no quick pick to type into while the panel has the focus.
    const id = (await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: 'tree-x', depth: 'quick', priority: 'high', learner: 'builtin' })) as string;
    assert.match(await webviewText('task-log', 'tree-x'), /Log: tree-x/, 'the panel moved to the Learning tab, on this task');
    await until(id, ['completed', 'failed']);
  });

  it('a built-in task started from the command completes, shows in the Tasks view and writes knowledge', async () => {
    const { container } = await api();
    const started = Date.now();
    const id = (await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: 'tree-x', depth: 'deep', priority: 'high', learner: 'builtin' })) as string;
    assert.match(id, /^[0-9a-f-]{36}$/);
    const done = await until(id, ['completed', 'failed']);
    assert.equal(done.state, 'completed', done.message);
    console.log(`integration: built-in task on 'tree-x' (deep) completed in ${Date.now() - started} ms: ${done.message}`);
    const finished = (container.tasksTree.getChildren() as TaskNode[]).find((n) => n.kind === 'group' && n.key === 'finished')!;
    const items = container.tasksTree.getChildren(finished).map((n) => container.tasksTree.getTreeItem(n));
    const item = items.find((i) => i.id === `task:${id}`)!;
    assert.equal(item.label, 'tree-x');
    assert.match(String(item.description), /^\d+% proficiency · deep$/);
    const knowledge = await container.data.request('knowledge', { technology: 'tree-x' });
    assert.equal(knowledge[0]!.taskId, id);
    assert.equal(knowledge[0]!.examplesAnalysed, 450);
    await vscode.commands.executeCommand('learningViewer.tasks.focus');
    await workbenchShows('proficiency · deep');
    await screenshot('tasks-view');
  });

  it('an external task runs the example learner: progress, its examples stored, the log in the panel', async () => {
    const { container } = await api();
    await setLearner(learner(['--step-ms', '50']));
    const before = (await container.data.request('health', {})).examples;
    const id = (await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: 'learned-tech', depth: 'quick', priority: 'normal', learner: 'external' })) as string;
    const done = await until(id, ['completed', 'failed']);
    assert.equal(done.state, 'completed', done.message);
    assert.equal(done.result!.examplesAdded, 3);
    assert.equal(done.result!.proficiency, 0.67);
    const example = await container.data.request('example', { id: `${id}-0` });
    assert.equal(example?.tags[0], 'learned-tech');
    assert.equal((await container.data.request('health', {})).examples, before + 3);
    await vscode.commands.executeCommand('learningViewer.showTaskLog', id);
    await webviewText('task-log', 'completed');
    assert.match(await webviewText('task-log', 'Exercise 3 of 3'), /Learning learned-tech \(quick\) for task/);
    await screenshot('panel-learning');
    await webviewClick('tab', 'Knowledge');
    assert.match(await webviewText('knowledge-details', 'learned-tech'), /2 of 3 exercises on learned-tech passed\./);
    await screenshot('panel-knowledge');
  });

  it('cancelling a running external task ends it, and it can be retried', async () => {
    await setLearner(learner(['--step-ms', '10000']));
    const id = (await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: 'slow-tech', depth: 'quick', priority: 'normal', learner: 'external' })) as string;
    await until(id, ['running']);
    assert.equal(await vscode.commands.executeCommand('learningViewer.cancelTask', id), true);
    const cancelled = await until(id, ['cancelled', 'failed', 'completed']);
    assert.equal(cancelled.state, 'cancelled', cancelled.message);
    await setLearner(learner(['--step-ms', '10']));
    assert.equal(await vscode.commands.executeCommand('learningViewer.retryTask', id), id);
    const again = await until(id, ['completed', 'failed']);
    assert.equal(again.state, 'completed', again.message);
    assert.equal(again.attempts, 2);
  });

  it('in an untrusted workspace the external learner is refused with the reason', async () => {
    const { container } = await api();
    const trusted = container.tasks.isTrusted;
    container.tasks.isTrusted = () => false;
    try {
      const id = await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: 'auth', depth: 'quick', priority: 'normal', learner: 'external' });
      assert.equal(id, undefined);
      await workbenchShows('does not run in an untrusted workspace');
      assert.equal(container.tasks.externalStatus().available, false);
      // The built-in learner still runs.
      const builtin = (await vscode.commands.executeCommand('learningViewer.startLearningTask', { technology: 'tree-y', depth: 'deep', priority: 'normal', learner: 'builtin' })) as string;
      assert.equal((await until(builtin, ['completed', 'failed'])).state, 'completed');
    } finally {
      container.tasks.isTrusted = trusted;
      await setLearner([]);
    }
  });
});
