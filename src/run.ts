import { randomBytes } from 'node:crypto';
import type { Workflow } from '../machines/index.ts';
import type { Json } from '../transformers/index.ts';
import { systemClock, type Clock } from './clock.ts';
import { compiledOf } from './compiled.ts';
import type { HistoryEvent } from '../machines/history/events.ts';
import { createJsonlStore } from './history/jsonl-store.ts';
import type { Durability, HistoryStore } from './history/store.ts';
import { LiveRun, type RunResult } from './runtime/live.ts';

export type { RunResult } from './runtime/live.ts';

export interface RunOptions {
  /** Where the history goes; default: the JSONL store under `$ORCHESTAI_HOME` or `.orchestai/`. */
  store?: HistoryStore;
  runId?: string;
  signal?: AbortSignal;
  /** The clock every timer uses; a `VirtualClock` makes tests instant. */
  clock?: Clock;
  /** At most this many worker attempts of this run at once. */
  concurrency?: number;
  durability?: Durability;
  /** Receives XState inspection events (`@xstate.actor`, `@xstate.event`, `@xstate.snapshot`). */
  inspect?: (event: any) => void;
  /** Receives every history event as it is recorded. */
  onEvent?: (event: HistoryEvent) => void;
  onApprovalRequested?: (step: string) => void;
  /** Recorded in `run.started` so the CLI can find the workflow again for replay and resume. */
  source?: string;
  instruction?: string;
}

export interface RunHandle {
  runId: string;
  result: Promise<RunResult>;
  approve(step: string, opts?: { by?: string; comment?: string }): void;
  reject(step: string, opts?: { by?: string; comment?: string }): void;
}

/**
 * A new run id: UTC time first, so ids sort by start time.
 *
 * @example
 * newRunId() // '20261121T231500123-3fa9c1'
 */
export function newRunId(): string {
  // Strictly increasing within a process, so runs started in the same millisecond still list in start order.
  lastIdTime = Math.max(Date.now(), lastIdTime + 1);
  const iso = new Date(lastIdTime).toISOString().replace(/[-:]/g, '').replace('.', '').replace('Z', '');
  return `${iso}-${randomBytes(3).toString('hex')}`;
}

let lastIdTime = 0;

/**
 * Starts a run and returns a handle (for approvals) with the result promise.
 *
 * @example
 * const handle = startRun(workflow, input);
 * handle.approve('publish', { by: 'ana' });
 * const result = await handle.result;
 */
export function startRun(workflow: Workflow, input: Json, options: RunOptions = {}): RunHandle {
  const compiled = compiledOf(workflow);
  const store = options.store ?? createJsonlStore();
  const runId = options.runId ?? newRunId();
  const writer = store.create(runId, options.durability);
  const live = new LiveRun(compiled, runId, writer, { clock: options.clock ?? systemClock, signal: options.signal, concurrency: options.concurrency, inspect: options.inspect, onEvent: options.onEvent, onApprovalRequested: options.onApprovalRequested });
  const result = live.start(input ?? null, { source: options.source, instruction: options.instruction });
  return {
    runId,
    result,
    approve: (step, o = {}) => live.approve(step, true, o.by, o.comment),
    reject: (step, o = {}) => live.approve(step, false, o.by, o.comment),
  };
}

/**
 * Runs a workflow to its end and returns `{ runId, status, output, context, cost, durationMs }`.
 *
 * @example
 * const { status, output } = await run(workflow, { topic: 'statecharts' });
 */
export function run(workflow: Workflow, input: Json, options: RunOptions = {}): Promise<RunResult> {
  return startRun(workflow, input, options).result;
}
