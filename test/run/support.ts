import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildGraph } from '../../src/definitions/graph.js';
import { ProjectConfig } from '../../src/definitions/project-config.js';
import type { Project } from '../../src/definitions/project.js';
import type { OpenOptions } from '../../src/destinations/index.js';
import type { SegmentMessage } from '../../src/emit/index.js';
import { deliverOutbox, type DeliverOptions, type DeliveryReport } from '../../src/run/deliver-outbox.js';
import { runProject, type RunReport } from '../../src/run/run-project.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import type { Engine, Fixture, Layout } from '../support/fixture.js';
import { definitions, fixtureWarehouse, type DefinitionInput, type FixtureWarehouse } from '../support/harness.js';

/** A roster.yml destination as written by a user (defaults filled by the schema). */
export type DestinationInput = Record<string, unknown> & { name: string; type: 'jsonl' | 'http' | 'stdout' };

export interface RunResult {
  report: RunReport;
  delivery?: DeliveryReport;
  /** Messages that arrived in each jsonl destination during this run, summarised (see `brief`). */
  arrived: Record<string, string[]>;
}

/** A Segment message as one readable line: the fields the tests work out by hand. */
export function brief(m: SegmentMessage): string {
  if (m.type === 'group') return `group ${m.groupId} ${m.userId ?? m.anonymousId} ${JSON.stringify(m.traits)}`;
  if (m.type === 'identify') return `identify ${m.userId} ${JSON.stringify(m.traits)}`;
  return `track ${m.userId} ${m.event} ${JSON.stringify(m.properties)}`;
}

export function readJsonl(file: string): SegmentMessage[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SegmentMessage);
}

/**
 * A project folder in a tmp dir with jsonl destinations, over a fixture loaded into an
 * in-process DuckDB: runs the project (run + deliver, as `roster run` does) and reports what
 * arrived at each destination.
 */
export class Scenario {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'roster-state-'));
  readonly wh: Warehouse;
  /** The source schema and the state schema of this scenario (main / roster on DuckDB). */
  readonly schema: string;
  readonly state: string;
  private constructor(private readonly fx: FixtureWarehouse, public destinations: DestinationInput[], readonly layout: Layout) {
    this.wh = fx.wh;
    this.schema = fx.schema;
    this.state = fx.state;
  }

  static async create(
    fixture: Fixture, destinations: DestinationInput[] = [{ name: 'crm', type: 'jsonl', path: 'out/crm.jsonl' }], engine: Engine = 'duckdb', layout: Layout = 'segment',
  ): Promise<Scenario> {
    return new Scenario(await fixtureWarehouse(fixture, layout, engine), destinations, layout);
  }

  project(inputs: readonly DefinitionInput[]): Project {
    return {
      dir: this.dir,
      config: ProjectConfig.parse({ name: 'test', source: { schema: this.schema, layout: this.layout }, state: { schema: this.state }, destinations: this.destinations }),
      definitions: definitions(inputs),
    };
  }

  file(destination: string): string {
    const d = this.destinations.find((x) => x.name === destination)!;
    return path.join(this.dir, String(d.path));
  }

  messages(destination: string): SegmentMessage[] {
    return readJsonl(this.file(destination));
  }

  /** `deliver: false`: commit only, as when a run's delivery has not happened yet (a crash, a destination down). */
  async run(
    inputs: readonly DefinitionInput[], asOf: string,
    options: { select?: string[]; dryRun?: boolean; deliver?: boolean; open?: OpenOptions; batchSize?: number; onWarning?: (message: string) => void } = {},
  ): Promise<RunResult> {
    const before = Object.fromEntries(this.jsonl().map((d) => [d, this.messages(d).length]));
    const p = this.project(inputs);
    const report = await runProject(p, buildGraph(p.definitions), this.wh, { asOf: new Date(asOf), select: options.select, dryRun: options.dryRun, onWarning: options.onWarning });
    const delivery = options.dryRun || options.deliver === false ? undefined : await deliverOutbox(p, this.wh, { open: options.open, batchSize: options.batchSize });
    const arrived = Object.fromEntries(this.jsonl().map((d) => [d, this.messages(d).slice(before[d]).map(brief)]));
    return { report, delivery, arrived };
  }

  async deliver(inputs: readonly DefinitionInput[], options: DeliverOptions = {}): Promise<DeliveryReport> {
    return deliverOutbox(this.project(inputs), this.wh, options);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return this.wh.query(sql);
  }

  async tables(): Promise<string[]> {
    return [...(await this.wh.catalog(this.state)).keys()].sort();
  }

  close(): Promise<void> {
    return this.fx.dispose();
  }

  private jsonl(): string[] {
    return this.destinations.filter((d) => d.type === 'jsonl').map((d) => d.name);
  }
}

/** identify + track lines of a trait change for one user, in emission order is up to the caller. */
export const traitTrack = (user: string, key: string, values: Record<string, unknown>) =>
  `track ${user} Trait Computed ${JSON.stringify({ trait_key: key, ...values })}`;
export const audienceTrack = (user: string, key: string, entered: boolean) =>
  `track ${user} Audience ${entered ? 'Entered' : 'Exited'} ${JSON.stringify({ audience_key: key, [key]: entered })}`;
