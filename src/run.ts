import { randomBytes } from 'node:crypto';
import type { Workflow } from '../machines/index.ts';
import type { Json } from '../transformers/index.ts';
import { systemClock, type Clock } from './clock.ts';
import { compiledOf } from './compiled.ts';
import type { HistoryEvent } from '../machines/history/events.ts';
import { createJsonlStore } from './history/jsonl-store.ts';
import type { Durability, HistoryStore } from './history/store.ts';
import { LiveRun, type RunResult } from './runtime/live.ts';
import { createRedactor, processEnvAtFirstRun, type Redactor, type RedactorOptions } from './history/redact.ts';
import { secretsOfRunInput } from './history/input-secrets.ts';
import type { Router } from '../machines/routing.ts';

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
  /**
   * Secrets kept out of the history (see README, "Secrets in histories"): fields marked
   * `.meta({ secret: true })` in the workers' schemas, secret environment variables, credential
   * shapes. Add `input` (a schema of the run input), `secrets`, `patterns` or `env` here; `false`
   * records everything as it is.
   */
  redact?: Omit<RedactorOptions, 'workflow'> | false;
  /**
   * Aborting it interrupts the run: the history records why and the run can be resumed later
   * (what a process does on SIGTERM). `signal` instead cancels the run for good.
   */
  interruptSignal?: AbortSignal;
  /** Receives XState inspection events (`@xstate.actor`, `@xstate.event`, `@xstate.snapshot`). */
  inspect?: (event: any) => void;
  /** Receives every history event as it is recorded. */
  onEvent?: (event: HistoryEvent) => void;
  onApprovalRequested?: (step: string) => void;
  /** Recorded in `run.started` so the CLI can find the workflow again for replay and resume. */
  source?: string;
  instruction?: string;
  /**
   * Chooses which candidate worker runs each attempt of a step with `candidates` (its decision is
   * recorded as `route.decided`; replay and resume reuse it). Default: the first candidate. Its
   * `observe`, if any, is told each finished run's history.
   */
  router?: Router;
}

export interface RunHandle {
  runId: string;
  /** Settles when the run ends here: finished, or `interrupted` (see `interrupt`). Every failure, even to start, is a rejection. */
  result: Promise<RunResult>;
  approve(step: string, opts?: { by?: string; comment?: string }): void;
  reject(step: string, opts?: { by?: string; comment?: string }): void;
  /** Ends the run as `cancelled`. */
  cancel(reason?: string, opts?: { by?: string }): void;
  /**
   * Stops working on the run without ending it (on SIGTERM, say): the history records why, and
   * `resume` (or `orchestai resume`) continues it later, here or in another process.
   */
  interrupt(reason?: string): void;
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
  const runId = options.runId ?? newRunId();
  let live: LiveRun | undefined;
  let result: Promise<RunResult>;
  // Nothing here throws: a bad workflow, a taken run id or a full disk is a rejected result, so
  // a caller starting thousands of runs never loses track of one.
  try {
    const compiled = compiledOf(workflow);
    const store = options.store ?? createJsonlStore();
    const writer = store.create(runId, options.durability);
    live = new LiveRun(compiled, runId, writer, { clock: options.clock ?? systemClock, signal: options.signal, concurrency: options.concurrency, inspect: options.inspect, onEvent: options.onEvent, onApprovalRequested: options.onApprovalRequested, control: store.control, interruptSignal: options.interruptSignal, redactor: redactorFor(workflow, options.redact, input), router: options.router });
    result = live.start(input ?? null, { source: options.source, instruction: options.instruction });
  } catch (e) {
    result = Promise.reject(e);
  }
  const started = () => {
    if (!live) throw new Error(`run ${runId} did not start`);
    return live;
  };
  return {
    runId,
    result,
    approve: (step, o = {}) => started().approve(step, true, o.by, o.comment),
    reject: (step, o = {}) => started().approve(step, false, o.by, o.comment),
    cancel: (reason, o = {}) => started().cancel(reason, o.by),
    interrupt: (reason = 'interrupted') => started().interrupt(reason),
  };
}

/**
 * The redactor of a run of `workflow`, or none with `redact: false`.
 *
 * @example
 * redactorFor(workflow, { secrets: [myToken] })?.redactText(`token ${myToken}`) // 'token [redacted]'
 */
export function redactorFor(workflow: Workflow, option: RunOptions['redact'], input?: Json): Redactor | undefined {
  if (option === false) return undefined;
  const redactor = createRedactor({ env: processEnvAtFirstRun(), ...option, workflow });
  if (input === undefined || input === null) return redactor;
  // Secrets the run input hands to the first workers are known only once their inputs are computed.
  const fromInput = secretsOfRunInput(workflow, input, redactor);
  return fromInput.length === 0 ? redactor : createRedactor({ env: processEnvAtFirstRun(), ...option, workflow, secrets: [...(option?.secrets ?? []), ...fromInput] });
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
