import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** The example project shipped with roster, found from this file whether run from src/ or dist/. */
function exampleProject(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the roster package folder');
    dir = up;
  }
  return path.join(dir, 'examples', 'b2b-saas');
}

/** A new project with the example definitions; refuses to overwrite an existing one. */
export async function initCommand(target: string): Promise<number> {
  if (existsSync(path.join(target, 'roster.yml'))) throw new UsageError(`${path.join(target, 'roster.yml')} already exists: not overwriting a project`);
  const source = exampleProject();
  await mkdir(target, { recursive: true });
  await cp(path.join(source, 'roster.yml'), path.join(target, 'roster.yml'));
  await cp(path.join(source, 'definitions'), path.join(target, 'definitions'), { recursive: true });
  await cp(path.join(source, '.gitignore'), path.join(target, '.gitignore')).catch(() => undefined);
  const count = (await readdir(path.join(target, 'definitions'))).filter((f) => f.endsWith('.yml')).length;
  console.log(`created a roster project in ${target} with ${count} example definitions`);
  console.log(`next: roster --project ${target} demo && roster --project ${target} run`);
  void stat;
  return 0;
}
