import { z } from 'zod';
import { defineWorker, type AnyWorker } from '../../machines/worker.ts';

/**
 * Stand-ins for the workers of a recorded run whose real workers live in a process we must not
 * start: an MCP server a history names. A history is data, so replaying it never spawns what it
 * names. Replay never calls a worker (it checks the recorded events against the statechart), so a
 * stand-in only has to carry the recorded name: schemas accept anything, and `run` throws.
 *
 * The definition hash (machines/workflow.ts `hashWorkflow`) covers each step's worker name, retry
 * policy and timeout, not its schemas. A stand-in has the default policy and no timeout, exactly
 * like the tool workers `--mcp`/`--mcp-url` build (no retry or timeout given), so a workflow
 * rebuilt over stand-ins hashes the same as the one that ran.
 */

/** Thrown by a stand-in's `run`: something tried to run a run that may only be replayed. */
export class ReplayOnlyWorkerError extends Error {
  override name = 'ReplayOnlyWorkerError';
  readonly retryable = false;
}

/**
 * A worker named `name` that replay can build a chart with and that fails if ever called.
 *
 * @example
 * const wf = workflowFromRecordedPlan(plan, plan.nodes.map((n) => replayOnlyWorker(n.worker)));
 * replay(events, wf); // no server started
 */
export function replayOnlyWorker(name: string): AnyWorker {
  return defineWorker({
    name,
    description: `replay-only stand-in for the MCP tool worker ${name}`,
    input: z.unknown(),
    output: z.unknown(),
    run: () => {
      throw new ReplayOnlyWorkerError(`replay-only worker ${JSON.stringify(name)} was called: resume the run with the MCP server it used (--mcp or --mcp-url)`);
    },
  });
}

/**
 * One stand-in per distinct worker name, in first-seen order.
 *
 * @example
 * replayOnlyWorkers(['read-text', 'count_words', 'read-text']).map((w) => w.name) // ['read-text', 'count_words']
 */
export function replayOnlyWorkers(names: Iterable<string>): AnyWorker[] {
  return [...new Set(names)].map(replayOnlyWorker);
}
