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
