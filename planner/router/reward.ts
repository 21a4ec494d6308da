/**
 * The seeds' reward over a whole run: R = alpha * success - beta * cost - gamma * latency, plus a
 * shaped 0.1 for each sub-task (step) that succeeded. Latency is in seconds and cost in the run's
 * cost unit, so the weights mean "10 for a finished run, -0.1 per unit spent, -0.01 per second".
 */
export interface RewardWeights { alpha: number; beta: number; gamma: number; perStep: number }

export const DEFAULT_REWARD: RewardWeights = { alpha: 10, beta: 0.1, gamma: 0.01, perStep: 0.1 };

/** What a run came to, as the reward sees it. */
export interface RunOutcome { success: boolean; cost: number; latencyMs: number; stepsSucceeded: number }

/**
 * The run's reward.
 *
 * @example
 * runReward({ success: true, cost: 2, latencyMs: 3000, stepsSucceeded: 3 }) // 10 - 0.2 - 0.03 + 0.3
 */
export function runReward(o: RunOutcome, w: RewardWeights = DEFAULT_REWARD): number {
  return w.alpha * (o.success ? 1 : 0) - w.beta * o.cost - w.gamma * (o.latencyMs / 1000) + w.perStep * o.stepsSucceeded;
}

/**
 * One step attempt's share of the reward, for per-decision learners (the bandit): the success
 * term as if the step were the run, its own cost and latency, and the shaped bonus.
 *
 * @example
 * stepReward(true, 0.5, 1200) // 10 - 0.05 - 0.012 + 0.1
 */
export function stepReward(success: boolean, cost: number, latencyMs: number, w: RewardWeights = DEFAULT_REWARD): number {
  return runReward({ success, cost, latencyMs, stepsSucceeded: success ? 1 : 0 }, w);
}
