import type { Workflow } from '../machines/index.ts';
import type { RunContext } from '../transformers/index.ts';
import { compiledOf } from './compiled.ts';
import { Engine, type Draft } from './engine/engine.ts';
import { INPUT_EVENTS, type EventOf, type HistoryEvent } from '../machines/history/events.ts';
import { deepEqual } from './util/deep-equal.ts';
import { preview } from './util/preview.ts';
import { createRedactor, processEnvAtFirstRun, type Redactor } from './history/redact.ts';
import type { RouteRequest, Router } from '../machines/routing.ts';
import { askRouter, DEFAULT_ROUTER, type RecordedDecision } from './engine/routing.ts';

export interface ReplayOptions {
  /** Stop after this event number (time travel). */
  until?: number;
  inspect?: (event: any) => void;
  /**
   * The redactor the run was recorded with: the events replay produces are compared after it, as
   * they were written. Default: the same default as a run's (schema fields, secret environment
   * variables, credential shapes).
   */
  redactor?: Redactor;
  /**
   * For resume: a history that ends inside a macrostep (its writer was killed between two events
   * of one step) is not a divergence; the events the machine produces past the end are returned
   * as `tail`, for the resuming process to record.
   */
  tail?: boolean;
  /**
   * With `tail` only: decides an attempt the history ends before (its `route.decided` was never
   * written), as the resuming run would. Recorded decisions are always reused: replay never asks a
   * router about them. Default: the first candidate.
   */
  router?: Router;
}

/** Where a replay left the recorded path: the first event that differs. */
export interface Divergence {
  seq: number;
  expected: string;
  actual: string;
  message: string;
}

export interface ReplayResult {
  ok: boolean;
  divergence?: Divergence;
  /** The machine's state value and active leaves as of the last event replayed (or `until`). */
  value: unknown;
  active: string[];
  context: RunContext & { machine: unknown };
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** Events checked. */
  events: number;
  /** The workflow's hash differs from the recorded one (the path may still be the same). */
  definitionChanged: boolean;
  /** The engine, positioned after the last event; `resume` continues it live. */
  engine: Engine;
  /** With `tail`: events the machine produced after the history's end, not yet recorded. */
  tail?: Draft[];
}

class Diverged extends Error {
  constructor(readonly divergence: Divergence) {
    super(divergence.message);
  }
}

/**
 * Drives a fresh machine with a run's recorded facts (worker results, timer firings,
 * approvals), calling no worker and waiting for no timer, and checks every other
 * event it produces against the record. With `until`, stops at that event number
 * (time travel).
 *
 * @example
 * const r = replay(store.read(runId), workflow);
 * if (!r.ok) console.log(r.divergence.message);
 */
export function replay(history: readonly HistoryEvent[], workflow: Workflow, options: ReplayOptions = {}): ReplayResult {
  const first = history[0];
  if (!first || first.type !== 'run.started') throw new Error('a history must begin with run.started');
  const until = options.until ?? Infinity;
  let cursor = 0;
  const tail: Draft[] = [];
  const redactor = options.redactor ?? createRedactor({ workflow, env: processEnvAtFirstRun() });
  let captured: { value: unknown; active: string[]; context: any } | undefined;
  const engine: Engine = new Engine(compiledOf(workflow), first.runId, {
    now: () => history[Math.min(cursor, history.length - 1)].t,
    record(draft: Draft) {
      const expected = history[cursor];
      const actual = describe(draft);
      if (!expected && options.tail) {
        // The writer died inside a macrostep: what it did not write is what the machine does next.
        tail.push(draft);
        return { seq: history.length + tail.length, t: history[history.length - 1].t, ...draft } as HistoryEvent;
      }
      if (!expected) throw new Diverged({ seq: cursor + 1, expected: 'end of history', actual, message: `event #${cursor + 1}: the history ends here, but the workflow now produces ${actual}` });
      if (!sameEvent(expected, redactor.redactEvent(draft))) {
        const diff = describeDifference(expected, draft);
        throw new Diverged({ seq: expected.seq, ...diff, message: `event #${expected.seq}: expected ${diff.expected}, but the workflow now produces ${diff.actual}` });
      }
      cursor++;
      if (cursor === until) captured = { value: engine.value(), active: draft.type === 'transition' ? draft.to : engine.activeStates(), context: engine.context() };
      return expected;
    },
    route(request: RouteRequest): RecordedDecision {
      const expected = history[cursor];
      if (!expected && options.tail) return askRouter(options.router ?? DEFAULT_ROUTER, request);
      const wanted = `route.decided ${request.step} (attempt ${request.attempt})`;
      if (!expected) throw new Diverged({ seq: cursor + 1, expected: 'end of history', actual: wanted, message: `event #${cursor + 1}: the history ends here, but the workflow now routes step ${JSON.stringify(request.step)} (attempt ${request.attempt}) among ${request.candidates.map((c) => c.worker).join(', ')}` });
      if (expected.type !== 'route.decided' || expected.step !== request.step || expected.attempt !== request.attempt) {
        const exp = describe(expected);
        throw new Diverged({ seq: expected.seq, expected: exp, actual: wanted, message: `event #${expected.seq}: expected ${exp}, but the workflow now produces ${wanted}: no recorded decision for that attempt` });
      }
      return recordedDecision(expected);
    },
    startAttempt: () => {},
    abortAttempt: () => {},
    setTimer: () => {},
    clearTimer: () => {},
    ...(options.inspect ? { inspect: options.inspect } : {}),
  });

  let divergence: Divergence | undefined;
  try {
    engine.start(first.input as any, { source: first.source, instruction: first.instruction });
    while (cursor < history.length && cursor < until) {
      const event = history[cursor];
      const before = cursor;
      if (!INPUT_EVENTS.has(event.type)) {
        const exp = describe(event);
        throw new Diverged({ seq: event.seq, expected: exp, actual: 'nothing (the machine waits for a worker result, timer or approval)', message: `event #${event.seq}: expected ${exp}, but the workflow now produces nothing at this point` });
      }
      feed(engine, event);
      if (cursor === before) {
        const exp = describe(event);
        throw new Diverged({ seq: event.seq, expected: exp, actual: 'not applicable', message: `event #${event.seq}: the history has ${exp}, which the workflow now has no use for (that step or timer is not active)` });
      }
    }
  } catch (e) {
    if (!(e instanceof Diverged)) throw e;
    divergence = e.divergence;
  }
  const state = captured ?? { value: engine.value(), active: engine.activeStates(), context: engine.context() };
  const finished = cursor >= history.length || cursor >= until ? history.slice(0, cursor).findLast((e) => e.type === 'run.finished') : undefined;
  return {
    ok: !divergence,
    ...(divergence ? { divergence } : {}),
    ...state,
    status: (finished as EventOf<'run.finished'> | undefined)?.status ?? 'running',
    events: cursor,
    definitionChanged: first.workflowHash !== workflow.hash,
    engine,
    ...(options.tail ? { tail } : {}),
  };
}

/**
 * The machine state and context as of event `seq` (time travel).
 *
 * @example
 * stateAt(history, workflow, 12).active // ['coder.running']
 */
export function stateAt(history: readonly HistoryEvent[], workflow: Workflow, seq: number, options: { inspect?: (event: any) => void } = {}): ReplayResult {
  if (!(seq >= 1)) throw new Error(`event number must be >= 1, got ${seq}`);
  return replay(history, workflow, { until: Math.min(seq, history.length), ...options });
}

/** A recorded `route.decided` as the decision the engine reuses. */
function recordedDecision(e: EventOf<'route.decided'>): RecordedDecision {
  return { worker: e.worker, policy: e.policy, version: e.version, ...(e.probabilities ? { probabilities: e.probabilities } : {}), ...(e.error !== undefined ? { error: e.error } : {}) };
}

function feed(engine: Engine, e: HistoryEvent): void {
  switch (e.type) {
    case 'step.succeeded':
      return engine.stepSucceeded({ step: e.step, attempt: e.attempt, output: e.output, durationMs: e.durationMs, ...(e.cost !== undefined ? { cost: e.cost } : {}), ...(e.group ? { group: e.group } : {}) });
    case 'step.failed':
      return engine.stepFailed({ step: e.step, attempt: e.attempt, error: e.error, durationMs: e.durationMs, ...(e.cost !== undefined ? { cost: e.cost } : {}), ...(e.group ? { group: e.group } : {}) });
    case 'timer.fired':
      return engine.timerFired(e.id);
    case 'approval.received':
      try {
        return engine.approval(e.step, e.approved, e.by, e.comment, e.requestId);
      } catch {
        return; // not waiting: reported as a divergence by the caller
      }
    case 'run.resumed':
      engine.resumed();
      return;
    case 'run.cancelled':
      return engine.cancel(e.reason, e.by, e.requestId);
    case 'run.interrupted':
      return engine.interrupted(e.reason);
  }
}

function sameEvent(expected: HistoryEvent, actual: Draft): boolean {
  if (expected.type !== actual.type) return false;
  const a = actual as any;
  switch (expected.type) {
    case 'run.started':
      return expected.workflowId === a.workflowId && deepEqual(expected.input, a.input);
    case 'step.started':
      return expected.step === a.step && expected.worker === a.worker && expected.attempt === a.attempt && deepEqual(expected.input, a.input);
    case 'route.decided':
      return expected.step === a.step && expected.attempt === a.attempt && expected.worker === a.worker && deepEqual(expected.candidates, a.candidates);
    case 'step.succeeded':
    case 'step.failed':
      return expected.step === a.step && expected.attempt === a.attempt;
    case 'timer.set':
      return expected.id === a.id && expected.delayMs === a.delayMs;
    case 'timer.fired':
    case 'timer.cancelled':
      return expected.id === a.id;
    case 'transition':
      return expected.event === a.event && deepEqual(expected.from, a.from) && deepEqual(expected.to, a.to);
    case 'run.finished':
      return expected.status === a.status && expected.final === a.final && deepEqual(expected.output ?? null, a.output ?? null);
    default:
      return true;
  }
}

/**
 * A short human description of an event for divergence messages.
 *
 * @example
 * describe({ type: 'timer.fired', id: 'x' }) // 'timer.fired x'
 */
export function describe(e: Draft | HistoryEvent): string {
  switch (e.type) {
    case 'step.started':
      return `step.started ${e.step} (worker ${e.worker}, attempt ${e.attempt})`;
    case 'route.decided':
      return `route.decided ${e.step} (worker ${e.worker}, attempt ${e.attempt})`;
    case 'step.succeeded':
    case 'step.failed':
      return `${e.type} ${e.step} (attempt ${e.attempt})`;
    case 'transition':
      return `transition on ${e.event} from [${e.from.join(', ')}] to [${e.to.join(', ')}]`;
    case 'timer.set':
      return `timer.set ${e.id} (${e.delayMs} ms)`;
    case 'timer.fired':
    case 'timer.cancelled':
      return `${e.type} ${e.id}`;
    case 'run.finished':
      return `run.finished ${e.status}${e.final ? ` in ${e.final}` : ''}`;
    case 'approval.received':
      return `approval.received ${e.step} (${e.approved ? 'approved' : 'rejected'})`;
    default:
      return e.type;
  }
}

/**
 * The fields `sameEvent` compares, by event type, identity first: the first of them that differs
 * is the one a divergence names.
 */
const COMPARED_FIELDS: Partial<Record<HistoryEvent['type'], readonly string[]>> = {
  'run.started': ['workflowId', 'input'],
  'step.started': ['step', 'worker', 'attempt', 'input'],
  'route.decided': ['step', 'attempt', 'worker', 'candidates'],
  'step.succeeded': ['step', 'attempt'],
  'step.failed': ['step', 'attempt'],
  'timer.set': ['id', 'delayMs'],
  'timer.fired': ['id'],
  'timer.cancelled': ['id'],
  transition: ['event', 'from', 'to'],
  'run.finished': ['status', 'final', 'output'],
};

/** Fields `describe` already shows in full: naming them again adds nothing. */
const SHOWN_BY_DESCRIBE: Partial<Record<HistoryEvent['type'], readonly string[]>> = {
  'step.started': ['step'],
  'route.decided': ['step', 'worker', 'attempt'],
  'step.succeeded': ['step', 'attempt'],
  'step.failed': ['step', 'attempt'],
  'timer.set': ['id', 'delayMs'],
  'timer.fired': ['id'],
  'timer.cancelled': ['id'],
  transition: ['event', 'from', 'to'],
  'run.finished': ['status', 'final'],
};

/** Up to this many characters a differing value is shown whole; longer, the path to its first difference is shown. */
const WHOLE_VALUE_CHARS = 100;

/**
 * The recorded and the produced event of a divergence, described so the difference shows: when
 * both have the same type, the first compared field that differs is named with its value on each
 * side (`run.started workflowId "a"` / `run.started workflowId "b"`; for a large input, the path
 * to where it differs: `step.started s1 input.doc.title "A"`).
 *
 * @example
 * describeDifference(recordedStart, producedStart) // { expected: 'run.started workflowId "slow-chain"', actual: 'run.started workflowId "reordered-chain"' }
 */
export function describeDifference(expected: HistoryEvent, actual: Draft): { expected: string; actual: string } {
  const plain = { expected: describe(expected), actual: describe(actual) };
  if (expected.type !== actual.type) return plain;
  const a = actual as any;
  const e = expected as any;
  // `run.finished` compares outputs with undefined as null.
  const value = (x: any, f: string) => (expected.type === 'run.finished' && f === 'output' ? (x[f] ?? null) : x[f]);
  const field = COMPARED_FIELDS[expected.type]?.find((f) => !deepEqual(value(e, f), value(a, f)));
  if (!field || SHOWN_BY_DESCRIBE[expected.type]?.includes(field)) return plain;
  let [path, left, right] = [field, value(e, field), value(a, field)];
  if (preview(left, Infinity).length > WHOLE_VALUE_CHARS || preview(right, Infinity).length > WHOLE_VALUE_CHARS) [path, left, right] = firstDifference(field, left, right);
  const head = (x: any) => (x.step !== undefined && field !== 'step' ? `${x.type} ${x.step}` : x.type);
  const show = (v: unknown) => (v === undefined ? '(absent)' : preview(v, WHOLE_VALUE_CHARS));
  return { expected: `${head(e)} ${path} ${show(left)}`, actual: `${head(a)} ${path} ${show(right)}` };
}

/**
 * The path to the first place two JSON-like values differ, and the values there.
 *
 * @example
 * firstDifference('input', { a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }) // ['input.b[1]', 2, 3]
 */
function firstDifference(path: string, a: unknown, b: unknown): [string, unknown, unknown] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const i = Array.from({ length: Math.max(a.length, b.length) }, (_, k) => k).find((k) => !deepEqual(a[k], b[k]));
    return i === undefined ? [path, a, b] : firstDifference(`${path}[${i}]`, a[i], b[i]);
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    const k = keys.find((key) => !deepEqual((a as any)[key], (b as any)[key]));
    return k === undefined ? [path, a, b] : firstDifference(/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, (a as any)[k], (b as any)[k]);
  }
  return [path, a, b];
}
