import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/command.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs the CLI in-process against a temporary store (in `cwd`, default the repository); returns exit code and captured output. */
export async function cli(args: string[], home?: string, cwd = ROOT) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { ...process.env, ORCHESTAI_HOME: home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-cli-')) };
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, confirm: async () => false, cwd, env };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n'), home: env.ORCHESTAI_HOME! };
}
