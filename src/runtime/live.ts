import type { AnyWorker, CompiledWorkflow } from '../../machines/index.ts';
import type { Json, RunContext } from '../../transformers/index.ts';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { HistoryWriter } from '../history/store.ts';
import type { ControlChannel, ControlRequest } from '../history/control.ts';
import { ControlHub } from './control-hub.ts';
import type { Redactor } from '../history/redact.ts';
import { REDACTED } from '../../transformers/secrets.ts';
import type { Clock } from '../clock.ts';
import { Engine, type AttemptRequest, type Draft, type EngineEnv, type RunOutcome } from '../engine/engine.ts';
import { runAttempt, type AttemptExecutor } from './attempt.ts';
import { Semaphore, workerSemaphore } from './semaphore.ts';
import type { Router } from '../../machines/routing.ts';
import { askRouter, DEFAULT_ROUTER } from '../engine/routing.ts';
import { RouteError, toErrorInfo } from '../engine/errors.ts';

export interface LiveOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** At most this many attempts of this run at once. */
  concurrency?: number;
  inspect?: (event: any) => void;
  onEvent?: (event: HistoryEvent) => void;
  onApprovalRequested?: (step: string) => void;
  /** Requests from other processes (approve, cancel) for this run. */
  control?: ControlChannel;
  /** Aborting it interrupts the run (resumable), where `signal` cancels it. */
  interruptSignal?: AbortSignal;
  /** Replaces secrets in each event before it is written. */
  redactor?: Redactor;
  /** The run continues a history (resume): its recorded data may hold redacted values. */
  resumed?: boolean;
  /** Chooses the worker of each attempt of a step with candidates; default: the first candidate. */
  router?: Router;
  /** Carries out attempts; default: in this process (`runAttempt`). A queue hands them to worker processes. */
  execute?: AttemptExecutor;
  /** The run's priority, passed to the executor (lower first). */
  priority?: number;
}

/**
 * How a run ended in this process: its outcome, or `interrupted` when the process gave it up
 * (`interrupt()`, a signal): then `orchestai resume` continues it.
 */
export interface RunResult extends Omit<RunOutcome, 'status'> {
  runId: string;
  status: RunOutcome['status'] | 'interrupted';
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
  private readonly workers: ReadonlyMap<string, AnyWorker>;
  /** Routed steps only: their candidates by name (the engine's decision names one). */
  private readonly candidates: ReadonlyMap<string, ReadonlyMap<string, AnyWorker>>;
  /** The run's events as written, kept only for a router that observes finished runs. */
  private observed: HistoryEvent[] | undefined;
  private readonly runLimit: Semaphore | null;
  private settle!: (r: RunResult) => void;
  private fail!: (e: unknown) => void;
  readonly done: Promise<RunResult>;
  /** Control requests already applied (their ids are in the history), so each applies once. */
  private readonly applied = new Set<string>();
  private unregister: (() => void) | undefined;
  private stopped = false;
  /** An engine call is running (its callbacks may ask for more). */
  private delivering = false;

  constructor(
    compiled: CompiledWorkflow,
    runId: string,
    private readonly writer: HistoryWriter,
    private readonly options: LiveOptions,
    engine?: Engine,
  ) {
    ({ workers: this.workers, candidates: this.candidates } = workerTables(compiled.workflow));
    const router = options.router ?? DEFAULT_ROUTER;
    if (options.router?.observe) this.observed = [];
    this.runLimit = options.concurrency && options.concurrency > 0 ? new Semaphore(options.concurrency) : null;
    this.done = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
    const env: EngineEnv = {
      now: () => options.clock.now(),
      record: (draft: Draft) => {
        const drafted = { ...draft, t: options.clock.now() };
        const event = this.writer.append(options.redactor ? options.redactor.redactEvent(drafted) : drafted);
        this.observed?.push(event);
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
      approvalRequested: (step) =>
        queueMicrotask(() => {
          this.applyRequests(); // a decision sent before the step began to wait applies now
          options.onApprovalRequested?.(step);
        }),
      inspect: options.inspect,
      route: (request) => askRouter(router, request),
    };
    if (engine) {
      engine.env = env;
      this.engine = engine;
    } else this.engine = new Engine(compiled, runId, env);
    options.interruptSignal?.addEventListener('abort', () => this.interrupt(reasonOf(options.interruptSignal!)), { once: true });
    if (options.signal) {
      if (options.signal.aborted) queueMicrotask(() => this.deliver(() => this.engine.cancel(reasonOf(options.signal!))));
      else options.signal.addEventListener('abort', () => this.deliver(() => this.engine.cancel(reasonOf(options.signal!))), { once: true });
    }
  }

  start(input: Json, meta: { source?: string; instruction?: string }): Promise<RunResult> {
    this.deliver(() => this.engine.start(input, meta));
    this.listen();
    this.interruptIfAsked();
    return this.done;
  }

  /** An interrupt asked before the run began (a hub stopping while it replayed) applies now. */
  private interruptIfAsked(): void {
    const signal = this.options.interruptSignal;
    if (signal?.aborted) this.interrupt(reasonOf(signal));
  }

  /**
   * Continues a replayed engine live: in-flight attempts run again, timers keep their remaining
   * time, then requests sent while no process held the run apply (`history`: to know which
   * requests were applied already).
   */
  resume(history: readonly HistoryEvent[] = []): Promise<RunResult> {
    for (const e of history) if ((e.type === 'approval.received' || e.type === 'run.cancelled') && e.requestId) this.applied.add(e.requestId);
    if (this.observed) this.observed = history.concat(this.observed); // no spread: a history may be long
    this.deliver(() => {
      const { inFlight, timers } = this.engine.resumed();
      for (const [id, t] of timers) {
        const remaining = Math.max(0, t.fireAt - this.options.clock.now());
        this.timers.set(id, this.options.clock.setTimeout(() => this.deliver(() => this.engine.timerFired(id)), remaining));
      }
      this.launches.push(...inFlight);
    });
    this.listen();
    this.applyRequests();
    this.interruptIfAsked();
    return this.done;
  }

  approve(step: string, approved: boolean, by?: string, comment?: string): void {
    this.deliver(() => this.engine.approval(step, approved, by, comment));
  }

  cancel(reason?: string, by?: string): void {
    this.deliver(() => this.engine.cancel(reason, by));
  }

  /**
   * Gives the run up without ending it (SIGTERM, a deploy): records why, abandons in-flight
   * attempts (they run again on resume), stops timers, and releases the run for another process.
   */
  interrupt(reason: string): void {
    if (this.stopped || this.engine.finished) return;
    if (this.delivering) return void queueMicrotask(() => this.interrupt(reason)); // asked from inside a callback: after this call
    this.deliver(() => this.engine.interrupted(reason));
    this.stop();
    this.settle({ runId: this.engine.runId, status: 'interrupted', ...this.engine.totals(), context: this.engine.context() });
  }

  /** Follows control requests sent to this run from other processes. */
  private listen(): void {
    if (!this.options.control || this.stopped || this.engine.finished) return;
    const unregister = ControlHub.of(this.options.control).register(this.engine.runId, () => this.applyRequests());
    this.unregister = unregister;
    if (this.stopped) unregister(); // a request applied during registration may have ended the run
  }

  /** Applies the requests not applied yet; an approval for a step not waiting stays pending. */
  private applyRequests(): void {
    if (!this.options.control || this.stopped || this.engine.finished) return;
    for (const r of this.options.control.requests(this.engine.runId)) {
      if (this.applied.has(r.id) || this.engine.finished) continue;
      if (r.type === 'approve' && !this.engine.awaitsApproval(r.step)) continue;
      this.applied.add(r.id);
      this.deliver(() => applyRequest(this.engine, r));
    }
  }

  /** Stops everything this process does for the run and gives the run up. */
  private stop(): void {
    this.stopped = true;
    this.unregister?.();
    for (const h of this.timers.values()) this.options.clock.clearTimeout(h);
    this.timers.clear();
    for (const c of this.controllers.values()) c.abort(new Error('the run was interrupted'));
    this.controllers.clear();
    this.writer.close();
  }

  /**
   * Runs one engine call, then makes its records durable before starting what it asked for. A
   * database writer's flush is a promise (group commit): what the call asked for starts when it
   * resolves, and calls made meanwhile queue their own flush behind it, so order is kept.
   */
  private deliver(call: () => void): void {
    if (this.stopped) return; // interrupted or finished: this process no longer writes the run
    // A request made from inside the engine's own callbacks (onEvent, say) is a new fact: it waits
    // until the current call has recorded all of its events, or the history would interleave them.
    if (this.delivering) return void queueMicrotask(() => this.deliver(call));
    try {
      this.delivering = true;
      call();
      this.delivering = false;
      const flushed = this.writer.flush();
      const launches = this.launches.splice(0);
      const outcome = this.engine.finished;
      if (outcome) this.stopped = true; // nothing after the end is written, even while it commits
      if (flushed) return void flushed.then(() => this.afterFlush(launches, outcome), (e) => this.abandon(e));
      this.afterFlush(launches, outcome);
    } catch (e) {
      this.delivering = false;
      this.abandon(e);
    }
  }

  /** Starts what a durable call asked for; ends the run here when the call finished it. */
  private afterFlush(launches: AttemptRequest[], outcome: RunOutcome | undefined): void {
    if (!outcome && this.stopped) return; // interrupted while the call committed
    for (const r of launches) this.launch(r);
    if (!outcome) return;
    this.unregister?.();
    for (const c of this.controllers.values()) c.abort(new Error('the run finished'));
    this.controllers.clear();
    const closed = this.writer.close();
    const settle = () => {
      this.observe();
      this.settle({ runId: this.engine.runId, ...outcome, context: this.engine.context() });
    };
    if (closed) closed.then(settle, (e) => this.fail(e));
    else settle();
  }

  /** A write failed (a full disk, a lost lease): this process stops working on the run. */
  private abandon(e: unknown): void {
    this.stopped = true;
    this.unregister?.();
    for (const c of this.controllers.values()) c.abort(new Error('the run was abandoned'));
    this.controllers.clear();
    for (const h of this.timers.values()) this.options.clock.clearTimeout(h);
    this.timers.clear();
    try {
      this.writer.close()?.catch(() => {});
    } catch {
      /* the original error matters more */
    }
    this.fail(e);
  }

  /** Tells an observing router the finished run's history; its errors never fail the run. */
  private observe(): void {
    const router = this.options.router;
    if (!router?.observe || !this.observed) return;
    try {
      router.observe(this.observed);
    } catch (e) {
      if (!reportedObservers.has(router)) {
        reportedObservers.add(router);
        process.stderr.write(`orchestai: router ${router.id}@${router.version} failed to observe run ${this.engine.runId} (reported once per router): ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }

  /** The worker an attempt runs: a routed step's chosen candidate, or the step's worker. */
  private workerOf(r: AttemptRequest): AnyWorker | undefined {
    if (this.candidates.size === 0) return this.workers.get(r.step);
    const candidates = this.candidates.get(r.step);
    return candidates ? candidates.get(r.worker) : this.workers.get(r.step);
  }

  private launch(r: AttemptRequest): void {
    const worker = this.workerOf(r);
    if (!worker) {
      // A resumed in-flight attempt names a worker the step no longer has among its candidates.
      const error = toErrorInfo(new RouteError(r.step, r.attempt, `worker ${JSON.stringify(r.worker)} is not a candidate of the step (${[...(this.candidates.get(r.step)?.keys() ?? [])].join(', ')})`));
      return queueMicrotask(() => this.deliver(() => this.engine.stepFailed({ step: r.step, attempt: r.attempt, error, durationMs: 0, ...(r.group ? { group: r.group } : {}) })));
    }
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
        if (this.options.resumed && holdsRedacted(r.input)) return this.deliver(() => this.engine.stepFailed(redactedInputFailure(r)));
        const execute = this.options.execute ?? runAttempt;
        const result = await execute(worker, r.input, { runId: this.engine.runId, step: r.step, attempt: r.attempt, signal: controller.signal, clock: this.options.clock, priority: this.options.priority });
        if (!result.ok && result.aborted) return; // the engine already moved on (timeout, cancel, sibling failure)
        if (this.controllers.get(r.step) === controller) this.controllers.delete(r.step);
        this.deliver(() =>
          result.ok
            ? this.engine.stepSucceeded({ step: r.step, attempt: r.attempt, output: result.output, durationMs: result.durationMs, ...(result.cost ? { cost: result.cost } : {}), ...(result.cached ? { cached: true } : {}), ...(r.group ? { group: r.group } : {}) })
            : this.engine.stepFailed({ step: r.step, attempt: r.attempt, error: result.error, durationMs: result.durationMs, ...(result.cost ? { cost: result.cost } : {}), ...(r.group ? { group: r.group } : {}) }),
        );
      } finally {
        for (const s of slots) s.release();
      }
    };
    // Fast path: without limits, start now rather than after an extra microtask hop.
    go().catch((e) => this.fail(e));
  }
}

/** Whether a JSON value holds the redaction marker anywhere (a secret that the history did not keep). */
function holdsRedacted(v: unknown): boolean {
  if (v === REDACTED) return true;
  if (typeof v === 'string') return v.includes(REDACTED);
  if (v === null || typeof v !== 'object') return false;
  return Object.values(v).some(holdsRedacted);
}

/**
 * After a resume, a step's input built from recorded data holds "[redacted]" where a secret was:
 * running the worker with it would send the marker as if it were the secret. The attempt fails
 * instead, saying why (a secret that must survive a resume belongs in the environment or the
 * worker's configuration, not in data passed between steps).
 */
function redactedInputFailure(r: AttemptRequest) {
  const error = { name: 'RedactedInputError', message: `step ${JSON.stringify(r.step)}: its input holds a value the history redacted (a secret), which a resumed run cannot restore; pass secrets to workers through the environment or their configuration, not through step data`, retryable: false };
  return { step: r.step, attempt: r.attempt, error, durationMs: 0, ...(r.group ? { group: r.group } : {}) };
}

function applyRequest(engine: Engine, r: ControlRequest): void {
  if (r.type === 'approve') engine.approval(r.step, r.approved, r.by, r.comment, r.id);
  else engine.cancel(r.reason, r.by, r.id);
}

/** Routers whose failure to observe was already reported (once each, not once per run). */
const reportedObservers = new WeakSet<Router>();

function reasonOf(signal: AbortSignal): string {
  const r = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'cancelled';
}

interface WorkerTables {
  workers: ReadonlyMap<string, AnyWorker>;
  candidates: ReadonlyMap<string, ReadonlyMap<string, AnyWorker>>;
}

const tables = new WeakMap<CompiledWorkflow['workflow'], WorkerTables>();

/** Each step's worker, and each routed step's candidates by name: once per definition, not per run. */
function workerTables(workflow: CompiledWorkflow['workflow']): WorkerTables {
  let t = tables.get(workflow);
  if (!t) {
    const workers = new Map(workflow.steps.filter((s) => s.worker).map((s) => [s.id, s.worker!]));
    const candidates = new Map(workflow.steps.filter((s) => s.candidates).map((s) => [s.id, new Map(s.candidates!.map((w) => [w.name, w]))]));
    tables.set(workflow, (t = { workers, candidates }));
  }
  return t;
}
