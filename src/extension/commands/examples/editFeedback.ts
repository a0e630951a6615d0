import * as vscode from 'vscode';
import { inertText } from '../../../shared/plainText';
import { showWarning } from '../../notify';
import type { Container } from '../../container';
import { exampleId } from './commandArgs';

export async function editFeedback(container: Container, ...args: unknown[]): Promise<boolean> {
  const id = exampleId(args[0]);
  if (!id) return false;
  const example = await container.data.request('example', { id });
  if (!example) {
    void showWarning(vscode.l10n.t('Learning Viewer: no example with id {0} is stored.', id));
    return false;
  }
  const given = typeof args[1] === 'string' ? args[1] : undefined;
  const text =
    given ??
    (await vscode.window.showInputBox({
      title: 'Human Feedback',
      prompt: `Feedback on "${inertText((example.taskDescription ?? id).slice(0, 80))}". Leave empty to clear it.`,
      value: example.humanFeedback ?? '',
    }));
  if (text === undefined) return false;
  const { found } = await container.data.request('setFeedback', { id, feedback: text.trim() === '' ? null : text, author: container.user });
  return found;
}
