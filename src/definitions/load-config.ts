import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readWithEnv, typedEnvValues } from './env.js';
import { ProjectConfig } from './project-config.js';
import type { Problem } from './project.js';
import { describe } from './suggest.js';
import { issuesToProblems } from './zod-problems.js';
import { utf8Text } from './utf8-text.js';
import { formatPath, valueProblems, YamlSource } from './yaml-source.js';

export const CONFIG_FILE = 'roster.yml';

export interface LoadedConfig {
  /** Undefined when roster.yml is missing or invalid. */
  readonly config?: ProjectConfig;
  readonly source?: YamlSource;
  readonly problems: readonly Problem[];
}

/**
 * Reads `<dir>/roster.yml`: `${ENV}` replaced from `env`, validated, defaults applied
 * (an empty file means all defaults). Problems are returned, not thrown.
 */
export async function loadConfig(dir: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<LoadedConfig> {
  let text: string;
  try {
    const read = utf8Text(CONFIG_FILE, await readFile(join(dir, CONFIG_FILE)));
    if (typeof read !== 'string') return { problems: [read] };
    text = read;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `${CONFIG_FILE} not found: every roster project has one in its folder (roster init creates it)`
      : code === 'EISDIR' ? `${CONFIG_FILE} is a folder, not the project's file` : `cannot read ${CONFIG_FILE}: ${(e as Error).message}`;
    return { problems: [{ file: CONFIG_FILE, message }] };
  }
  const source = new YamlSource(CONFIG_FILE, text);
  if (source.syntaxProblems.length) return { source, problems: source.syntaxProblems };
  const { problems: envProblems, data: read, wholePaths } = readWithEnv(source, env);
  const data = read ?? {};
  if (data instanceof Error) return { source, problems: [source.unreadable(data)] };
  if (typeof data !== 'object' || Array.isArray(data)) {
    const at = source.locate([]);
    return { source, problems: [{ file: CONFIG_FILE, line: at.line, column: at.column, message: `${CONFIG_FILE} holds a mapping (name, warehouse, source, state, destinations), got ${describe(data)}` }] };
  }
  const unholdable = valueProblems(source, data);
  if (unholdable.length) return { source, problems: [...envProblems, ...unholdable] };
  const { parsed, input } = parseConfig(withDestinationDefaults(data), wholePaths);
  // An unset variable is the problem at its value: the schema's word on the ${NAME} left there is noise.
  const unset = new Set(envProblems.map(placeOf));
  const schemaProblems = parsed.success ? [] : issuesToProblems(source, parsed.error.issues, input).filter((p) => !unset.has(placeOf(p)));
  const problems = [...envProblems, ...(parsed.success ? [...duplicateDestinations(source, parsed.data, data), ...sharedJsonlFiles(source, parsed.data, dir), ...secondStdout(source, parsed.data), ...sharedStateSchema(source, parsed.data)] : schemaProblems)];
  return { source, problems, ...(parsed.success && !problems.length ? { config: parsed.data } : {}) };
}

/**
 * roster replaces tables named after definition keys in its state schema: in the source schema,
 * a key such as `logged_in` or `groups` would overwrite the input table of that name.
 */
function sharedStateSchema(source: YamlSource, config: ProjectConfig): Problem[] {
  if (config.state.schema.toLowerCase() !== config.source.schema.toLowerCase()) return [];
  const at = source.locate(['state', 'schema']);
  return [{
    file: CONFIG_FILE, line: at.line, column: at.column, path: formatPath(at.path),
    message: `state schema "${config.state.schema}" is the source schema: roster keeps its tables (named after definition keys) in a schema of its own, e.g. roster`,
  }];
}

/** Two stdout destinations would print every message twice on one stream, as two jsonl destinations on one file would. */
function secondStdout(source: YamlSource, config: ProjectConfig): Problem[] {
  const first = config.destinations.findIndex((d) => d.type === 'stdout');
  return config.destinations.flatMap((d, i) => {
    if (d.type !== 'stdout' || i === first) return [];
    const at = source.locate(['destinations', i, 'type']);
    return [{ file: CONFIG_FILE, line: at.line, column: at.column, path: formatPath(at.path), message: `destinations[${first}] already writes to stdout: there is one stdout, and a second stdout destination would print every message twice` }];
  });
}

/**
 * A jsonl destination appends to its file. Two writing one file would interleave, and after a
 * crash one would take the other's lines (same change, same messageId) for its own; appending
 * to roster.yml or to the DuckDB warehouse would break them.
 */
function sharedJsonlFiles(source: YamlSource, config: ProjectConfig, dir: string): Problem[] {
  // Files are compared once links are followed: out/crm.jsonl and link/crm.jsonl may be one file.
  const taken = new Map<string, string>([[fileIdentity(resolve(dir, CONFIG_FILE)), CONFIG_FILE]]);
  const w = config.warehouse;
  if (w.dialect === 'duckdb' && w.path !== ':memory:') {
    taken.set(fileIdentity(resolve(dir, w.path)), `the warehouse (${w.path})`);
    taken.set(fileIdentity(resolve(dir, `${w.path}.wal`)), `the warehouse's log (${w.path}.wal)`);
  }
  return config.destinations.flatMap((d, i) => {
    if (d.type !== 'jsonl') return [];
    const file = fileIdentity(resolve(dir, d.path));
    const owner = taken.get(file);
    if (owner === undefined) {
      taken.set(file, `destinations[${i}] (${d.path})`);
      return [];
    }
    const at = source.locate(['destinations', i, 'path']);
    return [{ file: CONFIG_FILE, line: at.line, column: at.column, path: formatPath(at.path), message: `the same file as ${owner}: a jsonl destination needs a file of its own` }];
  });
}

/**
 * What tells files apart: an existing file's device and inode (two hard links are one file), else
 * its physical path (also where a filesystem gives no inode: 0).
 */
function fileIdentity(path: string): string {
  try {
    const { dev, ino } = statSync(path, { bigint: true });
    if (ino !== 0n) return `inode ${dev}:${ino}`;
  } catch {
    // missing, or not to be looked at: its path tells it apart
  }
  return physicalPath(path);
}

/** The file an absolute path names once links are followed: the real path of its deepest existing part, then the rest. */
function physicalPath(path: string): string {
  const rest: string[] = [];
  for (let existing = path; ; existing = dirname(existing)) {
    try {
      return join(realpathSync(existing), ...rest);
    } catch {
      if (dirname(existing) === existing) return path;
      rest.unshift(basename(existing));
    }
  }
}

/** Destinations are referenced by name from definitions, so a name may appear once. */
function duplicateDestinations(source: YamlSource, config: ProjectConfig, written: object): Problem[] {
  const first = new Map<string, number>();
  return config.destinations.flatMap((d, i) => {
    const earlier = first.get(d.name);
    if (earlier === undefined) {
      first.set(d.name, i);
      return [];
    }
    const at = source.locate(['destinations', i, 'name']);
    const named = hasField((written as { destinations?: unknown[] }).destinations?.[i], 'name');
    const hint = named ? '' : ' (a destination without a name is named after its type): give each a name';
    return [{ file: CONFIG_FILE, line: at.line, column: at.column, path: formatPath(at.path), message: `destination "${d.name}" is already defined at destinations[${earlier}]${hint}` }];
  });
}

/**
 * roster.yml's data as its schema reads it, a whole `${NAME}` read as a number or a boolean where
 * one is wanted; `input` is what was parsed, for the problems' words.
 */
function parseConfig(data: object, wholePaths: ReadonlySet<string>): { parsed: ReturnType<typeof ProjectConfig.safeParse>; input: object } {
  const parsed = ProjectConfig.safeParse(data, { reportInput: true });
  if (parsed.success || !wholePaths.size) return { parsed, input: data };
  const wanted = parsed.error.issues.flatMap((issue) => (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'boolean')
    ? [{ path: issue.path, expected: issue.expected as 'number' | 'boolean' }] : []));
  const typed = typedEnvValues(data, wholePaths, wanted);
  return typed ? { parsed: ProjectConfig.safeParse(typed, { reportInput: true }), input: typed } : { parsed, input: data };
}

/**
 * Every field of roster.yml has a default but a destination's path or url (SPEC 1): a destination
 * without a type is http when it has a url and jsonl otherwise, and one without a name is named
 * after its type.
 */
function withDestinationDefaults(data: object): object {
  const destinations = (data as { destinations?: unknown }).destinations;
  if (!Array.isArray(destinations)) return data;
  return {
    ...data,
    destinations: destinations.map((d: unknown) => {
      if (d === null || typeof d !== 'object' || Array.isArray(d)) return d;
      const type = hasField(d, 'type') ? (d as { type: unknown }).type : hasField(d, 'url') ? 'http' : 'jsonl';
      return { ...d, type, ...(hasField(d, 'name') ? {} : { name: type }) };
    }),
  };
}

function hasField(value: unknown, field: string): boolean {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, field);
}

const placeOf = (p: Problem): string => `${p.line}:${p.column}:${p.path}`;
