import type { ParseArgsConfig } from 'node:util';

/** Where a command writes. Tests pass their own to capture output. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal: live progress and confirmations are shown only then. */
  readonly isTTY: boolean;
  /** Asks a yes/no question on a TTY; resolves false when there is no TTY. */
  confirm(question: string): Promise<boolean>;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** One CLI sub-command; `main.ts` parses argv with `options` and calls `run`. */
export interface Command {
  name: string;
  summary: string;
  /** One usage line without the program name, e.g. `run <workflow> --input <json|@file>`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Resolves to the exit code. Throw `CliError` for a clean one-line failure. */
  run(args: { positionals: string[]; values: Record<string, any>; io: CliIO }): Promise<number>;
}

/** An error the CLI prints as one line (no stack unless --debug), exiting with `exitCode`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Declares a command (identity function that keeps the type).
 *
 * @example
 * export default defineCommand({ name: 'hello', summary: 'Greets.', usage: 'hello', options: {},
 *   async run({ io }) { io.out('hi'); return 0; } });
 */
export function defineCommand(command: Command): Command {
  return command;
}
