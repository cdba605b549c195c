import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import type { Problem } from './project.js';
import { quoted } from './suggest.js';

/** A path inside a YAML document: mapping keys and sequence indices. */
export type Path = readonly (string | number)[];

export interface Located {
  readonly line: number;
  readonly column: number;
  /** The part of the requested path that exists in the file (the located node's path). */
  readonly path: Path;
}

/** `['where', 'all', 1, 'users']` -> `where.all[1].users`; a key that is not a name is quoted: `where["{ last: 0 days }"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += `[${JSON.stringify(seg)}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/**
 * One YAML file, parsed with positions: syntax errors become problems, and any path inside the
 * document can be turned into a line:column (of the nearest existing node when it is absent).
 */
export class YamlSource {
  readonly doc: Document;
  readonly syntaxProblems: readonly Problem[];
  readonly text: string;
  private readonly lines = new LineCounter();

  constructor(readonly file: string, text: string) {
    // YAML 1.2 reads a lone CR (old Mac files) as a line break; the library reads only LF and CR LF.
    // One character for one keeps every offset, so places stay those of the file.
    this.text = text.replace(/\r(?!\n)/g, '\n');
    // logLevel error: the library's warnings (a key that is a mapping, stringified) would reach
    // stderr as Node process warnings; the schema reports such keys with their place instead.
    // merge: `<<: *defaults` merges as YAML 1.1 (and dbt's PyYAML) does; YAML 1.2 alone would keep
    // it as a field named "<<".
    this.doc = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: true, logLevel: 'error', merge: true });
    const seen = new Set<string>();
    const problems: Problem[] = [];
    for (const e of this.doc.errors) {
      // A second document that is empty (a trailing ---, perhaps with comments) holds nothing to read.
      if (e.code === 'MULTIPLE_DOCS' && /^---[ \t]*(#.*)?(\r?\n([ \t]*(#.*)?|(---|\.\.\.)[ \t]*(#.*)?))*(\r?\n)?$/.test(this.text.slice(e.pos[0]))) continue;
      // The parser notices a quote left open where the file ends: point at where it opens.
      const at = (e.code === 'MISSING_CHAR' && /quote/.test(e.message) ? this.openQuoteAt(e.pos[0]) : undefined) ?? e.linePos?.[0];
      const id = at ? `${at.line}:${at.col}` : '';
      if (seen.has(id)) continue; // one problem per place: later errors there are usually echoes of the first
      seen.add(id);
      const message = e.code === 'MULTIPLE_DOCS'
        ? 'a file holds one YAML document, but this one has a second after ---'
        : e.code === 'DUPLICATE_KEY'
          ? `${JSON.stringify(this.keyAt(e.pos[0]))} appears twice in this mapping: YAML keys must be unique`
          : /Maximum call stack/.test(e.message)
            ? `it nests too deep to read (roster reads at most ${MAX_NESTING} levels)`
            : e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') + envInFlowHint(this.text, e.pos[0]);
      // A repeated key has a place in the document: name it, as the schema's problems do.
      const path = e.code === 'DUPLICATE_KEY' ? this.pathAt(e.pos[0]) : undefined;
      problems.push({ file, ...(at ? { line: at.line, column: at.col } : {}), ...(path ? { path } : {}), message: `YAML syntax error: ${message}` });
    }
    // An alias inside the node it names (`where: &a {not: *a}`) makes a value without end, which
    // the library builds as a cycle and every later walk of the definition would follow forever.
    visit(this.doc, {
      Alias: (_, node) => {
        const target = node.resolve(this.doc);
        const [start, end] = [target?.range?.[0], target?.range?.[1]];
        const offset = node.range?.[0];
        if (start === undefined || end === undefined || offset === undefined || offset < start || offset >= end) return;
        problems.push({ file, ...this.position(offset), message: `YAML syntax error: the alias *${node.source} is inside the value it names (&${node.source}), which would never end` });
      },
    });
    // A tag the library does not know (`!foo`) would be dropped and its text read as a string.
    for (const w of this.doc.warnings) {
      if (w.code !== 'TAG_RESOLVE_FAILED') continue;
      const at = w.linePos?.[0];
      const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1] ?? 'this tag';
      const path = this.pathAt(w.pos[0]);
      problems.push({ file, ...(at ? { line: at.line, column: at.col } : {}), ...(path ? { path } : {}), message: `YAML syntax error: unknown tag ${tag}; definitions are plain YAML (strings, numbers, booleans, lists, mappings)` });
    }
    this.syntaxProblems = problems;
  }

  /** The key written at `offset`: the text up to its colon (a quoted key without its quotes). */
  private keyAt(offset: number): string {
    const rest = this.text.slice(offset).split('\n')[0];
    const quoted = /^(["'])(.*?)\1/.exec(rest);
    return quoted ? quoted[2] : rest.split(/:(\s|$)/)[0].trim();
  }

  /** Where the quoted scalar running on to `offset` opens (its quote), if one does. */
  private openQuoteAt(offset: number): { line: number; col: number } | undefined {
    let start: number | undefined;
    visit(this.doc, {
      Scalar: (_key, node) => {
        if ((node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') && node.range && node.range[0] <= offset && node.range[1] >= offset) start = node.range[0];
      },
    });
    return start === undefined ? undefined : this.lines.linePos(start);
  }

  /**
   * The document as plain data (null when the file is empty), or the Error that stops building
   * it: the yaml library refuses aliases that would expand without bound ("billion laughs").
   */
  toJS(): unknown {
    try {
      // The library's default (100 nodes copied through aliases) refused a plain file of 100 `*v`.
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COPIES });
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  }

  /**
   * The problem of a document that parsed but cannot be read (what toJS returned): placed at its
   * first alias that names no anchor before it, or its first merge (`<<`) of something that is
   * not a mapping, the usual causes.
   */
  unreadable(e: Error): Problem {
    const bomb = /Excessive alias count/.test(e.message);
    let offset: number | undefined;
    visit(this.doc, {
      Alias: (_, node) => {
        if (!bomb && node.resolve(this.doc) !== undefined) return undefined;
        offset = node.range?.[0];
        return visit.BREAK;
      },
    });
    if (offset === undefined) {
      visit(this.doc, {
        Pair: (_, pair) => {
          // With merge on, the library reads a `<<` key as a symbol.
          if (!isScalar(pair.key) || typeof pair.key.value !== 'symbol' || !this.mergesNonMap(pair.value)) return undefined;
          offset = (pair.value as Node | null)?.range?.[0] ?? pair.key.range?.[0];
          return visit.BREAK;
        },
      });
    }
    const at = offset === undefined ? {} : this.position(offset);
    const why = bomb ? `its aliases (*name) copy more than ${MAX_ALIAS_COPIES} nodes, which roster does not expand (an alias of an alias of ...?)` : e.message;
    return { file: this.file, ...at, message: `cannot read this YAML: ${why}` };
  }

  /** Whether a merge's value holds something other than mappings (the library refuses it). */
  private mergesNonMap(value: unknown): boolean {
    const resolved = isAlias(value) ? value.resolve(this.doc) : value;
    if (isSeq(resolved)) return resolved.items.some((item) => this.mergesNonMap(item));
    return !isMap(resolved);
  }

  /** line:column (1-based) of a source offset. */
  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * The path of the innermost entry holding `offset`, from its key to the end of its value (a tag
   * before the value included), as formatPath writes it; undefined at the top level.
   */
  pathAt(offset: number): string | undefined {
    const range = (n: unknown) => (n as Node | null)?.range ?? undefined;
    const within = (start?: number, end?: number) => start !== undefined && end !== undefined && start <= offset && offset < end;
    const inside = (n: unknown) => within(range(n)?.[0], range(n)?.[1]);
    const path: (string | number)[] = [];
    let node = this.doc.contents as unknown;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((p) => within(range(p.key)?.[0], (range(p.value) ?? range(p.key))?.[1]));
        const key = pair && keyText(pair);
        if (key === undefined) break;
        path.push(key);
        node = pair!.value;
      } else if (isSeq(node)) {
        const i = node.items.findIndex((item) => inside(item));
        if (i < 0) break;
        path.push(i);
        node = node.items[i];
      } else break;
    }
    return path.length ? formatPath(path) : undefined;
  }

  /** Where the value at `path` is; walks up to the nearest existing parent when it is absent. */
  locate(path: Path): Located {
    const { node, keyNode, depth } = this.walk(path);
    const found = path.slice(0, depth);
    // An empty value (`where:` with nothing after it) has no text of its own: point at its key.
    const empty = !node || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]);
    const target = empty && keyNode ? keyNode : node;
    const offset = target?.range?.[0] ?? 0;
    return { ...this.position(offset), path: found };
  }

  /** Where the key `key` of the mapping at `path` is (for unknown fields). */
  locateKey(path: Path, key: string): Located {
    const { node, depth } = this.walk(path);
    if (depth === path.length && isMap(node)) {
      const pair = node.items.find((p) => keyText(p) === key);
      const offset = (pair?.key as Node | undefined)?.range?.[0];
      if (offset !== undefined) return { ...this.position(offset), path };
    }
    return this.locate(path);
  }

  private walk(path: Path): { node: Node | null | undefined; keyNode?: Node; depth: number } {
    let node = this.doc.contents as Node | null;
    let keyNode: Node | undefined;
    let depth = 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p) === String(seg));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        keyNode = undefined;
        node = node.items[seg] as Node | null;
      } else break;
      depth++;
      if (!node) break;
    }
    return { node, keyNode, depth };
  }
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** `{ url: ${URL} }` reads `{` as a mapping that opens: the usual cure, said where it happens. */
function envInFlowHint(text: string, offset: number): string {
  return text[offset] === '{' && text[offset - 1] === '$' ? ': a ${NAME} inside { } or [ ] is quoted, "${NAME}"' : '';
}

/** How many nodes a document's aliases may copy in all: a hand-written file's, not a "billion laughs". */
const MAX_ALIAS_COPIES = 10_000;

/** How deep a document may nest: far beyond any condition written by hand, short of the stack. */
export const MAX_NESTING = 200;

// A UTF-16 surrogate without its pair (a YAML "\ud800" escape) is no character.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Where a value or key of the document holds text no engine holds (a NUL character, a YAML "\0"
 * escape; a lone surrogate, which would be sent as U+FFFD), or where it nests deeper than
 * MAX_NESTING (700 nested `not:` overflowed the stack): the definition could never compile or run.
 */
export function valueProblems(source: YamlSource, data: unknown): Problem[] {
  const out: Problem[] = [];
  const unholdable = (text: string) =>
    text.includes('\u0000') ? 'a NUL character (\\0), which no warehouse\'s text can hold'
      : LONE_SURROGATE.test(text) ? 'a lone UTF-16 surrogate (a \\ud800 to \\udfff escape without its pair), which is no character' : undefined;
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (path.length > MAX_NESTING) {
      const at = source.locate(path);
      out.push({ file: source.file, line: at.line, column: at.column, path: formatPath(path.slice(0, 6)) + '...', message: `nests more than ${MAX_NESTING} levels deep, deeper than roster reads: split the condition into audiences that name each other` });
      return;
    }
    const why = typeof value === 'string' ? unholdable(value) : undefined;
    if (why) {
      const at = source.locate(path);
      out.push({ file: source.file, line: at.line, column: at.column, path: formatPath(path), message: `${quoted(value as string)} holds ${why}` });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
    } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      for (const [k, v] of Object.entries(value)) {
        const keyWhy = unholdable(k);
        if (keyWhy) {
          const at = source.locateKey(path, k);
          out.push({ file: source.file, line: at.line, column: at.column, path: formatPath([...path, k]), message: `the key ${JSON.stringify(k)} holds ${keyWhy}` });
        } else walk(v, [...path, k]);
      }
    }
  };
  walk(data, []);
  return out;
}
