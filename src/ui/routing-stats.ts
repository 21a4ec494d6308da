import type { RoutedAttempt, RunRoutingFacts } from './routing-facts.ts';

/**
 * The numbers of the routing view, from the routed attempts of the runs read: per workflow and
 * capability, each candidate's attempts, success rate, mean cost and latency percentiles, the
 * policy versions that decided, and every choice in run order.
 */

/** One candidate of a capability, over the runs read. */
export interface CandidateStats {
  worker: string;
  /** Routed attempts that chose it. */
  attempts: number;
  succeeded: number;
  failed: number;
  /** Attempts with no recorded outcome yet. */
  unfinished: number;
  /** succeeded / (succeeded + failed); null before any attempt finished. */
  successRate: number | null;
  /** Mean of the costs reported by its attempts; null when none reported one. */
  meanCost: number | null;
  totalCost: number;
  /** Median and 90th percentile (nearest rank) of finished attempts' durations. */
  p50LatencyMs: number | null;
  p90LatencyMs: number | null;
  /** Its part of the capability's decisions (0..1). */
  share: number;
}

/** A policy version that made decisions for a capability. */
export interface PolicyUse {
  policy: string;
  version: string;
  decisions: number;
  /** Run start of its first and last decision (epoch ms). */
  firstRunAt: number;
  lastRunAt: number;
}

/** One decision, for the choices-over-time chart. */
export interface RoutingChoice {
  runId: string;
  /** Epoch ms the run started (the chart's x). */
  runStartedAt: number;
  t: number;
  step: string;
  attempt: number;
  worker: string;
  policy: string;
  version: string;
  outcome: RoutedAttempt['outcome'];
}

export interface CapabilityRouting {
  workflowId: string;
  capability: string;
  /** The steps that routed for it. */
  steps: string[];
  decisions: number;
  runs: number;
  candidates: CandidateStats[];
  policies: PolicyUse[];
  /** Oldest run first. */
  choices: RoutingChoice[];
}

/**
 * Groups the routed attempts by workflow and capability, then by candidate.
 *
 * @example
 * aggregateRouting([routingFactsOf(runId, events)])[0].candidates[0]; // { worker: 'small-llm', attempts: 3, successRate: 0.67, … }
 */
export function aggregateRouting(runs: readonly RunRoutingFacts[]): CapabilityRouting[] {
  const groups = new Map<string, { workflowId: string; capability: string; items: { run: RunRoutingFacts; a: RoutedAttempt }[] }>();
  for (const run of runs) {
    for (const a of run.attempts) {
      const key = `${run.workflowId}\u0000${a.capability}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { workflowId: run.workflowId, capability: a.capability, items: [] }));
      g.items.push({ run, a });
    }
  }
  return [...groups.values()]
    .map((g) => capabilityOf(g.workflowId, g.capability, g.items))
    .sort((x, y) => x.workflowId.localeCompare(y.workflowId) || x.capability.localeCompare(y.capability));
}

function capabilityOf(workflowId: string, capability: string, items: { run: RunRoutingFacts; a: RoutedAttempt }[]): CapabilityRouting {
  const choices: RoutingChoice[] = items
    .map(({ run, a }) => ({ runId: run.runId, runStartedAt: run.startedAt, t: a.t, step: a.step, attempt: a.attempt, worker: a.worker, policy: a.policy, version: a.version, outcome: a.outcome }))
    .sort((x, y) => x.runStartedAt - y.runStartedAt || x.t - y.t || x.runId.localeCompare(y.runId));
  // Candidates in the order the steps list them (the first is the default), any others after.
  const order: string[] = [];
  for (const { a } of items) for (const c of a.candidates) if (!order.includes(c)) order.push(c);
  const candidates = order.map((worker) => candidateStats(worker, items.map((i) => i.a).filter((a) => a.worker === worker), items.length));
  return {
    workflowId,
    capability,
    steps: [...new Set(items.map((i) => i.a.step))].sort(),
    decisions: items.length,
    runs: new Set(items.map((i) => i.run.runId)).size,
    candidates,
    policies: policiesOf(choices),
    choices,
  };
}

function candidateStats(worker: string, attempts: readonly RoutedAttempt[], decisions: number): CandidateStats {
  const succeeded = attempts.filter((a) => a.outcome === 'succeeded').length;
  const failed = attempts.filter((a) => a.outcome === 'failed').length;
  const costs = attempts.flatMap((a) => (a.cost === undefined ? [] : [a.cost]));
  const durations = attempts.flatMap((a) => (a.outcome !== 'unfinished' && a.durationMs !== undefined ? [a.durationMs] : [])).sort((x, y) => x - y);
  const totalCost = costs.reduce((s, c) => s + c, 0);
  return {
    worker,
    attempts: attempts.length,
    succeeded,
    failed,
    unfinished: attempts.length - succeeded - failed,
    successRate: succeeded + failed ? succeeded / (succeeded + failed) : null,
    meanCost: costs.length ? totalCost / costs.length : null,
    totalCost,
    p50LatencyMs: percentile(durations, 0.5),
    p90LatencyMs: percentile(durations, 0.9),
    share: decisions ? attempts.length / decisions : 0,
  };
}

/**
 * Nearest-rank percentile of sorted values (an observed value, never an interpolation).
 *
 * @example
 * percentile([100, 200, 300, 400], 0.5); // 200
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** The policy versions in the order they first decided. */
function policiesOf(choices: readonly RoutingChoice[]): PolicyUse[] {
  const uses = new Map<string, PolicyUse>();
  for (const c of choices) {
    const key = `${c.policy}\u0000${c.version}`;
    const u = uses.get(key);
    if (u) {
      u.decisions++;
      u.lastRunAt = c.runStartedAt;
    } else {
      uses.set(key, { policy: c.policy, version: c.version, decisions: 1, firstRunAt: c.runStartedAt, lastRunAt: c.runStartedAt });
    }
  }
  return [...uses.values()];
}
