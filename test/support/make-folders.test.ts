import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFolders } from '../../src/support/make-folders.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'roster-folders-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('makeFolders', () => {
  it('creates every missing folder of a path, and accepts folders that exist', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await makeFolders(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeFolders(deep);
    await makeFolders(join(dir, 'a'));
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('fails when a part of the path is a file', async () => {
    await writeFile(join(dir, 'f'), 'x');
    await expect(makeFolders(join(dir, 'f', 'g', 'h'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(existsSync(join(dir, 'f', 'g'))).toBe(false);
  });

  // Node's recursive mkdir loops forever here (the folder is refused with ENOENT although /proc exists).
  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))('fails, and returns, where the file system refuses a folder under one that exists (/proc)', async () => {
    await expect(makeFolders('/proc/roster-no-such-folder/out')).rejects.toMatchObject({ code: 'ENOENT' });
  }, 5_000);
});
