// Message helpers: "did you mean" suggestions and short descriptions of YAML values.

/** Levenshtein distance between two strings (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** The candidate closest to `word`, if it is close enough to be a likely typo (ties: first candidate). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance && d <= Math.max(limit, Math.floor(c.length / 3))) [best, bestDistance] = [c, d];
  }
  if (best !== undefined) return best;
  // A shortened or extended name (operator -> op, group -> group_context) is also a likely slip.
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const cl = c.toLowerCase();
    if (Math.min(cl.length, lower.length) >= 2 && (lower.startsWith(cl) || cl.startsWith(lower))) {
      if (best === undefined || Math.abs(c.length - word.length) < Math.abs(best.length - word.length)) best = c;
    }
  }
  return best;
}

/** `; did you mean "where"?` or '' when nothing is close. `meaning`: words that mean a candidate (SQL's `and` is `all`), taken before spelling. */
export function didYouMean(word: string, candidates: Iterable<string>, meaning: Readonly<Record<string, string>> = {}): string {
  const c = Object.hasOwn(meaning, word.toLowerCase()) ? meaning[word.toLowerCase()] : closest(word, candidates);
  return c === undefined ? '' : `; did you mean "${c}"?`;
}

/**
 * `unknown field "wher"; did you mean "where"?`, for the unknown keys of a mapping: one line per
 * key, in order, which issuesToProblems reports each at its own key.
 */
export function unknownFieldsMessage(keys: readonly string[], allowed: readonly string[]): string {
  const meaning = Object.fromEntries(Object.entries(FIELD_MEANINGS).filter(([, field]) => allowed.includes(field)));
  return keys.map((k) => `unknown field "${k}"${didYouMean(k, allowed, meaning) || `; expected one of ${allowed.join(', ')}`}`).join('\n');
}

/** Fields other tools name otherwise: dbt names a model by `name:`, where a definition has `key:`. */
const FIELD_MEANINGS: Readonly<Record<string, string>> = { name: 'key' };

/** Past this many characters, a value quoted in a message loses its middle. */
const QUOTE_LIMIT = 100;

/**
 * A text quoted for a message, with JSON's quotes and escapes; past QUOTE_LIMIT characters only
 * its start and end, and its length: a whole 100,000-character value would bury the message.
 */
export function quoted(text: string): string {
  if (text.length <= QUOTE_LIMIT) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, 60)).slice(0, -1)}…${JSON.stringify(text.slice(-20)).slice(1)} (${text.length} characters)`;
}

/** A short description of a YAML value, for messages: `the string "abc"`, `a list`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `the string ${quoted(value)}`;
  // YAML reads 1e400 and .inf as Infinity, .nan as NaN: no number a definition can use.
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : `${value} (a number out of range, or .inf / .nan)`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return 'a mapping';
}
