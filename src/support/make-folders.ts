import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one folder at a time. Node's `mkdir(dir, { recursive: true })` never returns when
 * the file system refuses a folder with ENOENT although its parent exists (/proc): it
 * creates the parent and tries again, forever, at full CPU. Here that is an error like any other.
 */
export async function makeFolders(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw e;
    await makeFolders(parent);
    try {
      await mkdir(dir);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

/** Why a file or folder could not be written, in words: a part of its path that is a file says more than ENOTDIR. */
export function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a part of its path is a file, not a folder';
  return code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
}
