import type { Condition } from '../../definitions/condition.js';
import { ConditionCompiler, ConditionScope } from '../condition.js';
import { CompileContext, type CompileOptions, type SharedUsersMatching } from '../context.js';
import { indent } from '../names.js';
import { QueryParts } from '../query.js';
import { ColumnNames } from './column-names.js';
import type { SharedStep } from './shared.js';

/**
 * The `users:` conditions of account audiences in one pass over the memberships: per account,
 * whether any / all of its users satisfy each condition (one GROUP BY for all audiences instead
 * of one each). Only conditions that read shared tables alone (event features, custom traits):
 * one that reads a definition's result (a computed or SQL trait, an audience) or builds a
 * relation of its own keeps its query inside its audience, as standalone.
 */
export class UsersMatching {
  private readonly scope = new ConditionScope('user', 'au', true);
  private readonly columns: { readonly key: string; readonly sql: string; readonly users: Set<string>; readonly name: string }[] = [];
  /** any_<name> and all_<name>, named after the first audience with the condition. */
  private readonly names = new ColumnNames();
  private readonly reads = new Set<string>();

  constructor(
    /** Compile options with the plan's shared relations. */
    private readonly options: CompileOptions,
    private readonly name: string,
    private readonly accountUsers: () => string,
    private readonly onUse: (table: string) => void,
    /** Runs `fn`, returning the shared tables it used. */
    private readonly track: <T>(fn: () => T) => [T, ReadonlySet<string>],
  ) {}

  /** The columns of `where` for audience `by`; undefined when it cannot be shared. */
  request(where: Condition, by: string): SharedUsersMatching | undefined {
    const key = JSON.stringify(where);
    let i = this.columns.findIndex((c) => c.key === key);
    if (i < 0) {
      // A trial compile on its own: only a condition that reads no result and builds no CTE is shared.
      const trial = new CompileContext(this.options);
      const q = new QueryParts();
      new ConditionCompiler(trial, q, by).compile(where, new ConditionScope('user', 'au', true));
      if (trial.reads.size || q.render('') !== '') return undefined;
      const [sql, used] = this.track(() => new ConditionCompiler(new CompileContext(this.options), new QueryParts(), by).compile(where, this.scope));
      for (const u of used) this.reads.add(u);
      i = this.columns.push({ key, sql, users: new Set(), name: this.names.name('', [by], 'any_'.length) }) - 1;
    }
    const column = this.columns[i];
    column.users.add(by);
    this.accountUsers();
    this.onUse(this.name);
    return { relation: this.options.dialect.tempTable(this.name), any: `any_${column.name}`, all: `all_${column.name}`, name: 'users_matching' };
  }

  step(): SharedStep | undefined {
    if (!this.columns.length) return undefined;
    return {
      name: this.name, kind: 'shared', needs: [this.accountUsers(), ...[...this.reads].sort()],
      note: 'per account, whether any / all of its users satisfy each users: condition of the account audiences',
      render: () => this.render(),
    };
  }

  private render(): string {
    const d = this.options.dialect;
    const columns = this.columns.flatMap((c, i) => {
      const by = ` -- ${[...c.users].sort().join(', ')}`;
      return [`${d.boolOr(c.sql)} AS any_${c.name},${by}`, `${d.boolAnd(c.sql)} AS all_${c.name}${i < this.columns.length - 1 ? ',' : ''}${by}`];
    });
    return [
      'SELECT',
      indent(['au.group_id,', ...columns].join('\n')),
      `FROM ${d.tempTable(this.accountUsers())} AS au`,
      ...this.scope.joins,
      'GROUP BY au.group_id',
    ].join('\n');
  }
}
