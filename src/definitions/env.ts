import { visit } from 'yaml';
import type { Problem } from './project.js';
import type { YamlSource } from './yaml-source.js';

const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in the string values of a YAML document with `env[NAME]`, in place.
 * `$${NAME}` stays as the literal text `${NAME}`. An unset variable is a problem at its value.
 */
export function interpolateEnv(src: YamlSource, env: Readonly<Record<string, string | undefined>>): Problem[] {
  const problems: Problem[] = [];
  visit(src.doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      node.value = node.value.replace(reference, (match, name: string | undefined) => {
        if (name === undefined) return '${';
        const value = env[name];
        if (value === undefined) {
          const at = src.position(node.range?.[0] ?? 0);
          problems.push({ file: src.file, ...at, message: `environment variable ${name} is not set (used as \${${name}})` });
          return match;
        }
        return value;
      });
    },
  });
  return problems;
}

