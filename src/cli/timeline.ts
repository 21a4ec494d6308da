import type { HistoryEvent } from '../history/events.ts';

export interface StepAttempt {
  attempt: number;
  startedAt: number;
  status: 'running' | 'succeeded' | 'failed';
  durationMs?: number;
  cost?: number;
  error?: string;
  input?: unknown;
  output?: unknown;
}

export interface Timeline {
  runId: string;
  workflowId: string;
  status: string;
  startedAt: number;
  durationMs?: number;
  cost: number;
  steps: { step: string; worker: string; attempts: StepAttempt[] }[];
  waits: { id: string; step?: string; purpose?: string; delayMs: number; at: number; outcome: 'fired' | 'cancelled' | 'pending' }[];
}

/**
 * Folds a history into a per-step timeline (attempts, durations, costs, waits).
 *
 * @example
 * timelineOf(store.read(runId)).steps.map((s) => s.attempts.length)
 */
export function timelineOf(history: readonly HistoryEvent[]): Timeline {
  const first = history[0] as Extract<HistoryEvent, { type: 'run.started' }>;
  const steps = new Map<string, { step: string; worker: string; attempts: StepAttempt[] }>();
  const waits = new Map<string, Timeline['waits'][number]>();
  let status = 'running';
  let durationMs: number | undefined;
  let cost = 0;
  for (const e of history) {
    if (e.type === 'step.started') {
      if (!steps.has(e.step)) steps.set(e.step, { step: e.step, worker: e.worker, attempts: [] });
      steps.get(e.step)!.attempts.push({ attempt: e.attempt, startedAt: e.t, status: 'running', input: e.input });
    } else if (e.type === 'step.succeeded' || e.type === 'step.failed') {
      const a = steps.get(e.step)?.attempts.findLast((x) => x.attempt === e.attempt);
      if (!a) continue;
      a.status = e.type === 'step.succeeded' ? 'succeeded' : 'failed';
      a.durationMs = e.durationMs;
      if (e.type === 'step.succeeded') {
        a.output = e.output;
        if (e.cost) (a.cost = e.cost), (cost += e.cost);
      } else a.error = `${e.error.name}: ${e.error.message}`;
    } else if (e.type === 'timer.set') waits.set(e.id, { id: e.id, step: e.step, purpose: e.purpose, delayMs: e.delayMs, at: e.t, outcome: 'pending' });
    else if (e.type === 'timer.fired' || e.type === 'timer.cancelled') {
      const w = waits.get(e.id);
      if (w) w.outcome = e.type === 'timer.fired' ? 'fired' : 'cancelled';
    } else if (e.type === 'run.finished') {
      status = e.status;
      durationMs = e.durationMs;
    }
  }
  return { runId: first.runId, workflowId: first.workflowId, status, startedAt: first.t, durationMs, cost, steps: [...steps.values()], waits: [...waits.values()] };
}
