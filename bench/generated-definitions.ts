import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

/** The demo's events and the properties definitions may use (src/demo/world.ts). */
const EVENTS = [
  { name: 'Page Viewed', strings: ['path', 'referrer'], numbers: [] as string[] },
  { name: 'Feature Used', strings: ['feature_name'], numbers: [] as string[] },
  { name: 'Logged In', strings: [] as string[], numbers: [] as string[] },
  { name: 'Order Completed', strings: ['currency'], numbers: ['total'] },
  { name: 'NPS Survey Submitted', strings: [] as string[], numbers: ['score'] },
];
const TYPES = ['event_counter', 'aggregation', 'most_frequent', 'first', 'last', 'unique_list', 'unique_list_count'] as const;
const WINDOWS = [undefined, { last: '7 days' }, { last: '14 days' }, { last: '30 days' }, { last: '90 days' }, { from: '2024-05-01', to: '2024-06-01' }];
const FILTERS = [
  { property: 'path', op: 'starts_with', value: '/docs' },
  { property: 'currency', op: 'eq', value: 'USD' },
  { property: 'feature_name', op: 'in', value: ['reports', 'exports'] },
];

type Yaml = Record<string, unknown>;
interface Trait { key: string; entity: 'user' | 'account'; value: 'number' | 'string' | 'list' }

/**
 * `n` varied definitions (half computed traits of every type, half audiences mixing event,
 * trait, audience and users conditions, chained up to several levels) as a roster project in
 * `dir`, for the compile benchmark. Deterministic.
 */
export function writeGeneratedProject(dir: string, n: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'definitions'), { recursive: true });
  writeFileSync(path.join(dir, 'roster.yml'), 'name: bench-compile\nwarehouse:\n  path: ./warehouse.duckdb\ndestinations:\n  - { name: crm, type: jsonl, path: out/crm.jsonl }\n');
  for (const def of generatedDefinitions(n)) writeFileSync(path.join(dir, 'definitions', `${def.key as string}.yml`), stringify(def));
}

export function generatedDefinitions(n: number): Yaml[] {
  const defs: Yaml[] = [];
  const traits: Trait[] = [];
  const audiences: { key: string; entity: 'user' | 'account' }[] = [];
  const traitCount = Math.ceil(n / 2);
  for (let i = 0; i < traitCount; i++) {
    const type = TYPES[i % TYPES.length];
    const entity = i % 3 === 0 ? 'account' : 'user';
    const candidates = EVENTS.filter((e) => (type === 'event_counter' ? true : type === 'aggregation' ? e.numbers.length > 0 : e.strings.length > 0));
    const event = candidates[Math.floor(i / TYPES.length) % candidates.length];
    const key = `gen_${type}_${i}`;
    const def: Yaml = { kind: 'computed_trait', key, entity, description: `generated ${type} over ${event.name}`, type, event: event.name };
    if (type === 'aggregation') Object.assign(def, { property: event.numbers[0], function: ['sum', 'avg', 'min', 'max'][i % 4] });
    else if (type !== 'event_counter') def.property = event.strings[i % event.strings.length];
    const window = WINDOWS[i % WINDOWS.length];
    if (window) def.window = window;
    const filter = FILTERS.find((f) => event.strings.includes(f.property));
    if (filter && i % 2 === 0) def.where = [filter];
    if (entity === 'account' && type === 'event_counter' && i % 4 === 0) def.scope = 'group_context';
    defs.push(def);
    traits.push({ key, entity, value: type === 'unique_list' ? 'list' : ['event_counter', 'aggregation', 'unique_list_count'].includes(type) ? 'number' : 'string' });
  }
  for (let i = 0; defs.length < n; i++) {
    const entity = i % 2 === 0 ? 'user' : 'account';
    const key = `gen_audience_${i}`;
    const own = traits.filter((t) => t.entity === entity);
    const trait = (j: number): Yaml => {
      const t = own[(i * 7 + j) % own.length];
      if (t.value === 'number') return { trait: { key: t.key, op: j % 2 ? 'lt' : 'gte', value: 1 + ((i + j) % 10) } };
      if (t.value === 'list') return { trait: { key: t.key, op: 'contains', value: 'reports' } };
      return { trait: { key: t.key, op: 'starts_with', value: '/' } };
    };
    const ev = EVENTS[i % EVENTS.length];
    const event: Yaml = { event: { name: ev.name, count: { gte: 1 + (i % 5) }, ...(WINDOWS[i % WINDOWS.length] ? { window: WINDOWS[i % WINDOWS.length] } : {}) } };
    const parts: Yaml[] = [trait(0), event];
    if (i % 3 === 0) parts.push({ any: [trait(1), { not: trait(2) }] });
    if (entity === 'account') {
      parts.push({ trait: { key: 'plan', op: 'in', value: ['pro', 'enterprise'] } });
      if (i % 4 === 1) parts.push({ users: (['any', 'all', 'none'] as const)[i % 3], where: { event: { name: 'Logged In', window: { last: '30 days' } } } });
    } else if (i % 5 === 0) {
      parts.push({ trait: { key: 'role', op: 'eq', value: 'admin' } });
    }
    // Chains: an audience of the same entity from a few steps back, so the graph has depth.
    const earlier = audiences.filter((a) => a.entity === entity);
    if (earlier.length && i % 2 === 1) parts.push({ audience: { key: earlier[earlier.length - 1 - (i % Math.min(3, earlier.length))].key, member: i % 4 !== 3 } });
    defs.push({ kind: 'audience', key, entity, description: 'generated audience', where: { all: parts } });
    audiences.push({ key, entity });
  }
  return defs;
}
