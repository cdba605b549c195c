import type { z } from 'zod';
import type { Problem } from './project.js';
import { closest, describe, didYouMean, quoted } from './suggest.js';
import { formatPath, type Path, type YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues into problems located in the YAML file, with messages written for people:
 * zod's own generic messages ("Invalid input") are rewritten, the schemas' own messages kept.
 */
export function issuesToProblems(src: YamlSource, issues: readonly Issue[], data: unknown, pathPrefix: Path = []): Problem[] {
  const out: { problem: Problem; parent: string }[] = [];
  const seen = new Set<string>();
  for (const issue of unknownKeysApart(issues)) {
    const path = [...pathPrefix, ...(issue.path as (string | number)[])];
    const unknownKey = issue.code === 'unrecognized_keys';
    const where = unknownKey ? src.locateKey(path, issue.keys[0]) : src.locate(path);
    // The path names what is wrong (an unknown key, a missing field), though only its nearest
    // existing part has a line:column to point at.
    const named = unknownKey ? [...path, issue.keys[0]] : path;
    const problem: Problem = {
      file: src.file, line: where.line, column: where.column,
      ...(named.length ? { path: formatPath(named) } : {}),
      message: issueMessage(issue, path, data),
    };
    const id = JSON.stringify(problem);
    if (!seen.has(id)) out.push({ problem, parent: formatPath(unknownKey ? path : path.slice(0, -1)) });
    seen.add(id);
  }
  // `nme: x` reports both the unknown "nme" and the missing "name": the suggestion says it all.
  const suggested = new Set(out.flatMap(({ problem, parent }) => {
    const m = /^unknown field "[^"]*"; did you mean "([^"]+)"\?/.exec(problem.message);
    return m ? [`${parent}|${m[1]}`] : [];
  }));
  return out.filter(({ problem, parent }) => {
    const m = /^missing required field "([^"]+)"/.exec(problem.message);
    return !m || !suggested.has(`${parent}|${m[1]}`);
  }).map((x) => x.problem);
}

/** An issue of several unknown keys as one per key, each with its line of the message (unknownFieldsMessage). */
function unknownKeysApart(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys' || issue.keys.length < 2) return [issue];
    const lines = issue.message.split('\n');
    return issue.keys.map((key, i) => ({ ...issue, keys: [key], message: lines.length === issue.keys.length ? lines[i] : `unknown field "${key}"` }));
  });
}

const isDefault = (message: string) => /^(Invalid|Unrecognized|Too (small|big))\b/.test(message);

function issueMessage(issue: Issue, path: Path, data: unknown): string {
  const value = valueAt(data, path);
  const field = path.length ? path[path.length - 1] : undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined && typeof field === 'string' && !hasKeyAt(data, path)) {
        return isDefault(issue.message) ? `missing required field "${field}"${mistypedAs(data, path, field)}` : issue.message;
      }
      if (!isDefault(issue.message)) return issue.message;
      return `expected ${expectedName(issue.expected)}, got ${describe(value)}`;
    case 'invalid_value':
      return oneOfMessage(labelOf(path), issue.values.map(String), value);
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if ((issue as { note?: string }).note === 'No matching discriminator' && options) {
        if (value === undefined) return `missing required field "${String(field)}" (one of ${options.join(', ')})`;
        return oneOfMessage(String(field), options.map(String), value);
      }
      if (value === undefined && typeof field === 'string' && !hasKeyAt(data, path)) {
        return `missing required field "${field}"${mistypedAs(data, path, field)}${isDefault(issue.message) ? '' : `: ${issue.message}`}`;
      }
      return isDefault(issue.message) ? `${describe(value)} is not allowed here` : issue.message;
    }
    case 'too_small':
      if (!isDefault(issue.message)) return issue.message;
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `needs at least ${issue.minimum} characters`;
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}, got ${describe(value)}`;
    case 'too_big':
      if (!isDefault(issue.message)) return issue.message;
      if (issue.origin === 'array') return `takes at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `takes at most ${issue.maximum} characters`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, got ${describe(value)}`;
    case 'invalid_format':
      return isDefault(issue.message) ? `${describe(value)} is not a valid ${issue.format}` : issue.message;
    case 'unrecognized_keys':
      return isDefault(issue.message) ? `unknown field "${issue.keys[0]}"` : issue.message;
    default:
      return issue.message;
  }
}

/**
 * `; "ky" is no field here: did you mean "key"?` when the mapping missing `field` holds a key
 * that looks like it mistyped: where unknown keys are only warned about, the typo would otherwise
 * go unnamed.
 */
function mistypedAs(data: unknown, path: Path, field: string): string {
  const parent = valueAt(data, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return '';
  const near = Object.keys(parent).find((k) => k !== field && closest(k, [field]) === field);
  return near === undefined ? '' : `; "${near}" is no field here: did you mean "${field}"?`;
}

const labels: Record<string, string> = { users: 'users quantifier', calls: 'call', function: 'function' };
function labelOf(path: Path): string {
  const named = [...path].reverse().find((s) => typeof s === 'string');
  return named === undefined ? 'value' : (Object.hasOwn(labels, named) ? labels[named] : named);
}

function oneOfMessage(label: string, options: readonly string[], value: unknown): string {
  const list = options.join(', ');
  if (typeof value !== 'string') return `${label} must be one of ${list}, got ${describe(value)}`;
  return `unknown ${label} ${quoted(value)}${didYouMean(value, options) || `; expected one of ${list}`}`;
}

function expectedName(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false', array: 'a list',
    object: 'a mapping', record: 'a mapping', date: 'a date', null: 'nothing',
  };
  return names[expected] ?? expected;
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function hasKeyAt(data: unknown, path: Path): boolean {
  const parent = valueAt(data, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, path[path.length - 1]);
}
