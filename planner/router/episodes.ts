import type { Json } from '../../transformers/types.ts';
import type { RouteRequest } from '../../machines/routing.ts';
import type { RunOutcome } from './reward.ts';

/** One routed attempt read back from a history: what the policy saw (rebuilt), chose, and got. */
export interface RoutedAttempt {
  request: RouteRequest;
  /** Index of the chosen worker in `request.candidates`. */
  index: number;
  worker: string;
  policy: string;
  version: string;
  /** The logging policy's probabilities, when it recorded them. */
  probabilities?: number[];
  success: boolean;
  cost: number;
  durationMs: number;
}

/** A finished run as a learner sees it: its routed attempts in order and its outcome. */
export interface Episode { runId: string; workflowId: string; decisions: RoutedAttempt[]; outcome: RunOutcome }

type Ev = Record<string, any>;

/** How to read histories: `route.decided` names the capability only when it is not the step id, and older histories never do; a router that saw the live requests can say it. */
export interface EpisodeOptions { capabilityOf?: (workflowId: string, step: string) => string | undefined }

/**
 * Remembers each step's capability as a router sees live requests, for `EpisodeOptions`.
 *
 * @example
 * const caps = capabilityMemo(); caps.note(request); episodeOf(history, caps)
 */
export function capabilityMemo(): EpisodeOptions & { note(r: { workflowId: string; step: string; capability: string }): void } {
  const m = new Map<string, string>();
  return {
    note: (r) => { m.set(`${r.workflowId}\u0000${r.step}`, r.capability); },
    capabilityOf: (w, s) => m.get(`${w}\u0000${s}`),
  };
}

const key = (step: string, attempt: number) => `${step}#${attempt}`;
const workerName = (c: unknown) => (typeof c === 'string' ? c : String((c as { worker?: unknown })?.worker));

/**
 * Reads one run's history (its events, in order) into an episode, or undefined when the run has not
 * finished or routed nothing. The request each decision answered is rebuilt from the history: the
 * input from the attempt's `step.started`, the capability from the event (default the step id),
 * the position from the order steps first started, cost and time from the events before it.
 *
 * @example
 * const ep = episodeOf(await store.read(runId));
 */
export function episodeOf(history: readonly unknown[], opts: EpisodeOptions = {}): Episode | undefined {
  const events = history as Ev[];
  const started = events.find((e) => e.type === 'run.started');
  const finished = events.find((e) => e.type === 'run.finished');
  if (!started || !finished) return undefined;
  const t0 = Number(started.t ?? 0);
  const order: string[] = [];
  const inputs = new Map<string, Json>();
  const outcomes = new Map<string, { success: boolean; cost: number; durationMs: number }>();
  for (const e of events) {
    if (e.type === 'step.started') {
      if (!order.includes(e.step)) order.push(e.step);
      inputs.set(key(e.step, e.attempt), e.input as Json);
    } else if (e.type === 'step.succeeded') outcomes.set(key(e.step, e.attempt), { success: true, cost: Number(e.cost ?? 0), durationMs: Number(e.durationMs ?? 0) });
    else if (e.type === 'step.failed') outcomes.set(key(e.step, e.attempt), { success: false, cost: Number(e.cost ?? 0), durationMs: Number(e.durationMs ?? 0) });
  }
  const decisions: RoutedAttempt[] = [];
  const failed = new Map<string, string[]>();
  let costSoFar = 0;
  for (const e of events) {
    if (e.type === 'step.succeeded') costSoFar += Number(e.cost ?? 0);
    if (e.type !== 'route.decided') continue;
    const k = key(e.step, e.attempt);
    const out = outcomes.get(k);
    if (!out) continue; // an attempt cut short by a crash or cancellation teaches nothing about the worker
    const names: string[] = (e.candidates ?? []).map(workerName);
    const index = names.indexOf(e.worker);
    if (index < 0) continue;
    const prior = failed.get(e.step) ?? [];
    decisions.push({
      request: {
        runId: String(started.runId), workflowId: String(started.workflowId), step: e.step,
        capability: e.capability ?? opts.capabilityOf?.(String(started.workflowId), e.step) ?? e.step, attempt: e.attempt,
        candidates: (e.candidates ?? []).map((c: unknown) => (typeof c === 'string' ? { worker: c } : c)),
        input: inputs.get(k) ?? null, position: Math.max(0, order.indexOf(e.step)), steps: Math.max(1, order.length),
        costSoFar, elapsedMs: Number(e.t ?? t0) - t0, failedWorkers: [...prior],
      },
      index, worker: e.worker, policy: String(e.policy), version: String(e.version),
      probabilities: Array.isArray(e.probabilities) ? e.probabilities.map(Number) : undefined,
      ...out,
    });
    if (!out.success) failed.set(e.step, [...prior, e.worker]);
  }
  if (decisions.length === 0) return undefined;
  const stepsSucceeded = events.filter((e) => e.type === 'step.succeeded').length;
  return {
    runId: String(started.runId), workflowId: String(started.workflowId), decisions,
    outcome: { success: finished.status === 'succeeded', cost: Number(finished.cost ?? 0), latencyMs: Number(finished.durationMs ?? 0), stepsSucceeded },
  };
}

/**
 * Episodes of many histories (unfinished and unrouted runs skipped).
 *
 * @example
 * const episodes = episodesOf(histories);
 */
export function episodesOf(histories: Iterable<readonly unknown[]>, opts: EpisodeOptions = {}): Episode[] {
  const out: Episode[] = [];
  for (const h of histories) {
    const ep = episodeOf(h, opts);
    if (ep) out.push(ep);
  }
  return out;
}
