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

/** `--resume`: continues the run in this process, as `orchestai resume` would. */
export function continueHere(runId: string, workflow: string | undefined, io: CliIO): Promise<number> {
  return main(['resume', runId, ...(workflow ? ['--workflow', workflow] : [])], io);
}
