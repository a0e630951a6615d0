import * as vscode from 'vscode';
import { inertText } from '../shared/plainText';

// Every notification goes through here. VS Code makes `[label](command:…)`
// in a message a live link; our own messages never need one, and the data in
// them (tags, models, ids, file names, learner output) must never become one.

export function showInfo<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showInformationMessage(inertText(message), ...items);
}

export function showWarning<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(inertText(message), ...items);
}

export function showError<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showErrorMessage(inertText(message), ...items);
}

/** A modal question: the message and its detail made inert as any notification. */
export function askModal<T extends string>(message: string, detail: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(inertText(message), { modal: true, detail: inertText(detail) }, ...items);
}
