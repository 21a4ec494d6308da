import type { Workflow } from '../machines/index.ts';
import type { RunContext } from '../transformers/index.ts';
import { compiledOf } from './compiled.ts';
import { Engine, type Draft } from './engine/engine.ts';
import { INPUT_EVENTS, type EventOf, type HistoryEvent } from '../machines/history/events.ts';
import { deepEqual } from './util/deep-equal.ts';

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
export function replay(history: readonly HistoryEvent[], workflow: Workflow, options: { until?: number; inspect?: (event: any) => void } = {}): ReplayResult {
  const first = history[0];
  if (!first || first.type !== 'run.started') throw new Error('a history must begin with run.started');
  const until = options.until ?? Infinity;
  let cursor = 0;
  let captured: { value: unknown; active: string[]; context: any } | undefined;
  const engine: Engine = new Engine(compiledOf(workflow), first.runId, {
    now: () => history[Math.min(cursor, history.length - 1)].t,
    record(draft: Draft) {
      const expected = history[cursor];
      const actual = describe(draft);
      if (!expected) throw new Diverged({ seq: cursor + 1, expected: 'end of history', actual, message: `event #${cursor + 1}: the history ends here, but the workflow now produces ${actual}` });
      if (!sameEvent(expected, draft)) {
        const exp = describe(expected);
        throw new Diverged({ seq: expected.seq, expected: exp, actual, message: `event #${expected.seq}: expected ${exp}, but the workflow now produces ${actual}` });
      }
      cursor++;
      if (cursor === until) captured = { value: engine.value(), active: draft.type === 'transition' ? draft.to : engine.activeStates(), context: engine.context() };
      return expected;
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

function feed(engine: Engine, e: HistoryEvent): void {
  switch (e.type) {
    case 'step.succeeded':
      return engine.stepSucceeded({ step: e.step, attempt: e.attempt, output: e.output, durationMs: e.durationMs, ...(e.cost !== undefined ? { cost: e.cost } : {}), ...(e.group ? { group: e.group } : {}) });
    case 'step.failed':
      return engine.stepFailed({ step: e.step, attempt: e.attempt, error: e.error, durationMs: e.durationMs, ...(e.group ? { group: e.group } : {}) });
    case 'timer.fired':
      return engine.timerFired(e.id);
    case 'approval.received':
      try {
        return engine.approval(e.step, e.approved, e.by, e.comment);
      } catch {
        return; // not waiting: reported as a divergence by the caller
      }
    case 'run.resumed':
      engine.resumed();
      return;
    case 'run.cancelled':
      return engine.cancel(e.reason);
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
    case 'step.succeeded':
    case 'step.failed':
      return `${e.type} ${e.step} (attempt ${e.attempt})`;
    case 'transition':
      return `transition on ${e.event}: [${e.from.join(', ')}] -> [${e.to.join(', ')}]`;
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
