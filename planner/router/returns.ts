import type { Episode } from './episodes.ts';
import { DEFAULT_REWARD, type RewardWeights } from './reward.ts';

/**
 * The return that followed each routed decision of an episode (undiscounted, episodic). The run's
 * reward R is paid out where it is incurred: each routed attempt pays its own cost and latency
 * (-beta * cost - gamma * seconds) and the shaped +perStep when it succeeded; the end of the run
 * pays alpha * success and whatever cost and time no routed attempt accounts for (other steps,
 * backoff waits). The rewards add up to R exactly, and a decision's return holds only what came
 * after it, so the cost of earlier steps is not noise in its advantage.
 *
 * @example
 * decisionReturns(episode)[0] // the run's reward, for a run whose first step is routed
 */
export function decisionReturns(ep: Episode, w: RewardWeights = DEFAULT_REWARD): number[] {
  const rewards = decisionRewards(ep, w);
  const out = new Array<number>(rewards.length);
  let acc = 0;
  for (let i = rewards.length - 1; i >= 0; i--) out[i] = acc += rewards[i];
  return out;
}

/**
 * The reward paid at each routed decision (see `decisionReturns`); they add up to the run's R.
 *
 * @example
 * decisionRewards(episode).reduce((a, b) => a + b) // runReward(episode.outcome), up to unrouted steps' bonuses
 */
export function decisionRewards(ep: Episode, w: RewardWeights = DEFAULT_REWARD): number[] {
  const o = ep.outcome;
  const routedCost = ep.decisions.reduce((a, d) => a + d.cost, 0);
  const routedMs = ep.decisions.reduce((a, d) => a + d.durationMs, 0);
  const terminal = w.alpha * (o.success ? 1 : 0) - w.beta * (o.cost - routedCost) - w.gamma * ((o.latencyMs - routedMs) / 1000);
  return ep.decisions.map((d, i) =>
    (d.success ? w.perStep : 0) - w.beta * d.cost - w.gamma * (d.durationMs / 1000) + (i === ep.decisions.length - 1 ? terminal : 0));
}
