import { createHash } from 'node:crypto';

/**
 * Segment's warehouse connector names tables and columns by the snake_case of event and
 * property names, as its go-snakecase library writes it: words are runs of capitals or digits
 * followed by lower-case letters or digits, anything else (spaces, punctuation, non-ASCII
 * letters) only separates them. "Order Completed" -> order_completed, "totalAmount" ->
 * total_amount, "3D Model Viewed" -> 3d_model_viewed, "APIKeyCreated" -> apikey_created.
 * A name already in snake_case is kept as it is.
 */
export function segmentSlug(name: string): string {
  const lower = (c: string) => c >= 'a' && c <= 'z';
  const upper = (c: string) => c >= 'A' && c <= 'Z';
  const digit = (c: string) => c >= '0' && c <= '9';
  // The longest start already in snake_case (an underscore counts when a lower-case letter or digit follows).
  let i = 0;
  while (i < name.length && (lower(name[i]) || digit(name[i]) || (name[i] === '_' && i + 1 < name.length && (lower(name[i + 1]) || digit(name[i + 1]))))) i++;
  if (i === name.length) return name;
  // A digit just before a capital starts the capital's word ("3D" is one word).
  if (i > 0 && digit(name[i - 1])) i--;
  let out = name.slice(0, i);
  while (i < name.length) {
    if (!(lower(name[i]) || upper(name[i]) || digit(name[i]))) {
      i++;
      continue;
    }
    let word = '';
    while (i < name.length && (upper(name[i]) || digit(name[i]))) word += name[i++].toLowerCase();
    while (i < name.length && (lower(name[i]) || digit(name[i]))) word += name[i++];
    out += (out ? '_' : '') + word;
  }
  return out;
}

/** The longest start of a name within `maxBytes` of UTF-8, whole characters only (as Postgres cuts identifiers). */
export function cutToBytes(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  let kept = '';
  for (const ch of name) {
    if (Buffer.byteLength(kept + ch) > maxBytes) break;
    kept += ch;
  }
  return kept;
}

/**
 * A name within `maxBytes`, still telling apart names that share a long start: a longer one keeps
 * its start and a hash of the whole (`<start>_<8 hex digits>`).
 */
export function shortenedName(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${cutToBytes(name, maxBytes - hash.length - 1)}_${hash}`;
}

/** A short readable name for a CTE, from free text. */
export function cteName(prefix: string, text: string): string {
  const slug = segmentSlug(text).slice(0, 40);
  return slug ? `${prefix}_${slug}` : prefix;
}

/**
 * A `--` comment line holding `text` on one line: any line break in it (a carriage return ends a
 * comment on DuckDB and Postgres too) would let the rest run as SQL in a compiled file.
 */
export function sqlComment(text: string): string {
  return `-- ${text.replace(/\s*[\r\n\v\f\u0085\u2028\u2029]+\s*/g, ' ')}`;
}

export function indent(sql: string, spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return sql.split('\n').map((line) => (line ? pad + line : line)).join('\n');
}
