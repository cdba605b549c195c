import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Vitest globalSetup: compiles the project once (`npm run build`'s tsc) before any test runs, so
 * the CLI tests start roster as its package does (`node dist/src/cli/main.js`) from this
 * checkout's source. Transpiling the source in every child process instead (tsx) cost about
 * 0.45 s per roster process, some hundreds of them per run of the suite.
 */
export default function buildOnce(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  // TypeScript's command line sits beside its main module (its exports do not list bin/tsc).
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript')), 'tsc.js');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    // tsc still writes every file when it finds type errors: the tests run on what it wrote (as
    // vitest runs the source, types unchecked), and `npm run build` (CI's first step) fails on them.
    const out = e as { stdout?: string; stderr?: string };
    const said = `${out.stdout ?? ''}${out.stderr ?? ''}`.trim() || String(e);
    if (!existsSync(path.join(root, 'dist/src/cli/main.js'))) throw new Error(`the build before the tests failed (npm run build):\n${said}`);
    console.warn(`npm run build reports problems; the CLI tests run what it wrote:\n${said}`);
  }
}
