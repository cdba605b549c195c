#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { compileCommand } from './commands/compile.js';
import { deliverCommand } from './commands/deliver.js';
import { demoCommand } from './commands/demo.js';
import { initCommand } from './commands/init.js';
import { previewCommand } from './commands/preview.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { loadConfig } from '../definitions/load-config.js';
import { DEMO_DEFAULTS, DEMO_END } from '../demo/generate.js';
import { exitCodeFor, reportError, UsageError } from './errors.js';
import { JsonSummary } from './report-streams.js';

// A reader that stops early (`roster run | head -1`) closes the pipe. What is left to print then has
// no reader, which is no failure of the run: without a listener Node would crash mid-run instead.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') return;
  reportError(e);
  process.exitCode = 2;
});

const program = new Command('roster')
  .description('Warehouse-native audiences and computed traits, compiled to SQL and sent as Segment calls')
  .version(packageVersion(), '--version', 'print roster\'s version')
  .option('--project <dir>', 'the project folder', projectFolder, '.')
  // The error line stays in view; the usage is one --help away (as git and npm do).
  .showHelpAfterError('(roster --help lists the commands)')
  .exitOverride();

const projectDir = () => path.resolve(program.opts().project as string);
// An empty folder (--project "$DIR" with DIR unset) must not become the current folder: a
// scheduled run would run whatever project it was started in.
function projectFolder(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('give a folder; leave --project out for the current folder');
  return value;
}
// Selectors apart (spaces, or --select again) are a union; joined by commas an intersection, as in dbt.
const collect = (value: string, previous: string[] = []) => {
  const selectors = value.split(/\s+/).filter(Boolean);
  // An empty selection (--select "$CHANGED" with nothing changed) must not become a full run.
  if (selectors.length === 0) throw new InvalidArgumentError('give at least one key or selector (key, +key, key+)');
  return [...previous, ...selectors];
};

program.command('init').argument('[dir]', 'folder of the new project (default: --project, or the current folder)').description('create a project with example definitions')
  .action(async (dir: string | undefined) => finish(await initCommand(initFolder(dir))));
program.command('demo').description('fill the warehouse with realistic synthetic Segment-layout data')
  .option('--users <n>', `how many users (default ${DEMO_DEFAULTS.users})`)
  .option('--accounts <n>', `how many accounts (default ${DEMO_DEFAULTS.accounts})`)
  .option('--days <n>', `days of events, ending ${DEMO_END.toISOString().slice(0, 10)} (default ${DEMO_DEFAULTS.days})`)
  .option('--seed <n>', `the same seed gives the same data (default ${DEMO_DEFAULTS.seed})`)
  .action(async (flags) => finish(await demoCommand(projectDir(), flags)));
program.command('validate').description('check every definition')
  .action(async () => finish(await validateCommand(projectDir())));
program.command('compile').description('write the SQL of each definition to compiled/<dialect>/<key>.sql')
  .option('--dialect <name>', 'duckdb | postgres | snowflake (default: the warehouse\'s)')
  .option('--select <keys...>', 'keys and graph operators (+key, key+; a,b for both)', collect)
  .option('--check', 'compare with the committed files instead; exit 1 on a difference')
  .action(async (flags) => finish(await compileCommand(projectDir(), flags)));
program.command('run').description('compute in dependency order, store results, diff, emit')
  .option('--select <keys...>', 'keys and graph operators (+key, key+; a,b for both)', collect)
  .option('--as-of <iso>', 'the run\'s instant (default now; UTC without an offset)')
  .option('--dry-run', 'compute and print; write and deliver nothing')
  .option('--quiet', 'no progress line on stderr (it is shown only on a terminal anyway)')
  .option('--json', 'print a machine-readable summary instead of the table')
  .action(async (flags) => finish(await runCommand(projectDir(), sayWhenStopped(flags))));
program.command('deliver').description('deliver what is pending in the outbox, nothing else')
  .option('--quiet', 'no progress line on stderr (it is shown only on a terminal anyway)')
  .option('--json', 'print a machine-readable summary instead of the text report')
  .action(async (flags) => finish(await deliverCommand(projectDir(), sayWhenStopped(flags))));
program.command('preview').argument('<key>', 'the definition').description('size and sample members of a definition')
  .option('--as-of <iso>', 'the instant to compute at (default now; UTC without an offset)')
  .option('--limit <n>', 'how many members or values to show (default 10)')
  .action(async (key: string, flags) => finish(await previewCommand(projectDir(), key, flags)));
// commander's own help command prints the whole usage, with no error, for a command it does not know.
program.helpCommand(false);
program.command('help').argument('[command]', 'the command').description('display help for command')
  .action((name?: string) => {
    if (name === undefined) program.help();
    const command = program.commands.find((c) => c.name() === name);
    if (!command) return program.error(`error: unknown command '${name}'`);
    command.help();
  });

/**
 * Ctrl-C, or a scheduler's SIGTERM, during run or deliver ends roster as the signal would (exit
 * 130 or 143), after one line saying that nothing is lost: a commit is whole or not made, and
 * what is pending waits for the next run or deliver (SPEC 4). Returns the command's flags.
 */
function sayWhenStopped<T>(flags: T): T {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      const line = `roster: stopped by ${signal}; what was committed stays committed, and the next run or roster deliver sends what is still pending`;
      process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}${line}\n`);
      process.kill(process.pid, signal);
    });
  }
  return flags;
}

/** The version in roster's package.json, found from this file whether run from src/ or dist/. */
function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** Whether the words ask run or deliver for a --json summary (read apart from commander, which refused them). */
function asksJsonSummary(words: readonly string[]): boolean {
  const names = new Set(program.commands.map((c) => c.name()));
  const at = words.findIndex((w, i) => names.has(w) && words[i - 1] !== '--project');
  return at >= 0 && (words[at] === 'run' || words[at] === 'deliver') && words.slice(at + 1).includes('--json');
}

/** init's folder: DIR, or --project. Both, naming two folders, would leave one unused without a word. */
function initFolder(dir: string | undefined): string {
  const project = program.opts().project as string;
  if (dir !== undefined && project !== '.' && path.resolve(dir) !== path.resolve(project)) {
    throw new UsageError(`init got two folders, ${JSON.stringify(dir)} and --project ${JSON.stringify(project)}: give one (roster init DIR)`);
  }
  return path.resolve(dir ?? project);
}

function finish(code: number): void {
  process.exitCode = code;
}

for (const command of program.commands) command.showHelpAfterError(`(roster ${command.name()} --help lists its options)`);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version exit 0; bad arguments are an invalid invocation: exit 1.
    process.exitCode = e.exitCode === 0 ? 0 : 1;
    // A scheduler reading run's or deliver's --json summary gets one for these too.
    if (e.exitCode !== 0 && asksJsonSummary(process.argv.slice(2))) {
      const summary = new JsonSummary(true);
      // Where the summary goes depends on the destinations (stderr when messages own stdout).
      summary.project = await loadConfig(projectDir()).then(({ config }) => config && { config }, () => undefined);
      summary.print({ ok: false, exit_code: 1, error: e.message.replace(/^error: /, '') });
    }
  } else {
    reportError(e);
    process.exitCode = exitCodeFor(e);
  }
}
