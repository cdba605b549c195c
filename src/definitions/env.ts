import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Problem } from './project.js';
import { formatPath, type Path, type YamlSource } from './yaml-source.js';

const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in the string values of a YAML document with `env[NAME]`, in place.
 * `$${NAME}` stays as the literal text `${NAME}`. An unset variable is a problem at its value.
 */
export function interpolateEnv(src: YamlSource, env: Readonly<Record<string, string | undefined>>): { problems: Problem[]; wholeValues: Set<string> } {
  const problems: Problem[] = [];
  const wholeValues = new Set<string>();
  const visit = (node: Node | null, path: Path): void => {
    if (isMap(node)) {
      for (const pair of node.items) visit(pair.value as Node | null, [...path, isScalar(pair.key) ? String(pair.key.value) : '?']);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item as Node | null, [...path, i]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const whole = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(node.value);
      const replaced = node.value.replace(reference, (match, name: string | undefined) => {
        if (name === undefined) return '${';
        const value = env[name];
        if (value !== undefined) return value;
        const at = src.position(node.range?.[0] ?? 0);
        problems.push({ file: src.file, ...at, path: formatPath(path), message: `environment variable ${name} is not set (used as \${${name}})` });
        return match;
      });
      node.value = replaced;
      if (whole) wholeValues.add(replaced);
    }
  };
  visit(src.doc.contents as Node | null, []);
  return { problems, wholeValues };
}

/**
 * The data with the values that are a whole `${NAME}` read as a number or a boolean where
 * roster.yml wants one (`max_retries: ${RETRIES}`, quoted or not, also where a `<<` merge copied
 * it); undefined when no such value needs it. Only a decimal number or true / false is read so;
 * values stay text everywhere else, so a password of digits is still a password.
 */
export function typedEnvValues(data: object, wholeValues: ReadonlySet<string>, wanted: readonly { path: readonly PropertyKey[]; expected: 'number' | 'boolean' }[]): object | undefined {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let changed = false;
  for (const { path, expected } of wanted) {
    const parent = path.slice(0, -1).reduce<unknown>((node, seg) => (node as Record<PropertyKey, unknown> | undefined)?.[seg], copy) as Record<PropertyKey, unknown> | undefined;
    const text = parent?.[path[path.length - 1]];
    if (typeof text !== 'string' || !wholeValues.has(text)) continue;
    const value = expected === 'number' ? (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : undefined) : ({ true: true, false: false } as Record<string, boolean>)[text.trim()];
    if (value === undefined) continue;
    parent![path[path.length - 1]] = value;
    changed = true;
  }
  return changed ? copy : undefined;
}
