import { previewQueries } from '../../compiler/preview.js';
import { buildGraph } from '../../definitions/graph.js';
import { mayAssociate } from '../../definitions/sql-trait-roles.js';
import { loadProjectWarning } from '../load.js';
import { computeDefinitions, runTableName } from '../../run/compute.js';
import { openWarehouse } from '../../warehouse/open.js';
import { absentEventWarnings } from '../../run/absent-events.js';
import { refuseUntimedSources } from '../../run/source-timestamps.js';
import { staleSourceWarning } from '../../run/stale-source.js';
import { didYouMean } from '../../definitions/suggest.js';
import { UsageError, warn } from '../errors.js';
import { parseAsOf, parsePositiveInt } from '../options.js';
import { formatTable } from '../table.js';
import { CONTROL_CHARACTER, indentedLines } from '../../support/terminal-text.js';
import { unicodeEscape } from '../../support/unicode-escape.js';

export interface PreviewFlags { asOf?: string; limit?: string }

/** Size and sample members of one definition, computed at as_of without writing anything. */
export async function previewCommand(dir: string, key: string, flags: PreviewFlags): Promise<number> {
  const project = await loadProjectWarning(dir);
  const graph = buildGraph(project.definitions);
  const def = project.definitions.find((d) => d.key === key);
  if (!def) throw new UsageError(`no definition has the key ${JSON.stringify(key)}${didYouMean(key, project.definitions.map((d) => d.key))}`);
  const asOf = parseAsOf(flags.asOf);
  const limit = parsePositiveInt('--limit', flags.limit, 10);
  const wh = await openWarehouse(project, { allowMemory: true, readOnly: true, onMissing: warn });
  try {
    // Compute only (no diff, nothing written): the definition and what it reads.
    const catalog = await wh.sourceCatalog(project.config.source.schema);
    const stale = flags.asOf === undefined ? await staleSourceWarning(wh, project.config, catalog, asOf.toISOString()) : undefined;
    if (stale) warn(stale);
    const needed = graph.withUpstream([key]);
    const neededDefinitions = project.definitions.filter((x) => needed.has(x.key));
    refuseUntimedSources(wh.dialect, project.config, catalog, neededDefinitions);
    for (const w of await absentEventWarnings(wh, project.config, catalog, neededDefinitions)) warn(w);
    const outcomes = await computeDefinitions(project, graph, wh, catalog, { asOf: asOf.toISOString(), selected: new Set([key]), needed });
    const failed = outcomes.filter((o) => o.status !== 'ok');
    for (const o of outcomes) for (const w of o.warnings) warn(`${o.key}: ${w}`);
    if (failed.length) {
      for (const o of failed) console.error(`error: ${o.key}: ${indentedLines(o.error ?? '')}`);
      return 2;
    }
    const d = wh.dialect;
    const table = d.tempTable(runTableName(key));
    const described = await wh.describe(table);
    const columns = described.map((c) => c.name.toLowerCase());
    // A JSON value (events_json's first / last) is shown as JSON, as it is sent: "5" and 5 apart.
    const json = described.filter((c) => d.isJsonType(c.type)).map((c) => c.name.toLowerCase());
    // A wide integer past 12 digits is stored as its rounded double's own integer (9223372036849999872), read as text: shown as it is sent.
    const wide = described.filter((c) => d.isWideIntegerType(c.type)).map((c) => c.name.toLowerCase());
    const q = previewQueries(def, table, limit, {
      dialect: d, config: project.config, definitions: project.definitions, catalog, resultTable: (k) => d.tempTable(runTableName(k)),
    }, columns, json);
    const params = { as_of: asOf.toISOString() };
    const [{ n }] = await wh.query(q.size);
    const noun = def.kind === 'audience' ? 'members' : `${def.entity === 'user' ? 'users' : 'accounts'} with a value`;
    console.log(`${def.key} (${def.entity} ${def.kind.replace('_', ' ')}) at ${asOf.toISOString()}`);
    console.log(`${noun}: ${n}`);
    if (q.breakdown) {
      const [b] = await wh.query(q.breakdown, params, ['as_of']);
      console.log(`users reached: ${b.users_reached ?? 0}`);
      if (Number(n) > 0) console.log(`users per account: min ${b.min_users}, median ${b.median_users}, max ${b.max_users}`);
    }
    let sample = await wh.query(q.sample);
    // A trait only taken for associating (SELECT *) stores a user_id it may not return: not shown when it has none.
    if (mayAssociate(def) && sample.every((row) => row.user_id === null)) sample = sample.map(({ user_id: _, ...rest }) => rest);
    if (sample.length) {
      console.log(`sample (${sample.length}):`);
      const cells = sample.map((row) => Object.entries(row).map(([c, v]) => {
        if (json.includes(c.toLowerCase())) return jsonDisplay(v);
        return wide.includes(c.toLowerCase()) && typeof v === 'string' ? String(Number(v)) : display(v);
      }));
      // An id and its value need no header; more columns (a SQL trait's, an account's user_id) do.
      const lines = Object.keys(sample[0]).length > 2 ? formatTable([Object.keys(sample[0]), ...cells]).split('\n') : cells.map((c) => c.join('  '));
      for (const line of lines) console.log(`  ${line}`);
    }
    return 0;
  } finally {
    await wh.close();
  }
}

/** A JSON value's text (the sample reads it so on every engine) as a message writes it: 10.0 is 10. */
function jsonDisplay(v: unknown): string {
  return v === null || v === undefined ? 'null' : JSON.stringify(JSON.parse(String(v)));
}

function display(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  // A line break, a tab or another control character would break the sample's lines and
  // columns, an invisible one would hide: such text is shown quoted, escaped (JSON escapes only C0).
  if (typeof v === 'string' && !CONTROL_CHARACTER.test(v)) return v;
  return JSON.stringify(v).replace(new RegExp(CONTROL_CHARACTER, 'g'), unicodeEscape);
}
