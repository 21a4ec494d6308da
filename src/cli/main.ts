import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { Command as Program, CommanderError, Option } from 'commander';
import { CliError, type CliIO, type Command } from './command.ts';
import { COMMON_OPTIONS, optionFlags, optionHelp, parserOf, type OptionSpecs } from './options.ts';

/**
 * The commands, each with the summary `orchestai help` lists and its module, loaded only when the
 * command runs: `train` pulls in tfjs and `ui` the viewer, which a plain `orchestai run` should not
 * pay for. One line per command (see command.ts, "Adding a command"); keep `load` an arrow function
 * written here, so the compiled package resolves each import statically.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ default: Command<any> }> }> = {
  run: { summary: 'Run a workflow (built-in name, project workflow id, module path, or a plain-language instruction) and record its history.', load: () => import('./commands/run.ts') },
  runs: { summary: 'List recorded runs, newest first.', load: () => import('./commands/runs.ts') },
  show: { summary: "Show a run's timeline: steps, attempts, waits, durations, costs.", load: () => import('./commands/show.ts') },
  replay: { summary: 'Replay a recorded run against its workflow (no worker runs) and report any divergence; --until N shows the state as of event N.', load: () => import('./commands/replay.ts') },
  resume: { summary: 'Continue a run whose process died: replays its history, then runs the rest live (in-flight attempts run again).', load: () => import('./commands/resume.ts') },
  export: { summary: "Print a workflow's statechart: JSON machine config (Stately Studio / createMachine), Mermaid, or SVG.", load: () => import('./commands/export.ts') },
  plan: { summary: 'Plan an instruction into a DAG of catalog workers with the learned planner (offline); optionally export its statechart.', load: () => import('./commands/plan.ts') },
  train: { summary: 'Train (or fine-tune with --from) the learned planner on UltraTool-format or JSONL examples; early stopping on a dev split; fixed seed.', load: () => import('./commands/train.ts') },
  eval: { summary: "Score a planner model (or an ensemble from train --members) on a test split with the paper's metrics (NF, LF, Acc, NH-1, NH-2, LH-1, LH-2); --baseline knn adds the tf-idf kNN row.", load: () => import('./commands/eval.ts') },
  approve: { summary: 'Approve (or --reject) a step waiting for approval, from any process; a live run applies it within a second.', load: () => import('./commands/approve.ts') },
  cancel: { summary: 'Cancel a run from any process; a live run ends as cancelled within a second.', load: () => import('./commands/cancel.ts') },
  prune: { summary: 'Delete finished runs older than a duration (--dry-run lists them).', load: () => import('./commands/prune.ts') },
  delete: { summary: 'Delete runs and everything kept for them (never one a live process holds).', load: () => import('./commands/delete.ts') },
  repair: { summary: "Cut a torn last line off a run's history (a writer killed mid-write), keeping the original as <file>.bak.", load: () => import('./commands/repair.ts') },
  route: { summary: 'Learn which candidate worker runs each step: route train --from-history <dir> --out <policy.json> [--kind ppo|bandit]; route eval prints success, cost, latency and reward per policy.', load: () => import('./commands/route.ts') },
  ui: { summary: 'Serve the local viewer: live run list, statecharts with active states, timelines, replay scrubber.', load: () => import('./commands/ui.ts') },
  server: { summary: 'Serve the HTTP API (start, list, watch over SSE, approve, cancel runs; plan; OpenAPI; Prometheus metrics) and the viewer, behind role tokens.', load: () => import('./commands/server.ts') },
  token: { summary: 'Create, list or revoke the role tokens of `orchestai server` (viewer, operator, admin); stored hashed.', load: () => import('./commands/token.ts') },
  hub: { summary: 'Drive runs stored in PostgreSQL (submitted ones, and those of a hub that died), handing attempts to worker processes through Redis.', load: () => import('./commands/hub.ts') },
  worker: { summary: "Serve a project's workers to hubs through Redis (BullMQ): takes attempts from their queues, runs them here, returns the results.", load: () => import('./commands/worker.ts') },
};

/** The command names, for tests and completions. */
export const COMMAND_NAMES = Object.keys(COMMANDS);

/** Errors whose message is already the whole story for a user (what is wrong, where, what to do): printed without their class name. */
const CLEAN_ERRORS = new Set(['CliError', 'WorkflowNotFoundError', 'ProjectConfigError', 'ModuleLoadError', 'ControlError', 'RunOwnedError', 'HistoryParseError', 'DivergenceError', 'WorkflowFileError']);

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
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

/**
 * Runs the CLI with `argv` (without node and script); resolves to the exit code and never exits
 * the process. Errors print as one line `orchestai: <message>`; `--debug` adds the stack.
 *
 * @example
 * process.exitCode = await main(['runs', '--json']);
 */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const debug = argv.includes('--debug');
  const state: Dispatch = { code: 0 };
  try {
    const program = buildProgram(io, state);
    const args = normalise(argv);
    if (args.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(args, { from: 'user' });
    return state.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version have been printed (help after an incomplete command line, on stderr, exits 1).
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return e.exitCode;
      io.err(`orchestai: ${commanderMessage(e, state)}`);
      if (debug && e.stack) io.err(e.stack);
      return e.exitCode || 1;
    }
    const err = e as Error;
    // By name, not instanceof: a command module may be loaded through a second module instance (CJS and ESM loaders).
    const clean = CLEAN_ERRORS.has(err?.name);
    io.err(`orchestai: ${clean ? err.message : `${err.name === 'Error' ? '' : err.name + ': '}${err.message}`}`);
    if (debug && err.stack) io.err(err.stack);
    return err?.name === 'CliError' ? ((err as CliError).exitCode ?? 1) : 1;
  }
}

/**
 * The command line as commander should see it: `help <cmd>` becomes `<cmd> --help` (a command's
 * options are declared only once its module is loaded, which `help <cmd>` would skip), and
 * `--json`/`--debug` written before the command move after it.
 *
 * @example
 * normalise(['--json', 'runs', '--limit', '3']) // ['runs', '--limit', '3', '--json']
 */
function normalise(argv: string[]): string[] {
  const i = argv.findIndex((a) => !a.startsWith('-'));
  if (i < 0) return argv;
  const before = argv.slice(0, i);
  if (!before.every((a) => a === '--json' || a === '--debug')) return argv;
  if (argv[i] === 'help') {
    const name = argv[i + 1];
    if (name === undefined || name.startsWith('-')) return ['--help'];
    if (!Object.hasOwn(COMMANDS, name)) throw new CliError(`unknown command ${JSON.stringify(name)}; run \`orchestai help\``);
    return [name, '--help'];
  }
  return [...argv.slice(i), ...before];
}

/** What main learns while commander dispatches: the command being parsed, then its exit code. */
interface Dispatch {
  code: number;
  name?: string;
  command?: Command<any>;
  sub?: Program;
}

/**
 * The commander program: every command of the table with its summary; a command's arguments and
 * options are declared (from its module) only when commander dispatches to it.
 */
function buildProgram(io: CliIO, state: Dispatch): Program {
  const program = new Program('orchestai')
    .description('deterministic statecharts for AI workflows')
    .usage('<command> [options]')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      // Errors are printed by main, as one line.
      outputError: () => {},
    })
    .configureHelp({ helpWidth: io.columns && io.columns > 40 ? io.columns : 80, sortSubcommands: false })
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show the help of a command')
    .addHelpText('after', '\nEvery command takes --json for machine-readable output and --debug for stack traces.\nRun `orchestai <command> --help` for its arguments and options.');
  for (const [name, { summary }] of Object.entries(COMMANDS)) {
    program.command(name).summary(summary).description(summary);
  }
  program.hook('preSubcommand', async (_program, sub) => {
    const name = sub.name();
    state.name = name;
    const command = (await COMMANDS[name].load()).default;
    state.command = command;
    state.sub = sub;
    declare(sub, command);
    sub.action(async () => {
      state.code = await command.run({ positionals: sub.args, values: valuesOf(sub, command.options), io });
    });
  });
  return program;
}

/** Declares a command's arguments and options (with --json and --debug) on its commander sub-command. */
function declare(sub: Program, command: Command<any>): void {
  for (const arg of command.args ?? []) sub.argument(arg.required === false ? `[${arg.name}]` : `<${arg.name}>`, arg.help);
  sub.usage(`${(command.args ?? []).map((a) => (a.required === false ? `[${a.name}]` : `<${a.name}>`)).join(' ')}${command.args?.length ? ' ' : ''}[options]`);
  const all: OptionSpecs = { ...command.options, ...COMMON_OPTIONS };
  for (const [name, spec] of Object.entries(all)) {
    const option = new Option(optionFlags(name, spec), optionHelp(spec));
    const parse = parserOf(spec);
    // A parser throws CliError, which commander passes through untouched: the message is ours.
    if (parse) option.argParser((raw: string) => parse(raw, `--${name}`));
    sub.addOption(option);
  }
  if (command.help) sub.addHelpText('after', `\n${command.help}`);
}

/** The values by declared long name (commander keys them in camelCase), with defaults filled in. */
function valuesOf(sub: Program, options: OptionSpecs): Record<string, unknown> {
  const opts = sub.opts();
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries({ ...options, ...COMMON_OPTIONS })) {
    const value = opts[new Option(optionFlags(name, spec)).attributeName()];
    values[name] = value ?? (spec as { default?: unknown }).default;
  }
  return values;
}

/** Commander's parse errors, as one line that names the command and what to do. */
function commanderMessage(e: CommanderError, state: Dispatch): string {
  const text = e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  const name = state.name;
  const help = name ? `run \`orchestai ${name} --help\`` : 'run `orchestai help`';
  const args = state.command?.args ?? [];
  switch (e.code) {
    case 'commander.unknownCommand': {
      const unknown = /unknown command '([^']*)'/.exec(text)?.[1] ?? '';
      const suggestion = /\(Did you mean (\S+)\?\)/.exec(text)?.[1];
      return `unknown command ${JSON.stringify(unknown)}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; run \`orchestai help\``;
    }
    case 'commander.unknownOption': {
      const flag = /unknown option '([^']*)'/.exec(text)?.[1] ?? '';
      const suggestion = /\(Did you mean (\S+)\?\)/.exec(text)?.[1];
      return `unknown option '${flag}'${name ? ` for ${name}` : ''}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ${name ? `${help} for its options` : help}`;
    }
    case 'commander.optionMissingArgument': {
      const flags = /option '([^']*)'/.exec(text)?.[1] ?? '';
      const [flag, placeholder] = [flags.match(/--[\w-]+/)?.[0] ?? flags, flags.match(/<[^>]+>/)?.[0]];
      return `${flag} needs a value${placeholder ? ` ${placeholder}` : ''}; ${help}`;
    }
    case 'commander.missingArgument': {
      const missing = /argument '([^']*)'/.exec(text)?.[1];
      const arg = args.find((a) => a.name === missing);
      return `${name} needs <${missing}>${arg ? `: ${arg.help}` : ''}`;
    }
    case 'commander.excessArguments': {
      const got = state.sub?.args ?? [];
      const expected = args.length ? `${args.length === 1 ? 'one argument' : `${args.length} arguments`} (${args.map((a) => `<${a.name}>`).join(' ')})` : 'no arguments';
      return `${name} takes ${expected}, got ${got.length || (/got (\d+)/.exec(text)?.[1] ?? 'more')}${got.length ? `: ${got.map((a) => JSON.stringify(a)).join(' ')}` : ''}${args.length ? '; quote a value that has spaces' : ''}`;
    }
    default:
      return `${text}; ${help}`;
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
