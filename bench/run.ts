/**
 * `npm run bench [-- --size small|large --repeat N]`: roster against the floor on generated
 * Segment data (issue 6). Never part of `npm test`. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadProject } from '../src/definitions/load-project.js';
import type { ComputeStrategy } from '../src/run/compute.js';
import { writeGeneratedProject } from './generated-definitions.js';
import { startHttpSink } from './http-sink.js';
import {
  duckdbVersion, eventTablesUsed, insertNewEvents, measureCompile, measureDelivery, measureFloor,
  measureNaive, measureRun, peakRssBytes, prepareDelivery, settleOutbox,
} from './measure.js';
import { renderResults, summaryTable } from './report.js';
import type { DeliverySample, RunSample, SizeResults } from './results.js';
import { BENCH_DIR, cachedWarehouse, freshWarehouse, ROOT, scratchProject, SIZES, type BenchSize } from './warehouse-cache.js';

const AS_OF = new Date('2024-06-03T00:00:00Z'); // the demo's events end here: a first run sees all of them
const CHANGE_AS_OF = new Date('2024-06-03T01:00:00Z'); // the next scheduled run, an hour later

const USAGE = `usage: npm run bench -- [--size small|large] [--repeat N] [--seed S] [--memory-limit 1GB]
  [--delivery-limit N] [--new-events N] [--strategy fused|standalone] [--no-write] [--render]
(see bench/README.md)`;

const flags = parseFlags();

if (flags.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (flags.render) {
  writeResultsMarkdown();
  process.stderr.write('wrote bench/RESULTS.md\n');
  process.exit(0);
}

const size: BenchSize | undefined = SIZES[flags.size as BenchSize['name']];
if (!size) fail(`--size must be small or large, got ${flags.size}`);
const repeat = positive('--repeat', flags.repeat!);
const seed = positive('--seed', flags.seed!);
// Large: past the first account trait's group calls into its fan-out to users (about 2.1M messages).
const deliveryLimit = positive('--delivery-limit', flags['delivery-limit'] ?? (size.name === 'large' ? '500000' : '100000'));
const newEventsPerTable = positive('--new-events', flags['new-events']!);
const memoryLimit = flags['memory-limit']!;

const log = (s: string) => process.stderr.write(`${s}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const commit = gitCommit(); // the code measured is dist/ as built now, not whatever HEAD is at the end
const cache = cachedWarehouse(size!, seed);
if (cache.generatedMs) log(`generated ${path.relative(ROOT, cache.path)} in ${secs(cache.generatedMs)}`);
const projectDir = scratchProject(size!, memoryLimit);
const compileDir = path.join(BENCH_DIR, 'compile-200');
writeGeneratedProject(compileDir, 200);
const strategy = flags.strategy as ComputeStrategy;
if (strategy !== 'fused' && strategy !== 'standalone') fail(`--strategy must be fused or standalone, got ${flags.strategy}`);

freshWarehouse(projectDir, cache.path);
const project = await loadProject(projectDir);
const floorTables = await eventTablesUsed(project);
const events = await countEvents();
log(`bench ${size!.name}: ${events} events, ${size!.users} users, ${size!.accounts} accounts; ${repeat} repeat(s); strategy ${strategy}; memory_limit ${memoryLimit}`);

const sink = await startHttpSink();
const samples = {
  floor: [] as { totalMs: number; tracksMs: number; perTable: Record<string, number> }[],
  naive: [] as { ms: number; ok: boolean }[],
  first: [] as RunSample[], rerun: [] as RunSample[], change: [] as RunSample[],
  jsonl: [] as DeliverySample[], http: [] as DeliverySample[],
  compile200: [] as { loadMs: number; compileMs: number; planMs?: number; definitions: number }[],
  compileProject: [] as { loadMs: number; compileMs: number; planMs?: number; definitions: number }[],
};
const rss: { after: string; bytes: number }[] = [];
const checkpoint = (i: number, after: string) => {
  if (i === 0) rss.push({ after, bytes: peakRssBytes() });
};

try {
  for (let i = 0; i < repeat; i++) {
    const tag = `[${i + 1}/${repeat}]`;
    freshWarehouse(projectDir, cache.path);
    const file = path.join(projectDir, 'warehouse.duckdb');

    const floor = await measureFloor(file, memoryLimit, project.config.source.schema, floorTables);
    samples.floor.push(floor);
    checkpoint(i, 'floor');
    log(`${tag} floor ${secs(floor.totalMs)} (tracks ${secs(floor.tracksMs)})`);

    const naive = await measureNaive(projectDir, AS_OF);
    samples.naive.push(naive);
    checkpoint(i, 'naive');
    log(`${tag} naive (standalone queries) ${secs(naive.ms)}${naive.ok ? '' : ' (some definitions failed)'}`);

    const first = await measureRun(projectDir, AS_OF, { deliver: false, strategy });
    samples.first.push(first);
    checkpoint(i, 'first run');
    log(`${tag} first run ${secs(first.totalMs)}, ${first.messages} messages in the outbox`);

    const toSend = await prepareDelivery(projectDir, deliveryLimit);
    const jsonl = await measureDelivery(projectDir, toSend);
    samples.jsonl.push(jsonl);
    checkpoint(i, 'delivery jsonl');
    log(`${tag} jsonl delivery: ${jsonl.sent}/${toSend} in ${secs(jsonl.ms)} = ${Math.round(jsonl.sent / (jsonl.ms / 1000))} msg/s`);

    await prepareDelivery(projectDir, deliveryLimit);
    const crm = project.config.destinations[0];
    const http = await measureDelivery(projectDir, toSend, { name: crm.name, type: 'http', url: sink.url, calls: crm.calls, events: crm.events, timeout_ms: 30_000, max_retries: 0 });
    samples.http.push(http);
    checkpoint(i, 'delivery http');
    log(`${tag} http delivery: ${http.sent}/${toSend} in ${secs(http.ms)} = ${Math.round(http.sent / (http.ms / 1000))} msg/s`);
    await settleOutbox(projectDir);

    const rerun = await measureRun(projectDir, AS_OF, { deliver: true, strategy });
    samples.rerun.push(rerun);
    checkpoint(i, 're-run, data unchanged');
    log(`${tag} re-run, data unchanged: ${secs(rerun.totalMs)}, ${rerun.messages} messages`);

    const added = await insertNewEvents(projectDir, AS_OF, newEventsPerTable);
    const change = await measureRun(projectDir, CHANGE_AS_OF, { deliver: true, strategy });
    samples.change.push(change);
    checkpoint(i, 're-run after a small change');
    log(`${tag} re-run after ${added} new events, as_of +1 h: ${secs(change.totalMs)}, ${change.messages} messages`);

    const c200 = await measureCompile(compileDir);
    samples.compile200.push(c200);
    samples.compileProject.push(await measureCompile(projectDir));
    checkpoint(i, 'compile');
    log(`${tag} compile ${c200.definitions} definitions: ${c200.compileMs.toFixed(1)} ms standalone${c200.planMs === undefined ? '' : `, ${c200.planMs.toFixed(1)} ms fused plan`} (load + validate ${c200.loadMs.toFixed(1)} ms)`);
  }
} finally {
  await sink.close();
}

const results: SizeResults = {
  size: size!.name,
  date: new Date().toISOString(),
  commit,
  strategy,
  data: { users: size!.users, accounts: size!.accounts, days: size!.days, seed, events, ...(cache.generatedMs ? { generatedMs: Math.round(cache.generatedMs) } : {}) },
  settings: { repeat, memoryLimit, deliveryLimit, newEvents: newEventsPerTable * 3, asOf: AS_OF.toISOString(), changeAsOf: CHANGE_AS_OF.toISOString() },
  machine: {
    cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryBytes: os.totalmem(), node: process.version,
    duckdb: await duckdbVersion(), platform: `${os.platform()} ${os.release()}`, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  },
  floorTables,
  samples,
  rss: [...rss, { after: 'end', bytes: peakRssBytes() }],
  peakRssBytes: peakRssBytes(),
};

process.stdout.write(`${summaryTable(results)}\n`);
if (!flags['no-write']) {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const name = `${results.size}${strategy === 'fused' ? '' : `-${strategy}`}.json`;
  writeFileSync(path.join(dir, name), `${JSON.stringify(results, null, 2)}\n`);
  writeResultsMarkdown();
  log(`wrote bench/results/${name} and bench/RESULTS.md`);
}

/** bench/RESULTS.md from every bench/results/*.json and bench/NOTES.md (`--render` does only this). */
function writeResultsMarkdown(): void {
  const dir = path.join(ROOT, 'bench/results');
  const all = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as SizeResults) : [];
  const notes = path.join(ROOT, 'bench/NOTES.md');
  writeFileSync(path.join(ROOT, 'bench/RESULTS.md'), renderResults(all, existsSync(notes) ? readFileSync(notes, 'utf8') : ''));
}

async function countEvents(): Promise<number> {
  const { DuckDbWarehouse } = await import('../src/warehouse/duckdb-runner.js');
  const wh = await DuckDbWarehouse.open({ path: path.join(projectDir, 'warehouse.duckdb'), memoryLimit });
  try {
    return Number((await wh.query(`SELECT count(*) AS n FROM ${wh.dialect.qualify(project.config.source.schema, 'tracks')}`))[0].n);
  } finally {
    await wh.close();
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'dialects'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        size: { type: 'string', default: 'small' },
        repeat: { type: 'string', default: '3' },
        seed: { type: 'string', default: '42' },
        'memory-limit': { type: 'string', default: '1GB' },
        'delivery-limit': { type: 'string' },
        'new-events': { type: 'string', default: '100' },
        strategy: { type: 'string', default: 'fused' },
        'no-write': { type: 'boolean', default: false },
        render: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    return fail(`${(e as Error).message}\n${USAGE}`);
  }
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive whole number, got ${text}`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}
