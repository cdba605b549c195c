import type { Entity } from '../definitions/common.js';
import type { Condition, EventCondition } from '../definitions/condition.js';
import type { Definition, SqlTrait } from '../definitions/definition.js';
import type { ProjectConfig } from '../definitions/project-config.js';
import type { Dialect } from './dialect.js';
import { countedSqlTraits, isAssociating, lateSqlTraits, universeSqlTraits } from '../definitions/sql-trait-roles.js';

/** The source tables that exist, by lower-cased name, with their lower-cased columns and each column's type (as the engine's information_schema reports it). */
export type SourceCatalog = ReadonlyMap<string, ReadonlyMap<string, string>>;

export interface CompileOptions {
  readonly dialect: Dialect;
  readonly config: Pick<ProjectConfig, 'source' | 'state'>;
  readonly definitions: readonly Definition[];
  /** Where this run's result of a definition is read from; default: the committed `<state>.<key>`. */
  readonly resultTable?: (key: string) => string;
  /** When given, a missing event table or column becomes no rows / NULL with a warning (SPEC 3). */
  readonly catalog?: SourceCatalog;
  /** A fused run plan's shared relations; absent, each query computes its own (standalone SQL). */
  readonly shared?: SharedRelations;
}

/** A relation keyed by an entity's id column, the column holding the wanted value, a short name for aliases. */
export interface SharedColumn { readonly relation: string; readonly column: string; readonly name: string }

/** A `users:` condition's per-account booleans in a relation keyed by group_id (no row: the account has no users). */
export interface SharedUsersMatching { readonly relation: string; readonly any: string; readonly all: string; readonly name: string }

/**
 * Relations a fused run plan materialises once per run, read by queries instead of CTEs of
 * their own. Every member is optional: what it does not provide is computed inline, as standalone.
 */
export interface SharedRelations {
  readonly allUsers?: string;
  readonly allAccounts?: string;
  readonly accountUsers?: string;
  /** A custom trait's latest value per entity. */
  customTrait?(entity: Entity, name: string): SharedColumn | undefined;
  /** The number of events an event condition matches, per entity (NULL or no row: none). */
  eventCount?(entity: Entity, condition: EventCondition, groupContext: boolean): SharedColumn | undefined;
  /** Whether any / all of each account's users satisfy a user-level condition (`users:`). */
  usersMatching?(where: Condition): SharedUsersMatching | undefined;
}

/** Where a trait name used in a condition comes from. */
export type TraitSource =
  | { readonly kind: 'computed'; readonly definition: Extract<Definition, { kind: 'computed_trait' }> }
  | { readonly kind: 'sql'; readonly definition: SqlTrait & { file: string }; readonly column: string }
  | { readonly kind: 'custom'; readonly name: string };

/** Everything an emitter needs, derived once from the options. */
export class CompileContext {
  readonly dialect: Dialect;
  readonly warnings: string[] = [];
  readonly reads = new Set<string>();
  private readonly byKey: Map<string, Definition>;

  constructor(readonly options: CompileOptions) {
    this.dialect = options.dialect;
    this.byKey = new Map(options.definitions.map((d) => [d.key, d]));
  }

  get source() {
    return this.options.config.source;
  }

  definition(key: string): Definition | undefined {
    return this.byKey.get(key);
  }

  /** The result table of another definition, recorded as read. */
  result(key: string): string {
    this.reads.add(key);
    return this.options.resultTable?.(key) ?? this.dialect.qualify(this.options.config.state.schema, key);
  }

  sourceTable(name: string): string {
    return this.dialect.qualify(this.source.schema, this.dialect.sourceName(name));
  }

  /** A source relation, de-duplicated by id when the project asks for it. */
  sourceRelation(name: string): string {
    const table = this.sourceTable(name);
    return this.source.deduplicate ? this.dialect.deduplicate(table) : table;
  }

  /**
   * A source table as a FROM item with no alias of its own. De-duplicated, it is a subquery, and
   * Postgres (before 16) wants a subquery named: it is named after the table.
   */
  sourceFromItem(name: string): string {
    return this.source.deduplicate ? `${this.sourceRelation(name)} AS ${this.dialect.quoteIdent(name)}` : this.sourceTable(name);
  }

  /** undefined when there is no catalog (static compile): everything is assumed to exist. */
  columnsOf(table: string): ReadonlyMap<string, string> | undefined | null {
    if (!this.options.catalog) return undefined;
    return this.options.catalog.get(this.dialect.catalogLookup(table)) ?? null;
  }

  /** A source column's type; undefined without a catalog (static compile) or for a missing column. */
  columnType(table: string, column: string): string | undefined {
    return this.columnsOf(table)?.get(this.dialect.catalogLookup(column));
  }

  /** Whether a source column exists; undefined without a catalog (static compile). */
  columnExists(table: string, column: string): boolean | undefined {
    const columns = this.columnsOf(table);
    return columns === undefined ? undefined : columns !== null && columns.has(this.dialect.catalogLookup(column));
  }

  /**
   * For a missing table (or a missing column of a table): what the catalog holds under the same
   * name in another case, which the engine does not match (catalogKey), said after the warning.
   */
  caseHint(table: string, column?: string): string {
    const d = this.dialect;
    const other = (names: Iterable<string>, wanted: string) => [...names].find((n) => n !== wanted && n.toLowerCase() === wanted.toLowerCase());
    const found = column === undefined
      ? other(this.options.catalog?.keys() ?? [], d.catalogLookup(table))
      : other(this.columnsOf(table)?.keys() ?? [], d.catalogLookup(column));
    if (found === undefined) return '';
    const name = column === undefined ? `${this.source.schema}.${d.quoteIdent(found)}` : `column ${d.quoteIdent(found)}`;
    return ` (${name} differs from it in case only, and names match exactly on ${d.name}: Segment writes them in lower case)`;
  }

  /** The input tables' timestamp column (a keyword: always quoted), optionally qualified. */
  timestamp(alias?: string): string {
    const column = this.dialect.quoteIdent('timestamp');
    return alias ? `${alias}.${column}` : column;
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  /** Resolves a trait name for an entity: definitions shadow custom traits (SPEC 2). */
  trait(name: string, entity: Entity): TraitSource {
    for (const d of this.options.definitions) {
      if (d.entity !== entity) continue;
      if (d.kind === 'computed_trait' && d.key === name) return { kind: 'computed', definition: d };
      if (d.kind === 'sql_trait' && d.traits.includes(name)) return { kind: 'sql', definition: d, column: name };
    }
    return { kind: 'custom', name };
  }

  /**
   * SQL traits whose returned ids count as entities of `entity` (SPEC 3): for every definition
   * (universeSqlTraits), or for the audience `viewer`, which also counts the SQL traits with an
   * audience upstream that it waits for (countedSqlTraits).
   */
  universeSqlTraits(entity: Entity, viewer?: string): readonly SqlTrait[] {
    return viewer === undefined ? universeSqlTraits(this.options.definitions, entity) : countedSqlTraits(this.options.definitions, entity, viewer);
  }

  /** The SQL traits with an audience upstream that only some audiences, `viewer` among them, count (lateSqlTraits). */
  lateSqlTraits(entity: Entity, viewer: string): readonly SqlTrait[] {
    return lateSqlTraits(this.options.definitions, entity, viewer);
  }

  associatingSqlTraits(self?: string): SqlTrait[] {
    return this.options.definitions.filter((d) => isAssociating(d) && d.key !== self) as SqlTrait[];
  }
}

export const ID_COLUMN: Record<Entity, string> = { user: 'user_id', account: 'group_id' };

/**
 * Whether an input row has this id (SPEC 3): neither null nor empty text. A Segment library treats
 * an empty userId as none, and Segment refuses a call whose only id is empty, so '' is no user and
 * no account. Cast, as a SQL trait may return ids of another type.
 */
export function presentId(expr: string): string {
  return `CAST(${expr} AS VARCHAR) <> ''`;
}
