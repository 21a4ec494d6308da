import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { CliError, type CliIO, type Command } from './command.ts';

/** Command modules by name; optional ones (planner, viewer) load only if present in this build. */
const COMMANDS = ['run', 'runs', 'show', 'replay', 'resume', 'export', 'plan', 'train', 'eval', 'ui'];

async function loadCommand(name: string): Promise<Command | null> {
  try {
    return (await import(`./commands/${name}.ts`)).default as Command;
  } catch (e: any) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(`commands/${name}.ts`)) return null;
    throw e;
  }
}

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
    if (!name || name === 'help' || argv.includes('--help') && !name) return usage(io);
    const command = COMMANDS.includes(name) ? await loadCommand(name) : null;
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
    const clean = err?.name === 'CliError';
    io.err(`orchestai: ${clean ? err.message : `${err.name === 'Error' ? '' : err.name + ': '}${err.message}`}`);
    if (debug && err.stack) io.err(err.stack);
    return clean ? ((err as CliError).exitCode ?? 1) : 1;
  }
}

async function usage(io: CliIO): Promise<number> {
  io.out('orchestai: deterministic statecharts for AI workflows\n');
  for (const name of COMMANDS) {
    const c = await loadCommand(name);
    if (c) io.out(`  orchestai ${c.usage}\n      ${c.summary}`);
  }
  io.out('\nEvery command takes --json for machine-readable output and --debug for stack traces.');
  return 0;
}
