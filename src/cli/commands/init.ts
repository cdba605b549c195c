import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, realpathSync } from 'node:fs';
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
    .replace(/^name: b2b-saas$/m, () => `name: ${JSON.stringify(path.basename(path.resolve(target))).replaceAll('${', () => '$${')}`); // `$${` is roster.yml's literal `${`
  await writeFile(path.join(target, 'roster.yml'), config);
  for (const f of definitions) await cp(path.join(source, f), path.join(target, f));
  const keptGitignore = existsSync(path.join(target, '.gitignore'));
  if (!keptGitignore) await writeFile(path.join(target, '.gitignore'), GITIGNORE.map((l) => `${l}\n`).join(''));
  // JSON Schemas for editors (yaml-language-server: `# yaml-language-server: $schema=../.roster/definition.schema.json`).
  await mkdir(path.join(target, '.roster'), { recursive: true });
  await writeFile(path.join(target, '.roster', 'definition.schema.json'), JSON.stringify(definitionJsonSchema(), null, 2) + '\n');
  await writeFile(path.join(target, '.roster', 'roster.schema.json'), JSON.stringify(projectConfigJsonSchema(), null, 2) + '\n');
  const count = definitions.filter((f) => f.endsWith('.yml')).length; // the example's, not files already there
  console.log(`created a roster project in ${target} with ${count} example definitions`);
  console.log(`editor completion: JSON Schemas in ${path.join(target, '.roster')} (definition.schema.json, roster.schema.json)`);
  if (keptGitignore) {
    const theirs = new Set((await readFile(path.join(target, '.gitignore'), 'utf8').catch(() => '')).split(/\r?\n/).map((l) => l.trim()));
    const lines = GITIGNORE.filter((l) => !theirs.has(l));
    if (lines.length) console.log(`kept your .gitignore: add ${lines.join(', ')} to it (the warehouse, delivered files and run scratch)`);
  }
  // Meant to be pasted into a shell. As of two days before the demo's events end, as the README
  // runs it: a later run as of their end then shows what changed.
  const project = shellWord(target);
  const roster = selfCommand();
  console.log(`next: ${roster} --project ${project} demo && ${roster} --project ${project} run --as-of ${FIRST_RUN_AS_OF}`);
  return 0;
}

/**
 * A project's .gitignore (the example's own, examples/b2b-saas/.gitignore): written, not copied,
 * because npm leaves every .gitignore out of a package, so an installed roster has none to copy.
 */
export const GITIGNORE = ['warehouse.duckdb*', 'out/', 'target/'];

const FIRST_RUN_AS_OF = new Date(DEMO_END.getTime() - 2 * 24 * 3600 * 1000).toISOString();

/**
 * How a shell runs this roster again: `roster` where the PATH has it (installed globally), else
 * node and this file. Not `npx roster`: outside roster's own checkout npx would fetch another
 * package of that name; and node_modules/.bin, which npx puts on the PATH, is gone after it.
 */
function selfCommand(): string {
  const self = realpathSync(process.argv[1]);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.endsWith(path.join('node_modules', '.bin'))) continue;
    try {
      if (realpathSync(path.join(dir, 'roster')) === self) return 'roster';
    } catch {
      // not in this folder
    }
  }
  return `node ${shellWord(self)}`;
}

/** A word a POSIX shell reads back as `text`: as it is when plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
