// git's user.name, for who edits and who starts a task on a team database; null when git has none.
import { execFile } from 'node:child_process';

export function gitUserName(cwd?: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd, timeout: 3000, windowsHide: true }, (error, stdout) => resolve(error ? null : stdout.trim() || null));
  });
}
