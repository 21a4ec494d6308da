import fs from 'node:fs';
import path from 'node:path';
import type { HistoryEvent } from '../../machines/history/events.ts';

/**
 * Hand-written histories that follow `src/history/events.ts`, for the `shop` machine in
 * `test/viz/fixtures.ts`: steps fetch -> summarize -> approve -> publish.
 */
type Draft = { [K in HistoryEvent['type']]: Omit<Extract<HistoryEvent, { type: K }>, 'seq' | 't'> & { type: K } }[HistoryEvent['type']];

export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private active: string[] = [];
  constructor(public t = Date.UTC(2026, 10, 21, 20, 0, 0)) {}
  push(e: Draft, dt = 0): this {
    this.t += dt;
    this.events.push({ ...e, seq: this.events.length + 1, t: this.t } as HistoryEvent);
    return this;
  }
  to(event: string, to: string[], dt = 0): this {
    this.push({ type: 'transition', event, from: this.active, to }, dt);
    this.active = to;
    return this;
  }
  /** One attempt of a step: started, then succeeded/failed after `ms`. */
  attempt(step: string, n: number, ok: boolean, ms: number, extra: { output?: unknown; cost?: number } = {}): this {
    if (n > 1) this.to(`xstate.after.backoff_${step}`, [`${step}.running`]);
    this.push({ type: 'step.started', step, worker: `${step}-worker`, attempt: n, input: { step, attempt: n } });
    if (ok) {
      this.push({ type: 'step.succeeded', step, attempt: n, output: extra.output ?? { ok: true, step }, durationMs: ms, cost: extra.cost }, ms);
    } else {
      this.push({ type: 'step.failed', step, attempt: n, error: { name: 'Flaky', message: `${step} attempt ${n} failed`, retryable: true }, durationMs: ms }, ms);
      this.to(`fail.${step}`, [`${step}.waiting`]);
      this.push({ type: 'timer.set', id: `backoff_${step}_${n}`, delayMs: 200, fireAt: this.t + 200, step, purpose: 'backoff' });
      this.push({ type: 'timer.fired', id: `backoff_${step}_${n}` }, 200);
    }
    return this;
  }
}

/** A finished `shop` run: fetch fails once then succeeds, summarize, approve, publish. */
export function finishedShopRun(runId: string, t0?: number): HistoryEvent[] {
  const h = new HistoryBuilder(t0);
  h.push({ type: 'run.started', runId, workflowId: 'shop', workflowHash: 'abc123', input: { url: 'https://example.test' }, source: 'shop' });
  h.to('xstate.init', ['fetch.running']);
  h.attempt('fetch', 1, false, 300).attempt('fetch', 2, true, 250, { output: { html: '<p>hi</p>' }, cost: 0.002 });
  h.to('done.fetch', ['summarize.running']);
  h.push({ type: 'step.started', step: 'summarize', worker: 'summarize-worker', attempt: 1, input: { html: '<p>hi</p>' } });
  h.push({ type: 'step.succeeded', step: 'summarize', attempt: 1, output: { summary: 'hi' }, durationMs: 700, cost: 0.03 }, 700);
  h.to('done.summarize', ['approve.awaiting']);
  h.push({ type: 'timer.set', id: 'approval_approve', delayMs: 60000, fireAt: h.t + 60000, step: 'approve', purpose: 'approval' });
  h.push({ type: 'approval.received', step: 'approve', approved: true, by: 'ana' }, 900);
  h.push({ type: 'timer.cancelled', id: 'approval_approve' });
  h.to('approve.approve', ['publish.running']);
  h.push({ type: 'step.started', step: 'publish', worker: 'publish-worker', attempt: 1, input: { summary: 'hi' } });
  h.push({ type: 'step.succeeded', step: 'publish', attempt: 1, output: { url: 'https://example.test/p/1' }, durationMs: 400, cost: 0.001 }, 400);
  h.to('done.publish', ['succeeded']);
  h.push({ type: 'run.finished', status: 'succeeded', final: 'succeeded', output: { url: 'https://example.test/p/1' }, cost: 0.033, durationMs: h.t - h.events[0].t });
  return h.events;
}

/** A `shop` run with about `n` events: fetch retried many times (a synthetic load for the page). */
export function longShopRun(runId: string, n: number): HistoryEvent[] {
  const h = new HistoryBuilder();
  h.push({ type: 'run.started', runId, workflowId: 'shop', workflowHash: 'abc123', input: {}, source: 'shop' });
  h.to('xstate.init', ['fetch.running']);
  let k = 1;
  while (h.events.length < n - 12) h.attempt('fetch', k++, false, 20);
  h.attempt('fetch', k, true, 20, { cost: 0.001 });
  h.to('done.fetch', ['summarize.running']);
  h.push({ type: 'step.started', step: 'summarize', worker: 'summarize-worker', attempt: 1, input: {} });
  h.push({ type: 'step.failed', step: 'summarize', attempt: 1, error: { name: 'Fatal', message: 'no', retryable: false }, durationMs: 5 }, 5);
  h.to('fail.summarize', ['failed']);
  h.push({ type: 'run.finished', status: 'failed', final: 'failed', error: { name: 'Fatal', message: 'no', retryable: false }, cost: 0.001, durationMs: h.t - h.events[0].t });
  return h.events;
}

export function writeHistory(root: string, events: HistoryEvent[]): string {
  const runId = (events[0] as any).runId as string;
  const file = path.join(root, 'runs', `${runId}.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

/** A `shop` run stopped at its approval: `approve` waits (its approval timer is set, no decision yet). */
export function waitingShopRun(runId: string, t0?: number): HistoryEvent[] {
  const events = finishedShopRun(runId, t0);
  const at = events.findIndex((e) => e.type === 'timer.set' && e.purpose === 'approval');
  return events.slice(0, at + 1);
}

/** One routed attempt of a step: the candidate chosen, by which policy, and how it went. */
export interface RoutedAttemptSpec {
  worker: string;
  /** `pending`: decided and started, no outcome (the run stopped there). */
  ok: boolean | 'pending';
  ms: number;
  cost?: number;
  policy?: string;
  version?: string;
}

/** A step with candidates, attempted in order until one succeeds. */
export interface RoutedStepSpec {
  step: string;
  capability?: string;
  candidates: string[];
  attempts: RoutedAttemptSpec[];
}

/**
 * A run whose steps have candidates: before each attempt's `step.started`, a `route.decided`
 * event as the hub records it (`{ step, attempt, worker, candidates, policy, version,
 * probabilities }`), then the attempt's outcome. A pending attempt ends the history there.
 */
export function routedRun(runId: string, t0: number, steps: RoutedStepSpec[], workflowId = 'answer-desk'): HistoryEvent[] {
  const h = new HistoryBuilder(t0);
  h.push({ type: 'run.started', runId, workflowId, workflowHash: 'r0u7e', input: { question: 'q' }, source: workflowId });
  h.to('xstate.init', [`${steps[0].step}.running`]);
  let cost = 0;
  for (const s of steps) {
    for (const [i, a] of s.attempts.entries()) {
      const attempt = i + 1;
      if (attempt > 1) h.to(`xstate.after.backoff_${s.step}`, [`${s.step}.running`]);
      const probabilities = s.candidates.map((c) => (c === a.worker ? 0.7 : 0.3 / Math.max(1, s.candidates.length - 1)));
      // Written as the hub records it (cast: these fixtures predate the event's place in the union).
      h.push({ type: 'route.decided', step: s.step, attempt, worker: a.worker, candidates: s.candidates, policy: a.policy ?? 'bandit', version: a.version ?? '1', probabilities, ...(s.capability ? { capability: s.capability } : {}) } as any);
      h.push({ type: 'step.started', step: s.step, worker: a.worker, attempt, input: { question: 'q' } });
      if (a.ok === 'pending') return h.events;
      if (a.ok) {
        cost += a.cost ?? 0;
        h.push({ type: 'step.succeeded', step: s.step, attempt, output: { answer: 'a' }, durationMs: a.ms, cost: a.cost }, a.ms);
        h.to(`done.${s.step}`, [`${s.step}.done`]);
        break;
      }
      h.push({ type: 'step.failed', step: s.step, attempt, error: { name: 'Wrong', message: `${a.worker} failed`, retryable: true }, durationMs: a.ms }, a.ms);
      h.to(`fail.${s.step}`, [`${s.step}.waiting`]);
      h.push({ type: 'timer.set', id: `backoff_${s.step}_${attempt}`, delayMs: 50, fireAt: h.t + 50, step: s.step, purpose: 'backoff' });
      h.push({ type: 'timer.fired', id: `backoff_${s.step}_${attempt}` }, 50);
    }
  }
  const ok = steps.every((s) => s.attempts.some((a) => a.ok === true));
  h.to(ok ? 'done' : 'fail', [ok ? 'succeeded' : 'failed']);
  h.push({ type: 'run.finished', status: ok ? 'succeeded' : 'failed', final: ok ? 'succeeded' : 'failed', cost, durationMs: h.t - t0 });
  return h.events;
}

/**
 * `count` routed `answer-desk` runs, an hour apart from `t0`, as a learning router would leave
 * them: `cheapest` v1 first, then `bandit` v1, then `bandit` v2, which mostly picks the candidate
 * that does best. Two capabilities: `answer` (three LLM candidates, retried on another one after
 * a failure) and `extract` (a tool or a small model). Deterministic (a fixed-seed generator).
 */
export function routedFleet(count: number, t0 = Date.UTC(2026, 10, 20, 8, 0, 0)): HistoryEvent[][] {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const answer = { candidates: ['small-llm', 'large-llm', 'local-model'], success: [0.7, 0.95, 0.5], cost: [0.002, 0.03, 0], ms: [600, 2400, 300] };
  const extract = { candidates: ['regex-tool', 'small-llm'], success: [0.8, 0.9], cost: [0, 0.001], ms: [20, 500] };
  const runs: HistoryEvent[][] = [];
  for (let r = 0; r < count; r++) {
    const phase = r < count / 3 ? { policy: 'cheapest', version: '1' } : r < (2 * count) / 3 ? { policy: 'bandit', version: '1' } : { policy: 'bandit', version: '2' };
    const pick = (spec: typeof answer, exclude: number[]) => {
      const open = spec.candidates.map((_, i) => i).filter((i) => !exclude.includes(i));
      if (phase.policy === 'cheapest') return open.sort((a, b) => spec.cost[a] - spec.cost[b])[0];
      if (phase.version === '2' && rand() < 0.8) return open.sort((a, b) => spec.success[b] - spec.success[a])[0];
      return open[Math.floor(rand() * open.length)];
    };
    const attemptsOf = (spec: typeof answer): RoutedAttemptSpec[] => {
      const out: RoutedAttemptSpec[] = [];
      const tried: number[] = [];
      while (tried.length < spec.candidates.length) {
        const i = pick(spec, tried);
        tried.push(i);
        const ok = rand() < spec.success[i];
        out.push({ worker: spec.candidates[i], ok, ms: Math.round(spec.ms[i] * (0.6 + rand())), cost: ok ? spec.cost[i] : undefined, ...phase });
        if (ok) break;
      }
      return out;
    };
    const t = t0 + r * 3_600_000;
    const id = `${new Date(t).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-rt${String(r).padStart(3, '0')}`;
    runs.push(routedRun(id, t, [
      { step: 'extract', candidates: extract.candidates, attempts: attemptsOf(extract) },
      { step: 'answer', candidates: answer.candidates, attempts: attemptsOf(answer) },
    ]));
  }
  return runs;
}
