import type { Router } from '../../machines/routing.ts';
import type { Episode } from './episodes.ts';
import { DEFAULT_REWARD, runReward, type RewardWeights } from './reward.ts';

/** Means over runs. `estimate` says how they were obtained. */
export interface PolicySummary {
  policy: string; runs: number; success: number; cost: number; latencyMs: number; reward: number;
  estimate: 'observed' | 'off-policy (self-normalised importance sampling)';
  /** For off-policy estimates: the effective number of runs behind it ((sum w)^2 / sum w^2). */
  effectiveRuns?: number;
}

const mean = (xs: number[], ws?: number[]) => {
  const w = ws ?? xs.map(() => 1);
  const z = w.reduce((a, b) => a + b, 0);
  return z > 0 ? xs.reduce((a, x, i) => a + x * w[i], 0) / z : NaN;
};

function summary(policy: string, eps: readonly Episode[], w: RewardWeights, weights?: number[]): Omit<PolicySummary, 'estimate'> {
  return {
    policy, runs: eps.length,
    success: mean(eps.map((e) => (e.outcome.success ? 1 : 0)), weights),
    cost: mean(eps.map((e) => e.outcome.cost), weights),
    latencyMs: mean(eps.map((e) => e.outcome.latencyMs), weights),
    reward: mean(eps.map((e) => runReward(e.outcome, w)), weights),
  };
}

/**
 * What each logging policy (the one recorded in the runs' decisions) actually achieved.
 *
 * @example
 * observedByPolicy(episodesOf(histories)) // [{ policy: 'cascade@1', success: 0.93, ... }]
 */
export function observedByPolicy(episodes: readonly Episode[], w: RewardWeights = DEFAULT_REWARD): PolicySummary[] {
  const groups = new Map<string, Episode[]>();
  for (const ep of episodes) {
    const d = ep.decisions[0];
    const k = `${d.policy}@${d.version}`;
    groups.set(k, [...(groups.get(k) ?? []), ep]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, eps]) => ({ ...summary(k, eps, w), estimate: 'observed' }));
}

/**
 * An off-policy estimate of what `router` would achieve on the runs the histories hold: each run
 * is weighted by the product over its routed decisions of target / recorded probability (runs
 * whose decisions recorded no probabilities are skipped), then the weights are normalised. The
 * estimate is only as good as the logging policy's coverage: `effectiveRuns` says how many runs
 * really carry it.
 *
 * @example
 * offPolicyEstimate(await loadPolicy('p.json'), episodes)
 */
export function offPolicyEstimate(router: Router, episodes: readonly Episode[], w: RewardWeights = DEFAULT_REWARD): PolicySummary {
  const used: Episode[] = [];
  const ws: number[] = [];
  for (const ep of episodes) {
    if (ep.decisions.some((d) => !d.probabilities)) continue;
    let weight = 1;
    for (const d of ep.decisions) {
      const target = router.route(d.request);
      const p = target.probabilities?.[d.index] ?? (target.worker === d.worker ? 1 : 0);
      weight *= p / Math.max(d.probabilities![d.index], 1e-6);
      if (weight === 0) break;
    }
    used.push(ep);
    ws.push(weight);
  }
  const sw = ws.reduce((a, b) => a + b, 0);
  const sw2 = ws.reduce((a, b) => a + b * b, 0);
  return { ...summary(`${router.id}@${router.version}`, used, w, ws), estimate: 'off-policy (self-normalised importance sampling)', effectiveRuns: sw2 > 0 ? (sw * sw) / sw2 : 0 };
}
