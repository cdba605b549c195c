import type { Entity } from '../../definitions/common.js';
import { CompileContext, ID_COLUMN, presentId, type CompileOptions, type SharedColumn } from '../context.js';
import { indent, segmentSlug } from '../names.js';
import { accountUsers, allAccounts, allUsers, customTraitValue, timeBounds } from '../sources.js';

/** A scratch table of the plan that is not a definition's result. */
export interface SharedStep {
  readonly name: string;
  readonly kind: 'shared' | 'features';
  /** Other steps' tables and definition keys (SQL traits) it reads. */
  readonly needs: readonly string[];
  readonly note: string;
  render(): string;
}

type Universe = 'all_users' | 'all_accounts' | 'account_users';

const UNIVERSE: Record<Universe, { note: string; sql: (ctx: CompileContext) => string }> = {
  all_users: { note: 'every user (SPEC 3): events, identify and group calls, SQL traits', sql: (ctx) => allUsers(ctx, undefined, 'once') },
  all_accounts: { note: 'every account: group calls and account-level SQL traits', sql: (ctx) => allAccounts(ctx, undefined, 'once') },
  account_users: { note: 'the users of each account: group calls and associating SQL traits', sql: (ctx) => accountUsers(ctx, undefined, 'once') },
};

/**
 * The run-wide relations besides event features: all users, all accounts, the memberships, and
 * the custom traits (one pass over identifies for every user trait the run uses, one over groups
 * for account traits). Each is registered when first used and rendered once.
 */
export class RunRelations {
  private readonly used = new Set<Universe>();
  private readonly traits: Record<Entity, Map<string, { column: string; value: string }>> = { user: new Map(), account: new Map() };

  constructor(
    private readonly options: CompileOptions,
    private readonly tableName: (name: string) => string,
    /** Told each table a definition reads, so the plan knows what it needs. */
    private readonly onUse: (table: string) => void,
  ) {}

  /** The scratch table of a universe relation, registered as used. */
  universe(which: Universe): string {
    this.used.add(which);
    this.onUse(this.tableName(which));
    return this.tableName(which);
  }

  relation(which: Universe): string {
    return this.options.dialect.tempTable(this.universe(which));
  }

  /** A custom trait's column in its entity's traits table; undefined when its source is missing. */
  customTrait(ctx: CompileContext, entity: Entity, name: string): SharedColumn | undefined {
    const traits = this.traits[entity];
    let t = traits.get(name);
    if (!t) {
      const value = customTraitValue(ctx, entity, name);
      if (value === undefined) return undefined;
      const base = `trait_${segmentSlug(name).slice(0, 40) || 'value'}`;
      let column = base;
      for (let i = 2; [...traits.values()].some((x) => x.column === column); i++) column = `${base}_${i}`;
      t = { column, value };
      traits.set(name, t);
    }
    const table = this.traitsTable(entity);
    this.onUse(table);
    return { relation: this.options.dialect.tempTable(table), column: t.column, name: table.replace(/^_+/, '') };
  }

  steps(): SharedStep[] {
    const out: SharedStep[] = [];
    for (const which of Object.keys(UNIVERSE) as Universe[]) {
      if (!this.used.has(which)) continue;
      const ctx = new CompileContext(this.options);
      const sql = UNIVERSE[which].sql(ctx);
      out.push({ name: this.tableName(which), kind: 'shared', needs: [...ctx.reads].sort(), note: UNIVERSE[which].note, render: () => sql });
    }
    for (const entity of ['user', 'account'] as const) {
      if (!this.traits[entity].size) continue;
      out.push({
        name: this.traitsTable(entity), kind: 'shared', needs: [],
        note: `the latest non-null value of each custom trait over ${entity === 'user' ? 'identify' : 'group'} calls (SPEC 3)`,
        render: () => this.traitPass(entity),
      });
    }
    return out;
  }

  private traitsTable(entity: Entity): string {
    return this.tableName(`${entity}_traits`);
  }

  private traitPass(entity: Entity): string {
    const ctx = new CompileContext(this.options);
    const d = ctx.dialect;
    const id = ID_COLUMN[entity];
    const latest = [{ expr: ctx.timestamp(), desc: true }, { expr: d.idSortKey('id'), desc: true }];
    const columns = [...this.traits[entity].values()].map((t) => `${d.firstValue(t.value, latest)} AS ${t.column}`);
    return [
      'SELECT',
      indent([id, ...columns].join(',\n')),
      `FROM ${ctx.sourceFromItem(entity === 'user' ? 'identifies' : 'groups')}`,
      `WHERE ${presentId(id)} AND ${timeBounds(ctx, ctx.timestamp())[0]}`,
      `GROUP BY ${id}`,
    ].join('\n');
  }
}
