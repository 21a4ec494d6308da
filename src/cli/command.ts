import type { ArgSpec, OptionSpecs, OptionValues } from './options.ts';

/**
 * Adding a command
 * ================
 * 1. One file, src/cli/commands/<name>.ts, whose default export is `defineCommand({...})`:
 *
 *      import { CliError, defineCommand } from '../command.ts';
 *      import { duration, positiveInt } from '../options.ts';
 *
 *      export default defineCommand({
 *        args: [{ name: 'workflow', help: 'only runs of this workflow', required: false }],
 *        options: {
 *          'older-than': { help: 'delete runs that finished this long ago', parse: duration },
 *          keep: { help: 'always keep this many newest runs', parse: positiveInt, default: 10 },
 *          status: { help: 'only runs with this status', choices: ['succeeded', 'failed', 'cancelled'] },
 *          dir: { help: 'the history directory', value: 'dir', defaultText: '$ORCHESTAI_HOME' },
 *          yes: { help: 'do not ask for confirmation', short: 'y' },
 *        },
 *        async run({ positionals, values, io }) {
 *          // positionals: string[]; values['older-than']: number | undefined (ms); values.keep: number;
 *          // values.status: 'succeeded' | 'failed' | 'cancelled' | undefined; values.dir: string | undefined;
 *          // values.yes, values.json, values.debug: boolean | undefined.
 *          if (values['older-than'] === undefined) throw new CliError('prune needs --older-than <duration>');
 *          io.out('...');
 *          return 0;
 *        },
 *      });
 *
 *    Arguments are required unless `required: false`; a name ending in `...` takes the rest
 *    (`runId...`). An option with `parse` takes a value checked by that parser (options.ts:
 *    positiveInt, nonNegativeInt, integer({ min, max }), port, duration, date); with `choices`,
 *    one of those words; with `value`, free text; with none of them it is a boolean flag. Bad
 *    values never reach `run`: the parser refuses them with one line naming the option and the
 *    value (`--keep must be a positive integer, got "x"`); a new kind of value is a new parser in
 *    options.ts. Do not declare `--json`, `--debug` or `--help`: every command has them. Avoid
 *    long names starting with `no-` (commander reads them as negations).
 *
 * 2. One line in the command table of main.ts (`COMMANDS`), with the summary `orchestai help` lists:
 *
 *      prune: { summary: 'Delete old runs.', load: () => import('./commands/prune.ts') },
 *
 *    Keep `load` an arrow function written in the table, exactly like that: the module is then
 *    imported only when its command runs (`train` pulls in tfjs), and tsc rewrites the `.ts` of an
 *    `import()` there, which it does not inside the arguments of another call (`lazy(() => import(...))`).
 *
 * `orchestai <name> --help` is generated from the summary, `args` and `options` (plus `help`, if
 * given); errors are thrown as `CliError` and printed as one line, `orchestai: <message>`.
 */

/** Where a command writes. Tests pass their own to capture output. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal: live progress and confirmations are shown only then. */
  readonly isTTY: boolean;
  /** Asks a yes/no question on a TTY; resolves false when there is no TTY. */
  confirm(question: string): Promise<boolean>;
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  /** Width to wrap help text to (the terminal's); 80 when absent. */
  readonly columns?: number;
}

/** One CLI sub-command; main.ts builds its commander declaration from `args` and `options` and calls `run`. */
export interface Command<O extends OptionSpecs = OptionSpecs> {
  /** Positional arguments, in order; none when absent. */
  args?: readonly ArgSpec[];
  /** Options by long name (`'from-history'` for `--from-history`); `run` gets their values under the same names. */
  options: O;
  /** More text for `orchestai <name> --help`, after the options (examples, environment variables). */
  help?: string;
  /** Resolves to the exit code. Throw `CliError` for a clean one-line failure. */
  run(args: { positionals: string[]; values: OptionValues<NoInfer<O>>; io: CliIO }): Promise<number>;
}

/** An error the CLI prints as one line (no stack unless --debug), exiting with `exitCode`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Declares a command (identity function that keeps the option types for `run`).
 *
 * @example
 * export default defineCommand({ options: { name: { help: 'who to greet', value: 'name' } },
 *   async run({ values, io }) { io.out(`hi ${values.name ?? 'there'}`); return 0; } });
 */
export function defineCommand<const O extends OptionSpecs>(command: Command<O>): Command<O> {
  return command;
}
