/**
 * A small seeded generator (mulberry32): every random choice a policy makes (exploration, the
 * `random` policy, PPO's initial weights and minibatch order) comes from one of these, so a seed
 * gives the same decisions and the same trained weights on every run.
 *
 * @example
 * const rnd = seededRandom(7); rnd() // the same number in every process
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
