// `npm run demo` starts the example project over: the generated warehouse (data, results and
// state) and out/ (the messages a state would otherwise send again) are removed, so a demo after
// later runs (say at 2024-06-03) is not refused as a run before the last committed one.
import { existsSync, rmSync } from 'node:fs';

const removed = ['warehouse.duckdb', 'warehouse.duckdb.wal', 'out']
  .filter((name) => existsSync(new URL(name, import.meta.url)))
  .map((name) => (rmSync(new URL(name, import.meta.url), { recursive: true, force: true }), name));
if (removed.length) console.log(`starting over: removed ${removed.map((n) => `examples/b2b-saas/${n}`).join(', ')}`);
