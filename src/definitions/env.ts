import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Problem } from './project.js';
import { quoted } from './suggest.js';
import { formatPath, type Path, type YamlSource } from './yaml-source.js';

// $${ (a literal ${), ${NAME}, or a ${ that starts no reference (${X:-default}, ${ X }, unclosed).
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

/**
 * The document as plain data with `${NAME}` in its string values replaced by `env[NAME]` (the
 * document too, in place); `$${NAME}` stays as the literal text `${NAME}`. An unset variable is a
 * problem at its value. `wholePaths` are the places in the data whose value was a whole `${NAME}`,
 * also where a `<<` merge copied it (see typedEnvValues).
 */
export function readWithEnv(src: YamlSource, env: Readonly<Record<string, string | undefined>>): { problems: Problem[]; data: unknown; wholePaths: Set<string> } {
  const problems: Problem[] = [];
  // A whole ${NAME} is read as a marker first, so its places can be found in the built data.
  const wholes: { node: { value: unknown }; value: string }[] = [];
  const visit = (node: Node | null, path: Path): void => {
    if (isMap(node)) {
      for (const pair of node.items) visit(pair.value as Node | null, [...path, isScalar(pair.key) ? String(pair.key.value) : '?']);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item as Node | null, [...path, i]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const whole = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(node.value);
      const replaced = node.value.replace(reference, (match, name: string | undefined) => {
        if (match === '$${') return '${';
        if (name === undefined) {
          const at = src.position(node.range?.[0] ?? 0);
          problems.push({ file: src.file, ...at, path: formatPath(path), message: `${quoted(String(node.value))} holds a \${ that is no \${NAME} reference (a name of letters, digits and _, closed by }; defaults such as \${X:-y} are not read): write $\${ for a literal \${` });
          return match;
        }
        // Only the environment's own variables: `toString` or `constructor` is no variable set.
        const value = Object.hasOwn(env, name) ? env[name] : undefined;
        if (value !== undefined) return value;
        const at = src.position(node.range?.[0] ?? 0);
        problems.push({ file: src.file, ...at, path: formatPath(path), message: `environment variable ${name} is not set (used as \${${name}})` });
        return match;
      });
      node.value = whole ? marker(wholes.length) : replaced;
      if (whole) wholes.push({ node, value: replaced });
    }
  };
  visit(src.doc.contents as Node | null, []);
  const built = src.toJS();
  for (const w of wholes) w.node.value = w.value;
  const wholePaths = new Set<string>();
  const restore = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      const i = markerIndex(value);
      if (i === undefined) return value;
      wholePaths.add(JSON.stringify(path));
      return wholes[i].value;
    }
    if (Array.isArray(value)) return value.map((v, i) => restore(v, [...path, i]));
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Error)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v, [...path, k])]));
    }
    return value;
  };
  return { problems, data: restore(built, []), wholePaths };
}

/** A text no YAML file holds (a NUL is refused in roster.yml): the i-th whole ${NAME}. */
function marker(i: number): string {
  return `\u0000env${i}\u0000`;
}

function markerIndex(text: string): number | undefined {
  const m = /^\u0000env(\d+)\u0000$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * The data with the values that are a whole `${NAME}` read as a number or a boolean where
 * roster.yml wants one (`max_retries: ${RETRIES}`, quoted or not, also where a `<<` merge copied
 * it); undefined when no such value needs it. Only a decimal number or true / false is read so;
 * values stay text everywhere else, so a password of digits is still a password.
 */
export function typedEnvValues(data: object, wholePaths: ReadonlySet<string>, wanted: readonly { path: readonly PropertyKey[]; expected: 'number' | 'boolean' }[]): object | undefined {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let changed = false;
  for (const { path, expected } of wanted) {
    if (!wholePaths.has(JSON.stringify(path))) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, seg) => (node as Record<PropertyKey, unknown> | undefined)?.[seg], copy) as Record<PropertyKey, unknown> | undefined;
    const text = parent?.[path[path.length - 1]];
    if (typeof text !== 'string') continue;
    const value = expected === 'number' ? (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : undefined) : (text.trim() === 'true' ? true : text.trim() === 'false' ? false : undefined);
    if (value === undefined) continue;
    parent![path[path.length - 1]] = value;
    changed = true;
  }
  return changed ? copy : undefined;
}
