import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CliError, type CliIO, type Command } from './command.ts';

/**
 * Command modules by name, each loaded only when asked for: `train` pulls in tfjs and `ui` the
 * viewer, which a plain `orchestai run` should not pay for. A table of import functions (not a
 * computed path) so the compiled package resolves each one statically.
 */
const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  run: () => import('./commands/run.ts'),
  runs: () => import('./commands/runs.ts'),
  show: () => import('./commands/show.ts'),
  replay: () => import('./commands/replay.ts'),
  resume: () => import('./commands/resume.ts'),
  export: () => import('./commands/export.ts'),
  plan: () => import('./commands/plan.ts'),
  train: () => import('./commands/train.ts'),
  eval: () => import('./commands/eval.ts'),
  ui: () => import('./commands/ui.ts'),
};

async function loadCommand(name: string): Promise<Command | null> {
  return Object.hasOwn(COMMANDS, name) ? (await COMMANDS[name]()).default : null;
}

/** Errors whose message is already the whole story for a user (what is wrong, where, what to do): printed without their class name. */
const CLEAN_ERRORS = new Set(['CliError', 'WorkflowNotFoundError', 'ProjectConfigError', 'ModuleLoadError']);

function defaultIO(): CliIO {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
    async confirm(question) {
      if (!process.stdin.isTTY) return false;
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
    cwd: process.cwd(),
    env: process.env,
  };
}

/**
 * Runs the CLI with `argv` (without node and script); resolves to the exit code.
 * Errors print as one line; `--debug` adds the stack.
 *
 * @example
 * process.exitCode = await main(['runs', '--json']);
 */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const debug = argv.includes('--debug');
  const name = argv.find((a) => !a.startsWith('-'));
  try {
    if (!name && (argv.includes('--version') || argv.includes('-v'))) {
      io.out(packageVersion());
      return 0;
    }
    if (!name || name === 'help' || argv.includes('--help') && !name) return usage(io);
    const command = await loadCommand(name);
    if (!command) throw new CliError(`unknown command ${JSON.stringify(name)}; run \`orchestai help\``);
    const rest = argv.slice(argv.indexOf(name) + 1);
    if (rest.includes('--help')) {
      io.out(`orchestai ${command.usage}\n  ${command.summary}`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...command.options, json: { type: 'boolean' }, debug: { type: 'boolean' } }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new CliError(`${(e as Error).message.split('\n')[0]}; usage: orchestai ${command.usage}`);
    }
    return await command.run({ positionals: parsed.positionals, values: parsed.values, io });
  } catch (e) {
    const err = e as Error;
    // By name, not instanceof: a command module may be loaded through a second module instance (CJS and ESM loaders).
    const clean = CLEAN_ERRORS.has(err?.name);
    io.err(`orchestai: ${clean ? err.message : `${err.name === 'Error' ? '' : err.name + ': '}${err.message}`}`);
    if (debug && err.stack) io.err(err.stack);
    return err?.name === 'CliError' ? ((err as CliError).exitCode ?? 1) : 1;
  }
}

/**
 * This package's version, from the package.json above this file (src/cli/ from a checkout,
 * dist/src/cli/ once installed, so found by walking up rather than by a fixed depth).
 */
function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (pkg.name === 'orchestai') return String(pkg.version);
  }
  return 'unknown';
}

async function usage(io: CliIO): Promise<number> {
  io.out('orchestai: deterministic statecharts for AI workflows\n');
  for (const name of Object.keys(COMMANDS)) {
    const c = await loadCommand(name);
    if (c) io.out(`  orchestai ${c.usage}\n      ${c.summary}`);
  }
  io.out('\nEvery command takes --json for machine-readable output and --debug for stack traces.');
  return 0;
}
