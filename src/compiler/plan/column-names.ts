import { shortenedName } from '../names.js';

/** Room for a `_NN` suffix within Postgres's 63-byte identifiers. */
const MAX_BASE_BYTES = 59;

/**
 * Names for the columns of a shared plan table that stay put as definitions come and go: what
 * the column computes and the first definition (by key) that asks for it, `n_logins_30d`, with
 * `_2`, `_3` for that definition's next ones. Numbered across the table (`n_1`, `n_2`), adding a
 * definition renamed every column after its own, and every line reading them, in the compiled
 * plan that teams review.
 */
export class ColumnNames {
  private readonly taken = new Set<string>();

  /** `reserve`: bytes the caller puts before the name (any_, all_). */
  name(prefix: string, readers: Iterable<string>, reserve = 0): string {
    const owner = [...readers].sort()[0] ?? 'shared';
    const base = shortenedName(prefix ? `${prefix}_${owner}` : owner, MAX_BASE_BYTES - reserve);
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }
}
