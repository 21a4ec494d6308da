import { createActor, type AnyActorRef, type AnyMachineSnapshot } from 'xstate';
import type { CompiledWorkflow, MachineContext } from '../../machines/compile.ts';
import type { NormalStep } from '../../machines/definition.ts';
import { hashString } from '../../machines/retry.ts';
import { applyInput, applyOutput } from '../../transformers/apply.ts';
import { deepFreeze } from '../../transformers/json.ts';
import { fromInput, fromLast, mergeDeps, type Json, type JsonObject, type RunContext } from '../../transformers/index.ts';
import type { ErrorInfo, EventOf, HistoryEvent } from '../../machines/history/events.ts';
import { activePaths, samePaths } from './active.ts';
import { RouteError, toErrorInfo } from './errors.ts';
import { GroupRuns } from './groups.ts';
import type { RouteRequest } from '../../machines/routing.ts';
import { askRouter, decisionProblem, DEFAULT_ROUTER, routeCandidates, type RecordedDecision } from './routing.ts';

/**
 * The deterministic side of the hub (Temporal's "workflow" half): it owns the
 * machine snapshot and the run context, turns facts (worker results, timer
 * firings, approvals) into machine events, and turns the machine's command
 * actions into effects for its environment. It never awaits, never reads a real
 * clock and never calls a worker, so feeding it the same facts always yields the
 * same history. Live runs and replay differ only in their `EngineEnv`.
 */

/** An event before the store numbers it. */
export type Draft<E = HistoryEvent> = E extends HistoryEvent ? Omit<E, 'seq' | 't'> : never;

export interface AttemptRequest {
  step: string;
  worker: string;
  attempt: number;
  input: Json;
  group?: string;
}

export interface EngineEnv {
  now(): number;
  /** Appends (live) or checks (replay) an event; returns the event as stored. */
  record(event: Draft): HistoryEvent;
  startAttempt(request: AttemptRequest): void;
  abortAttempt(step: string): void;
  setTimer(id: string, delayMs: number): void;
  clearTimer(id: string): void;
  approvalRequested?(step: string): void;
  inspect?(event: any): void;
  /**
   * Chooses the worker of an attempt of a step with candidates: a live run asks its router, replay
   * returns the recorded `route.decided` (or reports a divergence). Absent: the first candidate.
   */
  route?(request: RouteRequest): RecordedDecision;
}

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  final?: string;
  output?: Json;
  error?: ErrorInfo;
  cost: number;
  durationMs: number;
}

type Timer = { event: { type: string }; fireAt: number; step?: string; purpose?: 'backoff' | 'timeout' | 'approval'; member?: { group: string; step: string } };

// The default hand-offs are stateless, so one of each serves every step of every run.
const DEFAULT_DAG_INPUT = mergeDeps();
const DEFAULT_START_INPUT = fromInput();
const DEFAULT_NEXT_INPUT = fromLast();

export class Engine {
  readonly runId: string;
  private snapshot!: AnyMachineSnapshot;
  private active: string[] = [];
  private readonly scope: any;
  private readonly self: AnyActorRef;
  private readonly pendingActions: any[] = [];
  private readonly queue: ({ type: string; [k: string]: unknown } | (() => void))[] = [];
  private draining = false;
  private readonly steps: Map<string, NormalStep>;
  private readonly dependants: Map<string, string[]>;
  private readonly sinks: string[];
  private readonly outputs: Record<string, Json> = Object.create(null);
  private readonly outputsView: Readonly<Record<string, Json>>;
  private shared: JsonObject = Object.freeze({}) as JsonObject;
  private last: string | undefined;
  private input: Json = null;
  private readonly timers = new Map<string, Timer>();
  /** Attempts started and not yet answered: re-run on resume (at-least-once). */
  readonly inFlight = new Map<string, AttemptRequest>();
  private readonly groups: GroupRuns;
  private startedAt = 0;
  private cost = 0;
  private outcome: RunOutcome | undefined;
  private cancelled = false;
  /** Routed steps only: the workers whose attempts failed, oldest first (what a cascade escalates past). */
  private failedWorkers: Map<string, string[]> | undefined;

  constructor(
    readonly compiled: CompiledWorkflow,
    runId: string,
    public env: EngineEnv,
  ) {
    this.runId = runId;
    this.steps = new Map(compiled.workflow.steps.map((s) => [s.id, s]));
    this.groups = new GroupRuns(compiled.groups, (step) => this.steps.get(step)!.retry, hashString(runId));
    this.dependants = new Map();
    for (const s of compiled.workflow.steps) for (const d of s.dependsOn) this.dependants.set(d, [...(this.dependants.get(d) ?? []), s.id]);
    this.sinks = compiled.workflow.steps.filter((s) => !this.dependants.has(s.id)).map((s) => s.id);
    // A read-only window on the append-only outputs: transformers can read every step's output
    // without the O(steps) copy a fresh object per step would cost.
    this.outputsView = new Proxy(this.outputs, {
      set: () => {
        throw new TypeError('the run context is read-only: outputs cannot be assigned');
      },
      deleteProperty: () => {
        throw new TypeError('the run context is read-only: outputs cannot be deleted');
      },
      defineProperty: () => {
        throw new TypeError('the run context is read-only');
      },
    });
    // The scope's actor is only an identity for XState's internals (and for the inspector), so runs
    // without an inspector share one per machine instead of building an actor each time.
    this.self = env.inspect ? createActor(compiled.machine, { input: { seed: 0 } }) : sharedActor(compiled);
    this.scope = {
      self: this.self,
      id: this.self.id,
      sessionId: this.self.sessionId,
      system: (this.self as any).system,
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      actionExecutor: (action: any) => this.pendingActions.push(action),
    };
  }

  get finished(): RunOutcome | undefined {
    return this.outcome;
  }

  /** Cost reported so far and time since the run started, on the run's clock. */
  totals(): { cost: number; durationMs: number } {
    return { cost: this.cost, durationMs: Math.max(0, this.env.now() - this.startedAt) };
  }

  /** Current run context (a copy, safe to keep) and the machine's own context. */
  context(): RunContext & { machine: MachineContext } {
    return { input: this.input, outputs: { ...this.outputs }, shared: this.shared, ...(this.last ? { last: this.last } : {}), machine: this.snapshot?.context };
  }

  value(): unknown {
    return this.snapshot?.value;
  }

  activeStates(): string[] {
    return this.active;
  }

  pendingTimers(): ReadonlyMap<string, Timer> {
    return this.timers;
  }

  // ---- facts in -------------------------------------------------------------------------

  start(input: Json, meta: { source?: string; instruction?: string } = {}): void {
    const started = this.env.record({
      type: 'run.started',
      runId: this.runId,
      workflowId: this.compiled.workflow.id,
      workflowHash: this.compiled.workflow.hash,
      input,
      ...(meta.source ? { source: meta.source } : {}),
      ...(meta.instruction ? { instruction: meta.instruction } : {}),
    });
    this.input = deepFreeze(structuredClone(input ?? null));
    this.startedAt = started.t;
    this.env.inspect?.({ type: '@xstate.actor', actorRef: this.self, rootId: this.self.sessionId });
    this.snapshot = this.compiled.machine.getInitialSnapshot(this.scope, { seed: hashString(this.runId) });
    this.afterMacrostep('xstate.init', { type: 'xstate.init' });
  }

  stepSucceeded(e: Omit<EventOf<'step.succeeded'>, 'seq' | 't' | 'type'>): void {
    const request = this.inFlight.get(e.step);
    if (!request || request.attempt !== e.attempt || this.outcome) return; // a late answer to an abandoned attempt
    this.inFlight.delete(e.step);
    this.env.record({ type: 'step.succeeded', ...e });
    if (e.cost) this.cost += e.cost;
    const output = deepFreeze(e.output as Json);
    if (request.group) return this.memberSucceeded(request.group, e.step, output);
    this.fold(e.step, output);
  }

  stepFailed(e: Omit<EventOf<'step.failed'>, 'seq' | 't' | 'type'>): void {
    const request = this.inFlight.get(e.step);
    if (!request || request.attempt !== e.attempt || this.outcome) return;
    this.inFlight.delete(e.step);
    this.env.record({ type: 'step.failed', ...e });
    if (e.cost) this.cost += e.cost;
    if (this.steps.get(e.step)!.candidates) this.noteFailedWorker(e.step, request.worker);
    if (request.group) return this.memberFailed(request.group, e.step, e.attempt, e.error);
    this.dispatch({ type: `fail.${e.step}`, error: e.error });
  }

  timerFired(id: string): void {
    const timer = this.timers.get(id);
    if (!timer || this.outcome) return;
    this.timers.delete(id);
    this.env.record({ type: 'timer.fired', id });
    if (timer.purpose === 'timeout' && timer.step !== undefined) this.timedOut(timer.step);
    if (timer.member) return this.beginAttempt(timer.member.step, this.groups.nextAttempt(timer.member.group, timer.member.step), timer.member.group);
    this.dispatch(timer.event);
  }

  /** Whether an approval step is waiting for its decision now. */
  awaitsApproval(step: string): boolean {
    if (this.outcome || this.steps.get(step)?.type !== 'approval') return false;
    return this.active.some((p) => p === `${step}.awaiting` || p.endsWith(`.${step}.running`));
  }

  approval(step: string, approved: boolean, by?: string, comment?: string, requestId?: string): void {
    if (this.outcome) return;
    if (!this.awaitsApproval(step)) throw new Error(`step ${JSON.stringify(step)} is not waiting for an approval`);
    this.env.record({ type: 'approval.received', step, approved, ...(by ? { by } : {}), ...(comment ? { comment } : {}), ...(requestId ? { requestId } : {}) });
    if (approved) this.fold(step, { approved, ...(by ? { by } : {}), ...(comment ? { comment } : {}) }, `approve.${step}`);
    else this.dispatch({ type: `reject.${step}`, error: { name: 'ApprovalRejected', message: `step ${JSON.stringify(step)} was rejected${by ? ` by ${by}` : ''}${comment ? `: ${comment}` : ''}`, retryable: false } });
  }

  cancel(reason?: string, by?: string, requestId?: string): void {
    if (this.outcome) return;
    this.cancelled = true;
    this.env.record({ type: 'run.cancelled', ...(reason ? { reason } : {}), ...(by ? { by } : {}), ...(requestId ? { requestId } : {}) });
    for (const step of [...this.inFlight.keys()]) this.env.abortAttempt(step);
    this.inFlight.clear();
    for (const id of [...this.timers.keys()]) this.env.clearTimer(id);
    this.timers.clear();
    this.finish({ status: 'cancelled', error: { name: 'Cancelled', message: reason ?? 'the run was cancelled', retryable: false } });
  }

  /**
   * The process gives the run up on purpose (a signal, `interrupt()`): in-flight attempts are
   * abandoned but stay in flight, so a resume runs them again; timers stop but keep their due
   * times. Nothing after this is recorded until `resumed`.
   */
  interrupted(reason: string): void {
    if (this.outcome) return;
    this.env.record({ type: 'run.interrupted', reason, inFlight: [...this.inFlight.keys()] });
    for (const step of this.inFlight.keys()) this.env.abortAttempt(step);
    for (const id of this.timers.keys()) this.env.clearTimer(id);
  }

  /** Marks a resume; a live environment then re-runs in-flight attempts and re-arms timers. */
  resumed(): { inFlight: AttemptRequest[]; timers: [string, Timer][] } {
    const inFlight = [...this.inFlight.values()];
    const timers = [...this.timers.entries()];
    this.env.record({ type: 'run.resumed', inFlight: inFlight.map((r) => r.step), timers: timers.map(([id]) => id) });
    return { inFlight, timers };
  }

  // ---- the machine ------------------------------------------------------------------------

  private fold(step: string, output: Json, eventType = `done.${step}`): void {
    const def = this.steps.get(step)!;
    this.outputs[step] = output;
    if (def.type === 'task') this.last = step;
    const ctx = this.runContext();
    if (def.output) {
      try {
        this.shared = applyOutput(def.output, this.shared, output, { ...ctx, step: { id: step, dependsOn: def.dependsOn } }) as JsonObject;
      } catch (e) {
        return this.dispatch({ type: `fail.${step}`, error: { ...toErrorInfo(e), retryable: false } });
      }
    }
    this.dispatch({ type: eventType, output, ctx: this.runContext() });
  }

  private runContext(): RunContext {
    return { input: this.input, outputs: this.outputsView, shared: this.shared, ...(this.last ? { last: this.last } : {}) };
  }

  /** Events raised while handling an event are queued, so each is one whole macrostep. */
  private dispatch(event: { type: string; [k: string]: unknown }): void {
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length && !this.outcome) {
        const next = this.queue.shift()!;
        if (typeof next === 'function') {
          next();
          continue;
        }
        this.env.inspect?.({ type: '@xstate.event', actorRef: this.self, sourceRef: undefined, event: next, rootId: this.self.sessionId });
        this.snapshot = this.compiled.machine.transition(this.snapshot, next as any, this.scope);
        this.afterMacrostep(next.type, next);
      }
    } finally {
      this.draining = false;
      this.queue.length = 0;
    }
  }

  private afterMacrostep(eventType: string, event: unknown): void {
    const to = activePaths(this.snapshot.value);
    if (!samePaths(to, this.active)) {
      this.env.record({ type: 'transition', event: eventType, from: this.active, to });
      this.active = to;
    }
    this.env.inspect?.({ type: '@xstate.snapshot', actorRef: this.self, snapshot: this.snapshot, event, rootId: this.self.sessionId });
    const actions = this.pendingActions.splice(0);
    for (const action of actions) this.execute(action);
    if (this.snapshot.status === 'done' && !this.outcome) this.completeFromFinal();
  }

  private execute(action: { type: string; params?: any }): void {
    const p = action.params ?? {};
    switch (action.type) {
      case 'startWorker':
        return this.startStep(p.step);
      case 'stopWorker':
      case 'stopGroup':
        return this.stop(p.step ?? p.group);
      case 'startGroup':
        return this.startGroup(p.group);
      case 'requestApproval':
        return this.env.approvalRequested?.(p.step);
      case 'xstate.raise':
        if (p.delay !== undefined) return this.setTimer(p.id, p.delay, p.event);
        return;
      case 'xstate.cancel':
        return this.cancelTimer(p.sendId);
      default:
        return; // assign and other built-ins are already applied to the snapshot
    }
  }

  private startStep(stepId: string): void {
    this.beginAttempt(stepId, (this.snapshot.context as MachineContext).attempts[stepId] ?? 1);
  }

  /** Records and requests one attempt of a step (or group member); an input that cannot be built fails it without running the worker. */
  private beginAttempt(stepId: string, attempt: number, group?: string): void {
    const step = this.steps.get(stepId)!;
    const g = group ? { group } : {};
    let input: Json;
    try {
      input = this.inputFor(step);
    } catch (e) {
      // A transformer that cannot build the input is a definition bug, not a worker failure to retry.
      this.inFlight.set(stepId, { step: stepId, worker: step.worker!.name, attempt, input: null, ...g });
      this.env.record({ type: 'step.started', step: stepId, worker: step.worker!.name, attempt, input: null, ...g });
      const error = { ...toErrorInfo(e), retryable: false };
      this.queueFact(() => this.stepFailed({ step: stepId, attempt, error, durationMs: 0, ...g }));
      return;
    }
    let worker = step.worker!.name;
    if (step.candidates) {
      const routed = this.route(step, attempt, input, group);
      if (routed.problem !== undefined) return this.routeFailed(stepId, routed.worker || worker, attempt, input, routed.problem, group);
      worker = routed.worker;
    }
    const request: AttemptRequest = { step: stepId, worker, attempt, input, ...g };
    this.inFlight.set(stepId, request);
    this.env.record({ type: 'step.started', step: stepId, worker: request.worker, attempt, input, ...g });
    this.env.startAttempt(request);
  }

  /** Asks the environment which candidate runs this attempt and records the answer (`route.decided`). */
  private route(step: NormalStep, attempt: number, input: Json, group?: string): { worker: string; problem?: string } {
    const candidates = routeCandidates(step);
    const names = candidates.map((c) => c.worker);
    const totals = this.totals();
    const request: RouteRequest = {
      runId: this.runId,
      workflowId: this.compiled.workflow.id,
      step: step.id,
      capability: step.capability ?? step.id,
      attempt,
      candidates,
      input,
      position: this.compiled.workflow.steps.indexOf(step),
      steps: this.compiled.workflow.steps.length,
      costSoFar: totals.cost,
      elapsedMs: totals.durationMs,
      failedWorkers: this.failedWorkers?.get(step.id)?.slice() ?? [],
    };
    const d = this.env.route ? this.env.route(request) : askRouter(DEFAULT_ROUTER, request);
    this.env.record({
      type: 'route.decided',
      step: step.id,
      attempt,
      worker: d.worker,
      candidates: names,
      ...(request.capability !== step.id ? { capability: request.capability } : {}),
      policy: d.policy,
      version: d.version,
      ...(d.probabilities ? { probabilities: d.probabilities } : {}),
      ...(group ? { group } : {}),
      ...(d.error !== undefined ? { error: d.error } : {}),
    });
    return { worker: d.worker, problem: decisionProblem(d, names) };
  }

  /** A decision that cannot run fails the attempt (a RouteError) without running any worker. */
  private routeFailed(stepId: string, worker: string, attempt: number, input: Json, problem: string, group?: string): void {
    const g = group ? { group } : {};
    this.inFlight.set(stepId, { step: stepId, worker, attempt, input, ...g });
    this.env.record({ type: 'step.started', step: stepId, worker, attempt, input, ...g });
    const error = toErrorInfo(new RouteError(stepId, attempt, problem));
    this.queueFact(() => this.stepFailed({ step: stepId, attempt, error, durationMs: 0, ...g }));
  }

  /** A routed attempt that timed out failed its worker too, so a cascade escalates past it. */
  private timedOut(stepId: string): void {
    const request = this.inFlight.get(stepId);
    if (request && this.steps.get(stepId)?.candidates) this.noteFailedWorker(stepId, request.worker);
  }

  private noteFailedWorker(step: string, worker: string): void {
    const failed = (this.failedWorkers ??= new Map());
    const list = failed.get(step);
    if (list) list.push(worker);
    else failed.set(step, [worker]);
  }

  /** Facts produced while a macrostep runs wait until it ends, so transitions never nest. */
  private queueFact(fact: () => void): void {
    if (!this.draining) return fact();
    this.queue.push(fact);
  }

  private inputFor(step: NormalStep): Json {
    const transformer =
      step.input ?? (this.compiled.workflow.form === 'dag' ? DEFAULT_DAG_INPUT : step.id === this.compiled.workflow.start && !this.last ? DEFAULT_START_INPUT : DEFAULT_NEXT_INPUT);
    return applyInput(transformer, this.runContext(), { id: step.id, dependsOn: step.dependsOn }) as Json;
  }

  private stop(id: string): void {
    if (this.groups.has(id)) {
      for (const m of this.groups.stop(id)) this.stopMember(m);
      return;
    }
    if (this.inFlight.delete(id)) this.env.abortAttempt(id);
  }

  private stopMember(step: string): void {
    if (this.inFlight.delete(step)) this.env.abortAttempt(step);
    for (const [tid, t] of this.timers) if (t.member?.step === step) this.cancelTimer(tid);
  }

  private setTimer(id: string, delayMs: number, event: { type: string }, member?: Timer['member']): void {
    const [, , delayKey] = id.split('.');
    const purpose = member ? 'backoff' : delayKey?.startsWith('backoff_') ? 'backoff' : delayKey?.startsWith('timeout_') ? 'timeout' : delayKey?.startsWith('approvalTimeout_') ? 'approval' : undefined;
    const step = member?.step ?? (delayKey ? delayKey.slice(delayKey.indexOf('_') + 1) : undefined);
    const now = this.env.now();
    const recorded = this.env.record({ type: 'timer.set', id, delayMs, fireAt: now + delayMs, ...(step ? { step } : {}), ...(purpose ? { purpose } : {}) }) as EventOf<'timer.set'>;
    this.timers.set(id, { event, fireAt: recorded.fireAt, step, purpose, member });
    this.env.setTimer(id, delayMs);
  }

  private cancelTimer(id: string): void {
    if (!this.timers.delete(id)) return; // already fired
    this.env.record({ type: 'timer.cancelled', id });
    this.env.clearTimer(id);
  }

  // ---- groups: wide fan-outs run by the hub, each member with its own retry policy ----------

  private startGroup(groupId: string): void {
    for (const m of this.groups.start(groupId)) this.beginAttempt(m, this.groups.nextAttempt(groupId, m), groupId);
  }

  private memberSucceeded(groupId: string, step: string, output: Json): void {
    if (!this.groups.has(groupId)) return;
    this.outputs[step] = output;
    this.last = step;
    if (this.groups.succeeded(groupId, step)) this.dispatch({ type: `done.${groupId}`, output: null, ctx: this.runContext() });
  }

  private memberFailed(groupId: string, step: string, attempt: number, error: ErrorInfo): void {
    if (!this.groups.has(groupId)) return;
    const next = this.groups.failed(groupId, step, attempt, error);
    if (next.kind === 'retry') return this.setTimer(next.timerId, next.delayMs, { type: next.timerId }, { group: groupId, step });
    this.dispatch({ type: `fail.${groupId}`, error: next.error });
  }

  // ---- the end --------------------------------------------------------------------------

  private completeFromFinal(): void {
    const finalId = this.active[0]?.split('.')[0];
    const status = this.compiled.workflow.finals[finalId]?.status ?? 'failed';
    const machineError = (this.snapshot.context as MachineContext).error;
    if (status === 'succeeded') this.finish({ status, final: finalId, output: this.runOutput() });
    else this.finish({ status, final: finalId, error: machineError ? { name: machineError.name, message: machineError.message, retryable: machineError.retryable } : { name: 'Failed', message: `the run ended in ${finalId}`, retryable: false } });
  }

  private runOutput(): Json {
    const wf = this.compiled.workflow;
    const ctx = this.runContext();
    if (wf.output) return wf.output(ctx);
    if (wf.form === 'dag') {
      if (this.sinks.length === 1) return this.outputs[this.sinks[0]] ?? null;
      return Object.fromEntries(this.sinks.map((s) => [s, this.outputs[s] ?? null]));
    }
    return this.last ? this.outputs[this.last] : null;
  }

  private finish(o: Omit<RunOutcome, 'cost' | 'durationMs'>): void {
    const durationMs = Math.max(0, this.env.now() - this.startedAt);
    for (const step of [...this.inFlight.keys()]) this.env.abortAttempt(step);
    this.inFlight.clear();
    for (const id of [...this.timers.keys()]) this.env.clearTimer(id);
    this.timers.clear();
    const recorded = this.env.record({ type: 'run.finished', ...o, ...(o.output === undefined ? {} : { output: o.output }), cost: this.cost, durationMs } as Draft);
    this.outcome = { ...o, cost: this.cost, durationMs: (recorded as EventOf<'run.finished'>).durationMs };
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }
}

const actors = new WeakMap<CompiledWorkflow, AnyActorRef>();

function sharedActor(compiled: CompiledWorkflow): AnyActorRef {
  let a = actors.get(compiled);
  if (!a) actors.set(compiled, (a = createActor(compiled.machine, { input: { seed: 0 } })));
  return a;
}
