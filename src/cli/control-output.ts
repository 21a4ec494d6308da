import type { ControlOutcome } from '../operations/control.ts';
import type { CliIO } from './command.ts';
import { main } from './main.ts';

/** Who a decision is recorded as: `--by`, else the user running the command. */
export const whoIs = (by: string | undefined, io: CliIO): string => by ?? io.env.USER ?? io.env.USERNAME ?? 'cli';

/**
 * Says where a request went: applied by the live run, or queued for when the run resumes.
 *
 * @example
 * describeOutcome(io, runId, 'approved publish', outcome, false);
 */
export function describeOutcome(io: CliIO, runId: string, what: string, outcome: ControlOutcome, json: boolean): void {
  if (json) return io.out(JSON.stringify({ runId, ...outcome }));
  if (outcome.delivered === 'live') io.out(`${what}: applied by the live run (process ${outcome.owner?.pid} on ${outcome.owner?.host})`);
  else if (outcome.owner) io.out(`${what}: recorded; the run's process (${outcome.owner.pid} on ${outcome.owner.host}) has not applied it yet, and will`);
  else io.out(`${what}: recorded; no process holds run ${runId}, so it applies when the run resumes (\`orchestai resume ${runId}\`, or add --resume)`);
}

/** The options approve and cancel pass on to `orchestai resume` with `--resume`. */
export const RESUME_HERE_OPTIONS = {
  workflow: { help: 'with --resume: the workflow to continue the run with (as for `orchestai resume`)', value: 'name|module' },
  mcp: { help: 'with --resume, for a run planned over an MCP server: the server to continue it with (as for `orchestai resume`)', value: 'command' },
  'mcp-url': { help: 'with --resume: the URL of the MCP server to continue it with (as for `orchestai resume`)', value: 'url' },
} as const;

/**
 * `--resume`: continues the run in this process, as `orchestai resume` would. A run planned over an
 * MCP server resumes only over the server named here; without one, resume says which it used.
 */
export function continueHere(runId: string, values: { workflow?: string; mcp?: string; 'mcp-url'?: string }, io: CliIO): Promise<number> {
  const args = ['resume', runId, ...(values.workflow ? ['--workflow', values.workflow] : [])];
  if (values.mcp !== undefined) args.push(`--mcp=${values.mcp}`);
  if (values['mcp-url'] !== undefined) args.push(`--mcp-url=${values['mcp-url']}`);
  return main(args, io);
}
