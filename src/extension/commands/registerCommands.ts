import * as vscode from 'vscode';
import { deleteExamples } from './delete/deleteExamples';
import { removeSampleData } from './delete/removeSampleData';
import { showError } from '../notify';
import { startApiServer } from './api/startApiServer';
import { stopApiServer } from './api/stopApiServer';
import { showFileExamples } from './examples/showFileExamples';
import type { Container } from '../container';
import { openDashboard } from './openDashboard';
import { importLogs } from './importLogs';
import { importAgentSessions } from './importAgentSessions';
import { refresh } from './refresh';
import { exportData } from './exportData';
import { cancelTask } from './tasks/cancelTask';
import { clearFinishedTasks } from './tasks/clearFinishedTasks';
import { removeTask } from './tasks/removeTask';
import { retryTask } from './tasks/retryTask';
import { showTaskLog } from './tasks/showTaskLog';
import { startLearningTask } from './tasks/startLearningTask';
import { applySavedView } from './views/applySavedView';
import { saveView } from './views/saveView';
import { backupNow } from './backups/backupNow';
import { restoreBackup } from './backups/restoreBackup';
import { checkAlerts } from './alerts/checkAlerts';
import { configureAlertWebhook } from './alerts/configureAlertWebhook';
import { setAlertMailPassword } from './alerts/setAlertMailPassword';
import { unmuteAlertRules } from './alerts/unmuteAlertRules';
import { clearFilters } from './examples/clearFilters';
import { configureLogFollowing } from './examples/configureLogFollowing';
import { copyExampleId } from './examples/copyExampleId';
import { editFeedback } from './examples/editFeedback';
import { exportGroup } from './examples/exportGroup';
import { filterByGroup } from './examples/filterByGroup';
import { groupExamplesBy } from './examples/groupExamplesBy';
import { loadMore } from './examples/loadMore';
import { loadSampleData } from './examples/loadSampleData';
import { openCodeContext } from './examples/openCodeContext';
import { showExample } from './examples/showExample';
import { showExampleJson } from './examples/showExampleJson';
import { connectTeamDatabase } from './team/connectTeamDatabase';
import { useWorkspaceDatabase } from './team/useWorkspaceDatabase';
import { copyData } from './team/copyData';

/** Every command the extension contributes, by id. A test checks this against package.json. */
export const COMMANDS: Record<string, (c: Container, ...args: unknown[]) => unknown> = {
  'learningViewer.openDashboard': openDashboard,
  'learningViewer.importLogs': importLogs,
  'learningViewer.importAgentSessions': importAgentSessions,
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
  'learningViewer.showFileExamples': showFileExamples,
  'learningViewer.configureAlertWebhook': configureAlertWebhook,
  'learningViewer.setAlertMailPassword': setAlertMailPassword,
  'learningViewer.unmuteAlertRules': unmuteAlertRules,
  'learningViewer.startApiServer': startApiServer,
  'learningViewer.stopApiServer': stopApiServer,
  'learningViewer.connectTeamDatabase': connectTeamDatabase,
  'learningViewer.useWorkspaceDatabase': useWorkspaceDatabase,
  'learningViewer.copyWorkspaceDataToTeam': (c, confirmed) => copyData(c, 'toTeam', confirmed === true),
  'learningViewer.copyTeamDataToWorkspace': (c, confirmed) => copyData(c, 'fromTeam', confirmed === true),
  'learningViewer.retryTeamDatabase': (c) => c.data.request('retryConnection', {}),
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
