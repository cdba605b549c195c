import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dialectFor } from '../../../dialects/index.js';
import { compileProject } from '../../compiler/compile-project.js';
import { buildGraph } from '../../definitions/graph.js';
import { loadProjectWarning } from '../load.js';
import { DIALECTS, type DialectName } from '../../definitions/project-config.js';
import { makeFolders, writeFailure } from '../../support/make-folders.js';
import { UsageError } from '../errors.js';
import { ProjectError } from '../../definitions/project.js';

export interface CompileFlags { dialect?: string; select?: string[]; check?: boolean }

/** Writes compiled/<dialect>/<key>.sql, or with --check compares with them (exit 1 on a difference). */
export async function compileCommand(dir: string, flags: CompileFlags): Promise<number> {
  const project = await loadProjectWarning(dir);
  const graph = buildGraph(project.definitions);
  const name = (flags.dialect ?? project.config.warehouse.dialect) as DialectName;
  if (!(DIALECTS as readonly string[]).includes(name)) throw new UsageError(`--dialect must be ${DIALECTS.slice(0, -1).join(', ')} or ${DIALECTS[DIALECTS.length - 1]}, got ${JSON.stringify(name)}`);
  let dialect;
  try {
    dialect = dialectFor(name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const keys = flags.select?.length ? graph.select(flags.select) : new Set(graph.order);
  const outDir = path.join(project.dir, 'compiled', name);
  const files = compileProject(project, dialect, graph.order, keys);
  const definitionCount = files.size - 1;
  const existing = await readdir(outDir).then((f) => f.filter((x) => x.endsWith('.sql')), () => [] as string[]);
  const stale = flags.select?.length ? [] : existing.filter((f) => !files.has(f));

  if (flags.check) {
    const differences: string[] = [];
    for (const [file, sql] of files) {
      // A checkout with CRLF line ends (git autocrlf) holds the same SQL.
      const current = await readFile(path.join(outDir, file), 'utf8').then((text) => text.replace(/\r\n/g, '\n'), () => undefined);
      if (current === undefined) differences.push(`compiled/${name}/${file}: missing`);
      else if (current !== sql) differences.push(`compiled/${name}/${file}: differs (${firstDifference(current, sql)})`);
    }
    for (const f of stale) differences.push(`compiled/${name}/${f}: no definition has this key`);
    if (differences.length) {
      console.error(differences.join('\n'));
      console.error(`${differences.length} compiled file${differences.length > 1 ? 's' : ''} out of date: run \`roster compile${flags.dialect ? ` --dialect ${name}` : ''}\` and commit the result`);
      return 1;
    }
    console.log(`${files.size} compiled files up to date in compiled/${name}`);
    return 0;
  }
  await writingCompiled(`compiled/${name}`, () => makeFolders(outDir));
  for (const [file, sql] of files) await writingCompiled(`compiled/${name}/${file}`, () => writeFile(path.join(outDir, file), sql));
  for (const f of stale) await writingCompiled(`compiled/${name}/${f}`, () => rm(path.join(outDir, f)));
  console.log(`compiled ${definitionCount} definition${definitionCount === 1 ? '' : 's'} and the run plan to compiled/${name}${stale.length ? ` (removed ${stale.length} stale)` : ''}`);
  return 0;
}

/** A file of the project's compiled/ folder that cannot be written is a problem of the project (exit 1), named. */
async function writingCompiled(file: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (e) {
    throw new ProjectError([{ file, message: `cannot write the compiled SQL: ${writeFailure(e)}` }]);
  }
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] === lb[i]) continue;
    // Where one file ends first, say so: '' against '' would hide a missing or extra final newline.
    const blank = (lines: string[]) => lines.slice(i).every((l) => l === '');
    if (la[i] === undefined) return `line ${i + 1}: the committed file ends before it${blank(lb) ? ' (its final newline is missing)' : `; now ${JSON.stringify(lb[i])}`}`;
    if (lb[i] === undefined) return `line ${i + 1}: committed ${JSON.stringify(la[i])}, now the file ends before it${blank(la) ? ' (extra newlines at the end)' : ''}`;
    return `line ${i + 1}: committed ${JSON.stringify(la[i])}, now ${JSON.stringify(lb[i])}`;
  }
  return 'whitespace';
}
