import { strict as assert } from 'node:assert';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LearningViewerApi } from '../../../src/extension/extension';
import type { SessionImportReportMessage } from '../../../src/shared/agentSessions';
import { screenshot, webviewClick, webviewText } from './bridge';
import { makeAgentHome } from '../../helpers/agentHome';

const EXTENSION_ID = 'learning-viewer.learning-viewer';
const AGENT_TAGS = ['agent:kimi-cli', 'agent:kimi-code', 'agent:claude-code', 'agent:codex'];

describe('agent sessions, in a real VS Code', () => {
  it('Import Agent Sessions imports this workspace\'s sessions, then every one; the panel shows known-only rates with the unknown count', async () => {
    const extension = vscode.extensions.getExtension<LearningViewerApi>(EXTENSION_ID)!;
    const a = await extension.activate();
    const home = process.env.LV_TEST_AGENT_HOME;
    assert.ok(home, 'the runner names a home folder for the agents');
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    // A fake home with sessions of all four agents; the Kimi CLI ones were run in this workspace.
    const turns = makeAgentHome(home, Date.now(), 3_600_000, workspace, join(extension.extensionPath, 'test', 'fixtures', 'agent-logs'));
    const total = Object.values(turns).reduce((x, y) => x + y, 0);
    const mine = (await vscode.commands.executeCommand('learningViewer.importAgentSessions', { sessions: 'workspace' })) as SessionImportReportMessage;
    assert.deepEqual([mine.sessions, mine.turns, mine.added], [2, turns['kimi-cli'], turns['kimi-cli']]);
    const all = (await vscode.commands.executeCommand('learningViewer.importAgentSessions', { sessions: 'all' })) as SessionImportReportMessage;
    assert.deepEqual([all.sessions, all.added, all.duplicates], [6, total - turns['kimi-cli']!, turns['kimi-cli']]);
    try {
      // Only the agents' examples, whatever an earlier suite left in the filters.
      await a.container.filters.clear();
      await a.container.filters.set({ tags: AGENT_TAGS, tagMode: 'any' });
      await vscode.commands.executeCommand('learningViewer.openDashboard');
      // An earlier suite may have left the panel on another tab.
      await webviewClick('tab', 'Overview');
      // One turn failed (Codex), none is known to have succeeded, the rest are unknown: the rate says so.
      const card = await webviewText('card-success', `${total - 1} unknown`).catch(async (e: Error) => {
        await screenshot('agent-sessions-unexpected');
        throw new Error(`${e.message}; the card reads "${await webviewText('card-success')}", the footer "${await webviewText('examples-stored')}"`);
      });
      assert.match(card, new RegExp(`Success rate\\s*0 of 1\\s*only 1 known: between 0\\.0% and [\\d.]+% · ${total - 1} unknown`));
      assert.match(await webviewText('card-examples'), new RegExp(`Examples\\s*${total}\\s*0 succeeded · 1 failed · ${total - 1} unknown`));
      await screenshot('agent-sessions-overview');
      // The same in a narrow side column, in the dark theme; then the layout and theme as they were.
      await vscode.commands.executeCommand('notifications.clearAll');
      const workbench = vscode.workspace.getConfiguration('workbench');
      const theme = workbench.inspect('colorTheme')?.globalValue;
      await vscode.commands.executeCommand('workbench.action.moveEditorToRightGroup');
      await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 0.75 }, { size: 0.25 }] });
      await workbench.update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
      await webviewText('card-success', `${total - 1} unknown`);
      await screenshot('agent-sessions-narrow-dark');
      await vscode.commands.executeCommand('workbench.action.moveEditorToLeftGroup');
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
    } finally {
      // What the other suites count stays as it was.
      await a.container.data.request('deleteExamples', { filters: { ...a.container.filters.filters, tags: AGENT_TAGS, tagMode: 'any' } });
      await a.container.filters.clear();
      a.container.notifyChanged();
    }
  });

  it('follows this workspace\'s sessions when agentSessions.follow is on: new turns come in as they are written', async () => {
    const extension = vscode.extensions.getExtension<LearningViewerApi>(EXTENSION_ID)!;
    const a = await extension.activate();
    const home = process.env.LV_TEST_AGENT_HOME!;
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const turns = makeAgentHome(home, Date.now(), 3_600_000, workspace, join(extension.extensionPath, 'test', 'fixtures', 'agent-logs'));
    const agentTurns = async () => (await a.container.data.request('summary', { filters: { tags: AGENT_TAGS, tagMode: 'any' } })).rate.total;
    const config = vscode.workspace.getConfiguration('learningViewer');
    try {
      await config.update('agentSessions.follow', true, vscode.ConfigurationTarget.Workspace);
      await a.container.agentFollower.look();
      // Only this workspace's sessions (the Kimi CLI ones), not the others in the home folder.
      assert.equal(await agentTurns(), turns['kimi-cli']);
      // The agent writes a new turn in one of them.
      const sessions = join(home, '.kimi', 'sessions');
      const hashDir = join(sessions, readdirSync(sessions)[0]!);
      const wire = join(hashDir, 'with-tool-calls', 'wire.jsonl');
      const t = Date.now() / 1000 - 60;
      appendFileSync(
        wire,
        [
          { timestamp: t, message: { type: 'TurnBegin', payload: { user_input: 'and now the docs' } } },
          { timestamp: t + 1, message: { type: 'StepBegin', payload: { n: 1 } } },
          { timestamp: t + 2, message: { type: 'TurnEnd', payload: {} } },
        ]
          .map((r) => JSON.stringify(r))
          .join('\n') + '\n',
      );
      await a.container.agentFollower.look();
      assert.equal(await agentTurns(), turns['kimi-cli']! + 1);
    } finally {
      await config.update('agentSessions.follow', undefined, vscode.ConfigurationTarget.Workspace);
      await a.container.data.request('deleteExamples', { filters: { ...a.container.filters.filters, tags: AGENT_TAGS, tagMode: 'any' } });
      a.container.notifyChanged();
    }
  });
});
