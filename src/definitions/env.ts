import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Problem } from './project.js';
import { formatPath, type Path, type YamlSource } from './yaml-source.js';

const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in the string values of a YAML document with `env[NAME]`, in place.
 * `$${NAME}` stays as the literal text `${NAME}`. An unset variable is a problem at its value.
 */
export function interpolateEnv(src: YamlSource, env: Readonly<Record<string, string | undefined>>): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: Node | null, path: Path): void => {
    if (isMap(node)) {
      for (const pair of node.items) visit(pair.value as Node | null, [...path, isScalar(pair.key) ? String(pair.key.value) : '?']);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item as Node | null, [...path, i]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      node.value = node.value.replace(reference, (match, name: string | undefined) => {
        if (name === undefined) return '${';
        const value = env[name];
        if (value !== undefined) return value;
        const at = src.position(node.range?.[0] ?? 0);
        problems.push({ file: src.file, ...at, path: formatPath(path), message: `environment variable ${name} is not set (used as \${${name}})` });
        return match;
      });
    }
  };
  visit(src.doc.contents as Node | null, []);
  return problems;
}
