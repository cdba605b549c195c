import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { definitionJsonSchema, projectConfigJsonSchema } from '../../definitions/json-schema.js';
import { DEMO_END } from '../../demo/generate.js';
import { makeFolders, writeFailure } from '../../support/make-folders.js';
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

/**
 * A new project with the example definitions. It never overwrites a file: an existing roster.yml
 * or definition file stops it, and an existing .gitignore is kept.
 */
export async function initCommand(target: string): Promise<number> {
  if (existsSync(path.join(target, 'roster.yml'))) throw new UsageError(`${path.join(target, 'roster.yml')} already exists: not overwriting a project`);
  const source = exampleProject();
  const definitions = (await readdir(path.join(source, 'definitions'))).map((f) => path.join('definitions', f));
  const taken = definitions.filter((f) => existsSync(path.join(target, f)));
  if (taken.length) {
    throw new UsageError(`${taken.map((f) => path.join(target, f)).join(', ')} already exist${taken.length === 1 ? 's' : ''}: not overwriting ${taken.length === 1 ? 'it' : 'them'}`);
  }
  await makeFolders(path.join(target, 'definitions')).catch((e: unknown) => {
    throw new UsageError(`cannot create the project folder ${target}: ${writeFailure(e)}`);
  });
  // The project is named after its folder, not the example it starts from.
  const config = (await readFile(path.join(source, 'roster.yml'), 'utf8'))
    .replace(/^# Example project: .*$/m, '# A roster project, started from the b2b-saas example: a B2B SaaS with accounts (workspaces) and their users.')
    .replace(/^name: b2b-saas$/m, `name: ${JSON.stringify(path.basename(path.resolve(target)))}`);
  await writeFile(path.join(target, 'roster.yml'), config);
  for (const f of definitions) await cp(path.join(source, f), path.join(target, f));
  const keptGitignore = existsSync(path.join(target, '.gitignore'));
  if (!keptGitignore) await cp(path.join(source, '.gitignore'), path.join(target, '.gitignore')).catch(() => undefined);
  // JSON Schemas for editors (yaml-language-server: `# yaml-language-server: $schema=../.roster/definition.schema.json`).
  await mkdir(path.join(target, '.roster'), { recursive: true });
  await writeFile(path.join(target, '.roster', 'definition.schema.json'), JSON.stringify(definitionJsonSchema(), null, 2) + '\n');
  await writeFile(path.join(target, '.roster', 'roster.schema.json'), JSON.stringify(projectConfigJsonSchema(), null, 2) + '\n');
  const count = definitions.filter((f) => f.endsWith('.yml')).length; // the example's, not files already there
  console.log(`created a roster project in ${target} with ${count} example definitions`);
  console.log(`editor completion: JSON Schemas in ${path.join(target, '.roster')} (definition.schema.json, roster.schema.json)`);
  if (keptGitignore) {
    const lines = (await readFile(path.join(source, '.gitignore'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    if (lines.length) console.log(`kept your .gitignore: add ${lines.join(', ')} to it (the warehouse, delivered files and run scratch)`);
  }
  // npx finds roster installed in the project, globally, or in roster's own checkout, where a bare
  // `roster` is not on the PATH; the line is meant to be pasted into a shell.
  const project = shellWord(target);
  console.log(`next: npx roster --project ${project} demo && npx roster --project ${project} run --as-of ${DEMO_END.toISOString()}`);
  return 0;
}

/** A word a POSIX shell reads back as `text`: as it is when plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
