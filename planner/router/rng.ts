// Every random choice a policy makes (exploration, the `random` policy, PPO's initial weights and
// minibatch order) comes from the planner's seeded generator (mulberry32), so a seed gives the same
// decisions and the same trained weights on every run.
import { seededRandom } from '../data/split.ts';

export { seededRandom };

/**
 * An index drawn from a discrete distribution (probabilities summing to about 1).
 *
 * @example
 * sampleIndex([0.1, 0.9], seededRandom(1)) // usually 1
 */
export function sampleIndex(probabilities: readonly number[], rnd: () => number): number {
  let u = rnd();
  for (let i = 0; i < probabilities.length; i++) {
    u -= probabilities[i];
    if (u <= 0) return i;
  }
  for (let i = probabilities.length - 1; i >= 0; i--) if (probabilities[i] > 0) return i;
  return 0;
}
