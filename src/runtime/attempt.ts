import type { AnyWorker, WorkerContext } from '../../machines/index.ts';
import { callCost } from '../../machines/routing.ts';
import { assertJson } from '../../transformers/json.ts';
import type { Json } from '../../transformers/index.ts';
import type { ErrorInfo } from '../../machines/history/events.ts';
import type { Clock } from '../clock.ts';
import { InputValidationError, OutputValidationError, toErrorInfo } from '../engine/errors.ts';

export type AttemptResult =
  /** `cached`: the output came from the results cache (no call was made). */
  | { ok: true; output: Json; durationMs: number; cost?: number; cached?: boolean }
  | { ok: false; error: ErrorInfo; durationMs: number; aborted: boolean; cost?: number };

/** What an attempt is given besides the worker and its input. */
export interface AttemptOptions {
  runId: string;
  step: string;
  attempt: number;
  signal: AbortSignal;
  clock: Clock;
  /** Lower runs first when attempts queue (a run's priority; BullMQ's convention). */
  priority?: number;
}

/**
 * Carries out attempts: `runAttempt` in this process (the default), or a queue that hands them to
 * worker processes (`orchestai worker`). Whatever carries them, the result comes back to the hub.
 */
export type AttemptExecutor = (worker: AnyWorker, input: Json, opts: AttemptOptions) => Promise<AttemptResult>;

/**
 * Runs one attempt of a worker: checks its input against the worker's schema, runs it
 * with an abort signal, and checks its output against the schema and for JSON. The
 * worker gets its input and this narrow context only: no other worker, no run context.
 *
 * @example
 * const r = await runAttempt(worker, { x: 1 }, { runId, step: 'a', attempt: 1, signal, clock });
 */
export async function runAttempt(
  worker: AnyWorker,
  input: Json,
  opts: AttemptOptions,
): Promise<AttemptResult> {
  const started = opts.clock.now();
  let cost = 0;
  let reported = false;
  let inputTokens = 0;
  let outputTokens = 0;
  const elapsed = () => Math.max(0, opts.clock.now() - started);
  const parsedInput = worker.input.safeParse(input);
  if (!parsedInput.success) {
    const issue = parsedInput.error.issues[0];
    const field = issue.path.join('.');
    const error = new InputValidationError(worker.name, opts.step, field, valueAt(input, issue.path), issue.message);
    return { ok: false, error: toErrorInfo(error), durationMs: 0, aborted: false };
  }
  const ctx: WorkerContext = {
    runId: opts.runId,
    step: opts.step,
    attempt: opts.attempt,
    signal: opts.signal,
    sleep: (ms) => sleep(opts.clock, ms, opts.signal),
    reportCost: (amount) => {
      if (!Number.isFinite(amount)) return;
      cost += amount;
      reported = true;
    },
    reportUsage: (u) => {
      if (Number.isFinite(u?.inputTokens)) inputTokens += u.inputTokens!;
      if (Number.isFinite(u?.outputTokens)) outputTokens += u.outputTokens!;
    },
  };
  try {
    const raw = await worker.run(parsedInput.data, ctx);
    if (opts.signal.aborted) return { ok: false, error: abortInfo(opts.signal), durationMs: elapsed(), aborted: true };
    const parsed = worker.output.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new OutputValidationError(worker.name, issue.path.join('.'), valueAt(raw, issue.path), issue.message);
    }
    assertJson(parsed.data, `output of worker ${JSON.stringify(worker.name)}`);
    // What the attempt cost: what the worker reported, else what its declared price says.
    const c = reported || !worker.price ? cost : callCost(worker.price, inputTokens, outputTokens);
    return { ok: true, output: parsed.data as Json, durationMs: elapsed(), ...(c ? { cost: c } : {}) };
  } catch (e) {
    if (opts.signal.aborted) return { ok: false, error: abortInfo(opts.signal), durationMs: elapsed(), aborted: true };
    const c = reported || !worker.price ? cost : callCost(worker.price, inputTokens, outputTokens);
    return { ok: false, error: toErrorInfo(e), durationMs: elapsed(), aborted: false, ...(c ? { cost: c } : {}) };
  }
}

function abortInfo(signal: AbortSignal): ErrorInfo {
  return { name: 'AbortError', message: String((signal.reason as Error)?.message ?? signal.reason ?? 'aborted'), retryable: false };
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v: any = value;
  for (const k of path) v = v?.[k as any];
  return v;
}

/**
 * A sleep on the hub's clock that rejects when the attempt is aborted.
 *
 * @example
 * await sleep(clock, 1000, ctx.signal);
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal!.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
