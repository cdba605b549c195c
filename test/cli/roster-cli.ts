import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The package's bin (package.json), built from this checkout by the suite's globalSetup (test/support/build-once.ts). */
export const MAIN = path.join(ROOT, 'dist/src/cli/main.js');

export const EXAMPLE = path.join(ROOT, 'examples/b2b-saas');

/** Asserts that `s` holds no stack trace line. */
export const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

/** A fresh copy of the example project, without its warehouse, in a temp folder. */
export function exampleCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-cli-'));
  for (const part of ['roster.yml', 'definitions', 'compiled']) cpSync(path.join(EXAMPLE, part), path.join(dir, part), { recursive: true });
  return dir;
}

export interface CliResult { code: number; stdout: string; stderr: string }

/** Runs the roster CLI, as a user would run it (a child process, its exit code). */
export function roster(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** As `roster`, without blocking the test's event loop (for servers living in the test process). */
export function rosterAsync(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return startRoster(args, options).done;
}

/** A roster process to signal while it runs; `done` also tells the signal that ended it. */
export function startRoster(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}
