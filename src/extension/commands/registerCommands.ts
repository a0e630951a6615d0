import * as vscode from 'vscode';
import { deleteExamples, removeSampleData } from './deleteCommands';
import { showError, showInfo } from '../notify';
import type { Container } from '../container';
import { openDashboard } from './openDashboard';
import { importLogs } from './importLogs';
import { refresh } from './refresh';
import { exportData } from './exportData';
import { cancelTask, clearFinishedTasks, removeTask, retryTask, showTaskLog, startLearningTask } from './startLearningTask';
import { applySavedView, saveView } from './savedViewCommands';
import { backupNow, restoreBackup } from './backupCommands';
import { checkAlerts, configureAlertWebhook, setAlertMailPassword, unmuteAlertRules } from './alertCommands';
import {
  clearFilters,
  configureLogFollowing,
  copyExampleId,
  editFeedback,
  exportGroup,
  filterByGroup,
  groupExamplesBy,
  loadMore,
  loadSampleData,
  openCodeContext,
  showExample,
  showExampleJson,
} from './treeCommands';

/** Every command the extension contributes, by id. A test checks this against package.json. */
export const COMMANDS: Record<string, (c: Container, ...args: unknown[]) => unknown> = {
  'learningViewer.openDashboard': openDashboard,
  'learningViewer.importLogs': importLogs,
  'learningViewer.startLearningTask': startLearningTask,
  'learningViewer.cancelTask': cancelTask,
  'learningViewer.retryTask': retryTask,
  'learningViewer.removeTask': removeTask,
  'learningViewer.clearFinishedTasks': clearFinishedTasks,
  'learningViewer.showTaskLog': showTaskLog,
  'learningViewer.exportData': exportData,
  'learningViewer.refresh': refresh,
  'learningViewer.groupExamplesBy': groupExamplesBy,
  'learningViewer.clearFilters': clearFilters,
  'learningViewer.loadMore': loadMore,
  'learningViewer.showExample': showExample,
  'learningViewer.showExampleJson': showExampleJson,
  'learningViewer.copyExampleId': copyExampleId,
  'learningViewer.editFeedback': editFeedback,
  'learningViewer.openCodeContext': openCodeContext,
  'learningViewer.filterByGroup': filterByGroup,
  'learningViewer.exportGroup': exportGroup,
  // The walkthrough's id is the extension's (publisher.name) and the walkthrough's own.
  'learningViewer.openWalkthrough': (c) => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${c.context.extension.id}#start`, false),
  'learningViewer.loadSampleData': loadSampleData,
  'learningViewer.removeSampleData': removeSampleData,
  'learningViewer.deleteExamples': deleteExamples,
  'learningViewer.configureLogFollowing': configureLogFollowing,
  'learningViewer.saveView': saveView,
  'learningViewer.applySavedView': applySavedView,
  'learningViewer.backupNow': backupNow,
  'learningViewer.restoreBackup': restoreBackup,
  'learningViewer.checkAlerts': checkAlerts,
  'learningViewer.refreshGit': (c) => c.git.refresh(),
  'learningViewer.openCommit': (c, id) => (typeof id === 'string' ? c.git.openCommit(id) : undefined),
  'learningViewer.showFileExamples': async (c, path) => {
    if (typeof path !== 'string') return;
    await c.filters.set({ file: path });
    await vscode.commands.executeCommand('learningViewer.openDashboard');
  },
  'learningViewer.configureAlertWebhook': configureAlertWebhook,
  'learningViewer.setAlertMailPassword': setAlertMailPassword,
  'learningViewer.unmuteAlertRules': unmuteAlertRules,
  'learningViewer.startApiServer': async (c) => {
    const url = await c.api.start();
    void showInfo(c.api.status?.requireToken ? vscode.l10n.t('Learning Viewer: the API server listens on {0} (tokens required: Learning Viewer: Create API Token…).', url) : vscode.l10n.t('Learning Viewer: the API server listens on {0}.', url));
    return url;
  },
  'learningViewer.stopApiServer': async (c) => {
    const stopped = await c.api.stop();
    void showInfo(stopped ? vscode.l10n.t('Learning Viewer: the API server stopped.') : vscode.l10n.t('Learning Viewer: the API server was not running.'));
    return stopped;
  },
  'learningViewer.createApiToken': (c, role, name) =>
    c.api.createToken(role === 'ingest' || role === 'read' || role === 'admin' ? role : undefined, typeof name === 'string' ? name : undefined),
};

export function registerCommands(container: Container): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, run]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(container, ...args);
      } catch (e) {
        container.log.error(`${id}: ${(e as Error).stack ?? String(e)}`);
        void showError(`Learning Viewer: ${(e as Error).message}`);
        return undefined;
      }
    }),
  );
}
