import { readFileSync, realpathSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ignoredFields } from './computed-trait.js';
import { DefinitionFile, type Definition } from './definition.js';
import type { Problem } from './project.js';
import type { SqlTrait, SqlTraitFile } from './sql-trait.js';
import { checkSqlTemplate, type TemplatePosition } from './sql-template.js';
import { describe } from './suggest.js';
import { issuesToProblems } from './zod-problems.js';
import { utf8Text } from './utf8-text.js';
import { formatPath, valueProblems, YamlSource } from './yaml-source.js';

export const DEFINITIONS_DIR = 'definitions';

/** A `{{state "key"}}` or `{{source "table"}}` of a SQL trait, located in the file that holds the template. */
export interface LocatedTemplateRef {
  readonly key: string;
  readonly at: Omit<Problem, 'message'>;
}

/** One definition file that passed schema validation. */
export interface LoadedDefinition {
  readonly def: Definition;
  readonly source: YamlSource;
  readonly stateRefs: readonly LocatedTemplateRef[];
  /** A SQL trait's `{{source "table"}}`s, located like stateRefs. */
  readonly sourceRefs?: readonly LocatedTemplateRef[];
}

export interface LoadedDefinitions {
  readonly loaded: readonly LoadedDefinition[];
  readonly problems: readonly Problem[];
  /** What valid definitions hold that roster ignores (a field their type does not use). */
  readonly warnings: readonly Problem[];
  /** Keys of files that failed validation, with the first such file: references to them are not reported as unknown too. */
  readonly brokenKeys: ReadonlyMap<string, string>;
  /** The names (without .yml) of files that failed validation holding no key: likely keys, not reported as unknown either. */
  readonly keylessBroken: ReadonlySet<string>;
}

const toPosix = (p: string) => p.split(sep).join('/');

/**
 * Every `definitions/**\/*.yml|yaml` under `dir`, as project-relative posix paths, sorted; a
 * problem when the folder cannot be listed, a warning when there is none (no definitions, most
 * likely a project folder mistaken).
 */
export async function listDefinitionFiles(dir: string): Promise<{ files: string[]; problem?: Problem; warning?: Problem }> {
  const root = join(dir, DEFINITIONS_DIR);
  let files: string[];
  try {
    files = await walkYamlFiles(root, '', new Set([await realpath(root)]));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { files: [], warning: { file: DEFINITIONS_DIR, message: 'no such folder: the project has no definitions (definitions/**/*.yml)' } };
    const message = code === 'ENOTDIR' ? 'is a file, not the folder of definition files' : `cannot list the definitions: ${(e as Error).message}`;
    return { files: [], problem: { file: DEFINITIONS_DIR, message } };
  }
  return { files: files.map((f) => `${DEFINITIONS_DIR}/${f}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/**
 * The .yml / .yaml files (any case: x.YML) below `root`/`rel`, as posix paths relative to `root`.
 * Hidden files and folders (a name starting with '.': macOS's ._x.yml copies, .git) are not read,
 * as git and editors keep them out of sight. Links are followed,
 * but a folder is read once: a link back up (ln -s . loop) would otherwise list every file again
 * at each depth until the system gives up.
 */
async function walkYamlFiles(root: string, rel: string, seen: Set<string>): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const target = await realpath(join(root, path)).catch(() => undefined);
      isDir = target !== undefined && (await stat(target)).isDirectory();
      if (isDir && seen.has(target!)) continue;
      if (isDir) seen.add(target!);
    }
    // A folder named x.yml is listed as a file: reading it then says what is wrong.
    if (/\.ya?ml$/i.test(entry.name)) out.push(path);
    else if (isDir) out.push(...(await walkYamlFiles(root, path, seen)));
  }
  return out;
}

/** A definition file's text, or the problem that stops reading it (a folder named x.yml, a broken link). */
function readDefinitionFile(dir: string, file: string): string | Problem {
  try {
    // A pipe would block the read for ever; a device is no definition either.
    const stats = statSync(join(dir, file));
    if (!stats.isFile() && !stats.isDirectory()) return { file, message: 'cannot read this definition file: it is not a regular file (a pipe, a socket or a device)' };
    return utf8Text(file, readFileSync(join(dir, file)));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a folder, not a file' : code === 'ENOENT' ? 'it is a link to nothing' : (e as Error).message;
    return { file, message: `cannot read this definition file: ${why}` };
  }
}

/**
 * Reads and validates every definition file of the project at `dir` (SQL files of SQL traits
 * included). Problems are collected, not thrown; files with problems are left out of `loaded`.
 */
export async function loadDefinitions(dir: string): Promise<LoadedDefinitions> {
  const loaded: LoadedDefinition[] = [];
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const brokenKeys = new Map<string, string>();
  const keylessBroken = new Set<string>();
  const listing = await listDefinitionFiles(dir);
  if (listing.problem) problems.push(listing.problem);
  if (listing.warning) warnings.push(listing.warning);
  for (const file of listing.files) {
    // Read synchronously: definition files are small, and an awaited read costs four thread-pool
    // round trips (open, stat, read, close), which made up most of loading 200 definitions.
    const text = readDefinitionFile(dir, file);
    if (typeof text !== 'string') {
      problems.push(text);
      continue;
    }
    const source = new YamlSource(file, text);
    const data = source.toJS();
    const rawKey = data !== null && typeof data === 'object' && !(data instanceof Error) ? (data as { key?: unknown }).key : undefined;
    const broken = (ps: readonly Problem[]) => {
      problems.push(...ps);
      if (typeof rawKey === 'string' && !brokenKeys.has(rawKey)) brokenKeys.set(rawKey, file);
      // Without a key of its own (`name:` for `key:`), the file's name is the likely one.
      else if (typeof rawKey !== 'string') keylessBroken.add(basename(file).replace(/\.ya?ml$/i, ''));
    };
    // Syntax problems first: they are located, and often why the document cannot be built.
    if (source.syntaxProblems.length) {
      broken(source.syntaxProblems);
      continue;
    }
    if (data instanceof Error) {
      problems.push(source.unreadable(data));
      continue;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      const at = source.locate([]);
      broken([{ file, line: at.line, column: at.column, message: `a definition file holds one mapping (kind, key, entity, ...), got ${describe(data)}` }]);
      continue;
    }
    const unholdable = valueProblems(source, data);
    if (unholdable.length) {
      broken(unholdable);
      continue;
    }
    const parsed = DefinitionFile.safeParse(data, { reportInput: true });
    if (!parsed.success) {
      broken(issuesToProblems(source, parsed.error.issues, data));
      continue;
    }
    if (parsed.data.kind === 'computed_trait') {
      for (const x of ignoredFields(data as Parameters<typeof ignoredFields>[0])) {
        const at = source.locateKey([], x.field);
        warnings.push({ file, line: at.line, column: at.column, path: x.field, message: x.message });
      }
    }
    if (parsed.data.kind !== 'sql_trait') {
      loaded.push({ def: { ...parsed.data, file }, source, stateRefs: [] });
      continue;
    }
    const sql = await loadSqlTrait(dir, source, parsed.data);
    problems.push(...sql.problems);
    if (sql.def) loaded.push({ def: sql.def, source, stateRefs: sql.stateRefs, sourceRefs: sql.sourceRefs });
    else broken([]);
  }
  return { loaded, problems, warnings, brokenKeys, keylessBroken };
}

interface LoadedSql {
  readonly def?: SqlTrait & { readonly file: string };
  readonly problems: readonly Problem[];
  readonly stateRefs: readonly LocatedTemplateRef[];
  /** A SQL trait's `{{source "table"}}`s, located like stateRefs. */
  readonly sourceRefs?: readonly LocatedTemplateRef[];
}

/** Whether `path` is `folder` or inside it (compared as written: realpathSync both to follow links). */
function isInsideFolder(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}

/** Resolves a SQL trait's template (sql_file next to the .yml, or inline sql) and checks it. */
async function loadSqlTrait(dir: string, source: YamlSource, t: SqlTraitFile): Promise<LoadedSql> {
  const file = source.file;
  let template = t.sql ?? '';
  let locateInTemplate: (p: TemplatePosition) => Omit<Problem, 'message'>;
  if (t.sql_file !== undefined) {
    const absolute = resolve(dir, dirname(file), t.sql_file);
    const sqlFile = toPosix(relative(dir, absolute));
    const refused = (message: string) => {
      const at = source.locate(['sql_file']);
      return { problems: [{ file, line: at.line, column: at.column, path: 'sql_file', message }], stateRefs: [] };
    };
    // Compiled SQL is reviewed and reproduced from the project alone (SPEC 1: next to its .yml).
    if (!isInsideFolder(dir, absolute)) return refused(`sql_file "${t.sql_file}" is outside the project folder: keep it in the project, next to its .yml`);
    try {
      // Through a link, the file read is where the link points: that must be in the project too.
      if (!isInsideFolder(realpathSync(dir), realpathSync(absolute))) {
        return refused(`sql_file "${t.sql_file}" is a link to a file outside the project folder: keep the SQL itself in the project, next to its .yml`);
      }
      const stats = statSync(absolute);
      if (stats.isDirectory()) return refused(`sql_file "${t.sql_file}" is a folder, not a file`);
      // A pipe would block the read for ever.
      if (!stats.isFile()) return refused(`sql_file "${t.sql_file}" is not a regular file (a pipe, a socket or a device)`);
      const text = utf8Text(sqlFile, readFileSync(absolute));
      if (typeof text !== 'string') return { problems: [text], stateRefs: [] };
      // CRLF line ends (a Windows checkout) compile to the same SQL as LF ones, as YAML's own do.
      template = text.replace(/\r\n/g, '\n');
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      return refused(missing ? `sql_file "${t.sql_file}" not found (looked for ${sqlFile})` : `cannot read sql_file ${sqlFile}: ${(e as Error).message}`);
    }
    locateInTemplate = (p) => ({ file: sqlFile, line: p.line, column: p.column });
  } else {
    locateInTemplate = (p) => ({ file, ...inlinePosition(source, p) });
  }
  const check = checkSqlTemplate(template);
  return {
    def: { ...t, traits: t.traits ?? [t.key], template, file },
    problems: check.problems.map((p) => ({ ...locateInTemplate(p), message: p.message })),
    stateRefs: check.stateRefs.map((r) => ({ key: r.key, at: locateInTemplate(r) })),
    sourceRefs: check.sourceRefs.map((r) => ({ key: r.key, at: locateInTemplate(r) })),
  };
}

/**
 * Maps a line:column inside an inline `sql:` value to the .yml file. Exact for a `|` block and a
 * one-line value; elsewhere (folded lines) the value's text is not laid out as the file's, so the
 * problem points at the value and says where in its text it is.
 */
function inlinePosition(source: YamlSource, p: TemplatePosition): { line: number; column: number; path: string } {
  const node = source.doc.getIn(['sql'], true) as { type?: string; range?: [number, number, number] } | undefined;
  const start = source.locate(['sql']);
  const path = formatPath(['sql']);
  if (!node?.range) return { line: start.line, column: start.column, path };
  const raw = source.text.slice(node.range[0], node.range[1]);
  if (node.type === 'BLOCK_LITERAL') {
    // `|2`: the indentation is given (sql: is a top-level key); else the first line's sets it.
    const given = /^\|[+-]?(\d)/.exec(raw)?.[1];
    const firstContent = source.text.split('\n').slice(start.line).find((l) => l.trim() !== '') ?? '';
    const indent = given !== undefined ? Number(given) : firstContent.length - firstContent.trimStart().length;
    return { line: start.line + p.line, column: indent + p.column, path };
  }
  if (node.type === 'BLOCK_FOLDED' || raw.includes('\n')) {
    return { line: start.line, column: start.column, path: `${path} (line ${p.line}, column ${p.column} of its text)` };
  }
  // One line of source may hold several of the value's ("\n" escapes): count characters.
  const before = String((node as { value?: unknown }).value ?? '').split('\n').slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0);
  return { line: start.line, column: start.column + rawOffset(raw, node.type, before + p.column - 1), path };
}

/** Where in a one-line scalar's source the value's character `k` is: past its quote and the escapes before it. */
function rawOffset(raw: string, type: string | undefined, k: number): number {
  if (type !== 'QUOTE_DOUBLE' && type !== 'QUOTE_SINGLE') return k;
  const ESCAPE_LENGTH: Record<string, number> = { x: 4, u: 6, U: 10 };
  let i = 1;
  for (let v = 0; v < k && i < raw.length; v++) {
    if (type === 'QUOTE_DOUBLE' && raw[i] === '\\') {
      // \U0001F600 is one escape for two of the value's UTF-16 units.
      if (raw[i + 1] === 'U' && parseInt(raw.slice(i + 2, i + 10), 16) > 0xffff) v++;
      i += ESCAPE_LENGTH[raw[i + 1]] ?? 2;
    } else i += type === 'QUOTE_SINGLE' && raw.startsWith("''", i) ? 2 : 1;
  }
  return i;
}
