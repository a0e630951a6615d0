import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const RETRYABLE = new Set(['EPERM', 'EBUSY', 'EACCES']);

async function renameWithRetry(from: string, to: string): Promise<void> {
  // Windows holds files open by scanners and indexers for a moment: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (process.platform !== 'win32' || !RETRYABLE.has(code) || attempt >= 10) throw e;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `target` with `data` so that a crash at any moment leaves either the
 * old or the new file whole: temp file in the same folder, fsync, rename over,
 * fsync the folder. With `backup`, the old file is kept under that name first.
 * `open` is the file system's, replaceable to test faults such as a full disk.
 */
export async function writeFileAtomic(target: string, data: Uint8Array, backup?: string, open: typeof fs.open = fs.open): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    // With no old file to keep (it was moved aside as damaged), the backup there stays as it is.
    if (backup && (await fs.stat(target).then(() => true, () => false))) {
      // A hard link keeps the old snapshot whole under the backup name without copying it.
      await fs.rm(backup, { force: true });
      await fs.link(target, backup).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return;
        await fs.copyFile(target, backup);
      });
    }
    await renameWithRetry(temp, target);
    await fsyncDir(dir);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}
