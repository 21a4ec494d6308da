import type { AnyWorker, CompiledWorkflow } from '../../machines/index.ts';
import type { Json, RunContext } from '../../transformers/index.ts';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { HistoryWriter } from '../history/store.ts';
import type { Clock } from '../clock.ts';
import { Engine, type AttemptRequest, type Draft, type EngineEnv, type RunOutcome } from '../engine/engine.ts';
import { runAttempt } from './attempt.ts';
import { Semaphore, workerSemaphore } from './semaphore.ts';

export interface LiveOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** At most this many attempts of this run at once. */
  concurrency?: number;
  inspect?: (event: any) => void;
  onEvent?: (event: HistoryEvent) => void;
  onApprovalRequested?: (step: string) => void;
}

export interface RunResult extends RunOutcome {
  runId: string;
  context: RunContext;
}

/**
 * The side-effecting half of the hub: executes the engine's commands for real
 * (workers, timers) and feeds their results back. A worker's result is written to
 * the history file (handed to the OS) before any command that follows it runs, so
 * a killed process loses no completed step.
 */
export class LiveRun {
  readonly engine: Engine;
  private readonly controllers = new Map<string, AbortController>();
  private readonly timers = new Map<string, unknown>();
  private readonly launches: AttemptRequest[] = [];
  private readonly workers: Map<string, AnyWorker>;
  private readonly runLimit: Semaphore | null;
  private settle!: (r: RunResult) => void;
  private fail!: (e: unknown) => void;
  readonly done: Promise<RunResult>;

  constructor(
    compiled: CompiledWorkflow,
    runId: string,
    private readonly writer: HistoryWriter,
    private readonly options: LiveOptions,
    engine?: Engine,
  ) {
    this.workers = new Map(compiled.workflow.steps.filter((s) => s.worker).map((s) => [s.id, s.worker!]));
    this.runLimit = options.concurrency && options.concurrency > 0 ? new Semaphore(options.concurrency) : null;
    this.done = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
    const env: EngineEnv = {
      now: () => options.clock.now(),
      record: (draft: Draft) => {
        const event = this.writer.append({ ...draft, t: options.clock.now() });
        options.onEvent?.(event);
        return event;
      },
      startAttempt: (r) => this.launches.push(r),
      abortAttempt: (step) => {
        const c = this.controllers.get(step);
        if (c) {
          this.controllers.delete(step);
          c.abort(new Error(`attempt of step ${JSON.stringify(step)} stopped by the hub`));
        }
      },
      setTimer: (id, ms) => this.timers.set(id, options.clock.setTimeout(() => this.deliver(() => this.engine.timerFired(id)), ms)),
      clearTimer: (id) => {
        const h = this.timers.get(id);
        if (h !== undefined) options.clock.clearTimeout(h);
        this.timers.delete(id);
      },
      // Deferred: an approval given from inside the callback must arrive as its own fact, after this macrostep.
      approvalRequested: (step) => queueMicrotask(() => options.onApprovalRequested?.(step)),
      inspect: options.inspect,
    };
    if (engine) {
      engine.env = env;
      this.engine = engine;
    } else this.engine = new Engine(compiled, runId, env);
    if (options.signal) {
      if (options.signal.aborted) queueMicrotask(() => this.deliver(() => this.engine.cancel(reasonOf(options.signal!))));
      else options.signal.addEventListener('abort', () => this.deliver(() => this.engine.cancel(reasonOf(options.signal!))), { once: true });
    }
  }

  start(input: Json, meta: { source?: string; instruction?: string }): Promise<RunResult> {
    this.deliver(() => this.engine.start(input, meta));
    return this.done;
  }

  /** Continues a replayed engine live: in-flight attempts run again, timers keep their remaining time. */
  resume(): Promise<RunResult> {
    this.deliver(() => {
      const { inFlight, timers } = this.engine.resumed();
      for (const [id, t] of timers) {
        const remaining = Math.max(0, t.fireAt - this.options.clock.now());
        this.timers.set(id, this.options.clock.setTimeout(() => this.deliver(() => this.engine.timerFired(id)), remaining));
      }
      this.launches.push(...inFlight);
    });
    return this.done;
  }

  approve(step: string, approved: boolean, by?: string, comment?: string): void {
    this.deliver(() => this.engine.approval(step, approved, by, comment));
  }

  /** Runs one engine call, then makes its records durable before starting what it asked for. */
  private deliver(call: () => void): void {
    try {
      call();
      this.writer.flush();
      const launches = this.launches.splice(0);
      for (const r of launches) this.launch(r);
      const outcome = this.engine.finished;
      if (outcome) {
        this.writer.close();
        for (const c of this.controllers.values()) c.abort(new Error('the run finished'));
        this.controllers.clear();
        this.settle({ runId: this.engine.runId, ...outcome, context: this.engine.context() });
      }
    } catch (e) {
      try {
        this.writer.close();
      } catch {
        /* the original error matters more */
      }
      this.fail(e);
    }
  }

  private launch(r: AttemptRequest): void {
    const worker = this.workers.get(r.step)!;
    const controller = new AbortController();
    this.controllers.set(r.step, controller);
    const go = async () => {
      const slots: Semaphore[] = [];
      try {
        if (this.runLimit) await this.runLimit.acquire(), slots.push(this.runLimit);
        if (worker.concurrency) {
          const s = workerSemaphore(worker, worker.concurrency);
          await s.acquire();
          slots.push(s);
        }
        if (controller.signal.aborted) return;
        const result = await runAttempt(worker, r.input, { runId: this.engine.runId, step: r.step, attempt: r.attempt, signal: controller.signal, clock: this.options.clock });
        if (!result.ok && result.aborted) return; // the engine already moved on (timeout, cancel, sibling failure)
        if (this.controllers.get(r.step) === controller) this.controllers.delete(r.step);
        this.deliver(() =>
          result.ok
            ? this.engine.stepSucceeded({ step: r.step, attempt: r.attempt, output: result.output, durationMs: result.durationMs, ...(result.cost ? { cost: result.cost } : {}), ...(r.group ? { group: r.group } : {}) })
            : this.engine.stepFailed({ step: r.step, attempt: r.attempt, error: result.error, durationMs: result.durationMs, ...(r.group ? { group: r.group } : {}) }),
        );
      } finally {
        for (const s of slots) s.release();
      }
    };
    // Fast path: without limits, start now rather than after an extra microtask hop.
    go().catch((e) => this.fail(e));
  }
}

function reasonOf(signal: AbortSignal): string {
  const r = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'cancelled';
}
