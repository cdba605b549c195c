/** What one `npm run bench` of a size records (bench/results/<size>.json); RESULTS.md is rendered from it. */
export interface RunSample {
  readonly totalMs: number;
  readonly stages: Record<string, number>;
  readonly messages: number;
  readonly sent: number;
  readonly ok: boolean;
}

export interface DeliverySample { readonly ms: number; readonly sent: number; readonly ok: boolean }

export interface SizeResults {
  readonly size: string;
  readonly date: string;
  readonly commit: string;
  /** The compute strategy of the measured runs: fused when the checkout has the run plan. */
  readonly strategy: 'fused' | 'standalone';
  readonly data: { users: number; accounts: number; days: number; seed: number; events: number; generatedMs?: number };
  readonly settings: { repeat: number; memoryLimit: string; deliveryLimit: number; newEvents: number; asOf: string; changeAsOf: string };
  readonly machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; duckdb: string; platform: string; loadAverage: readonly number[] };
  readonly floorTables: readonly string[];
  readonly samples: {
    readonly floor: readonly { totalMs: number; tracksMs: number; perTable: Record<string, number> }[];
    readonly naive: readonly { ms: number; ok: boolean }[];
    readonly first: readonly RunSample[];
    readonly rerun: readonly RunSample[];
    readonly change: readonly RunSample[];
    readonly jsonl: readonly DeliverySample[];
    readonly http: readonly DeliverySample[];
    readonly compile200: readonly { loadMs: number; compileMs: number; planMs?: number; definitions: number }[];
    readonly compileProject: readonly { loadMs: number; compileMs: number; planMs?: number; definitions: number }[];
  };
  /** process maxRSS (bytes) after each measurement of the first repeat, then at the end. */
  readonly rss: readonly { after: string; bytes: number }[];
  readonly peakRssBytes: number;
}

export interface Stat { readonly median: number; readonly min: number; readonly max: number }

export function stat(values: readonly number[]): Stat {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(v.length / 2);
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1] };
}

/** Stages of a run's compute (the part the fused plan shares). */
export const COMPUTE_STAGES = ['features', 'traits', 'audiences'] as const;

export const computeMs = (r: RunSample) => COMPUTE_STAGES.reduce((a, s) => a + (r.stages[s] ?? 0), 0);
