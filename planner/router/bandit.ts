import type { RouteRequest, Router } from '../../machines/routing.ts';
import { checkRequest, type RouterCatalog } from './catalog.ts';
import { decisionFor } from './decision.ts';
import { capabilityMemo, episodeOf } from './episodes.ts';
import { DEFAULT_REWARD, stepReward, type RewardWeights } from './reward.ts';
import { seededRandom } from './rng.ts';
import { encodeState, stateSize } from './state.ts';

/** One arm of LinUCB: the inverse of its ridge matrix and its reward-weighted feature sum. */
interface Arm { ainv: Float64Array; b: Float64Array }

export interface BanditOptions {
  catalog: RouterCatalog;
  /** Width of the confidence bonus (LinUCB's alpha); default 1. */
  alpha?: number;
  /** Epsilon-greedy exploration on top of the bonus while learning; default 0 (0.2 in training). */
  epsilon?: number;
  seed?: number;
  reward?: RewardWeights;
  version?: number;
  /** Learn from every finished run the hub reports (`observe`); default true, false for a loaded policy file. */
  learning?: boolean;
}

/** The bandit's learnable state, as saved in a policy file. */
export interface BanditState { alpha: number; arms: Record<string, { ainv: number[]; b: number[] }> }

/** A LinUCB router: `route` chooses, `learn` updates, `state` serialises. */
export interface BanditRouter extends Router {
  readonly catalog: RouterCatalog;
  epsilon: number;
  version: string;
  learning: boolean;
  learn(request: RouteRequest, index: number, reward: number, weight?: number): void;
  state(): BanditState;
}

const armKey = (capability: string, slot: number) => `${capability}#${slot}`;

function newArm(d: number): Arm {
  const ainv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) ainv[i * d + i] = 1;
  return { ainv, b: new Float64Array(d) };
}

/** Ainv x, for a symmetric Ainv. */
function mulVec(ainv: Float64Array, x: Float32Array): Float64Array {
  const d = x.length;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += ainv[i * d + j] * x[j];
    out[i] = s;
  }
  return out;
}

/**
 * A contextual bandit (disjoint LinUCB, Li et al. 2010) over the router state: one ridge
 * regression per capability and candidate predicts the step's reward (`stepReward`) from the
 * state; it picks the best prediction plus `alpha` standard errors. The inverse matrix is kept up
 * to date with Sherman-Morrison, so an update costs O(d^2) and `route` stays synchronous.
 *
 * @example
 * const bandit = linUcb({ catalog }); run(workflow, input, { router: bandit }) // observe() learns from each finished run
 */
export function linUcb(opts: BanditOptions, saved?: BanditState): BanditRouter {
  const d = stateSize(opts.catalog);
  const alpha = saved?.alpha ?? opts.alpha ?? 1;
  const weights = opts.reward ?? DEFAULT_REWARD;
  const rnd = seededRandom(opts.seed ?? 1);
  const arms = new Map<string, Arm>();
  for (const [k, a] of Object.entries(saved?.arms ?? {})) arms.set(k, { ainv: Float64Array.from(a.ainv), b: Float64Array.from(a.b) });
  const caps = capabilityMemo();
  const arm = (k: string) => arms.get(k) ?? arms.set(k, newArm(d)).get(k)!;

  const router: BanditRouter = {
    id: 'bandit', version: String(opts.version ?? 1), catalog: opts.catalog, epsilon: opts.epsilon ?? 0, learning: opts.learning ?? true,
    route(r) {
      const slots = checkRequest(opts.catalog, r, 'bandit');
      caps.note(r);
      const x = encodeState(r, opts.catalog, slots);
      const scores = slots.map((slot) => {
        const a = arm(armKey(r.capability, slot));
        const ax = mulVec(a.ainv, x);
        let mean = 0, varx = 0;
        for (let i = 0; i < d; i++) { mean += a.b[i] * ax[i]; varx += x[i] * ax[i]; }
        return mean + alpha * Math.sqrt(Math.max(0, varx));
      });
      const greedy = scores.reduce((b, s, i) => (s > scores[b] ? i : b), 0);
      const n = slots.length;
      const explore = router.epsilon > 0 && rnd() < router.epsilon;
      const index = explore ? Math.min(n - 1, Math.floor(rnd() * n)) : greedy;
      const probs = slots.map((_, i) => (1 - router.epsilon) * (i === greedy ? 1 : 0) + router.epsilon / n);
      return decisionFor(r, index, 'bandit', router.version, probs);
    },
    learn(r, index, reward, weight = 1) {
      const slots = checkRequest(opts.catalog, r, 'bandit');
      const x = encodeState(r, opts.catalog, slots);
      const a = arm(armKey(r.capability, slots[index]));
      // Sherman-Morrison for A + w x x^T.
      const ax = mulVec(a.ainv, x);
      let denom = 1;
      for (let i = 0; i < d; i++) denom += weight * x[i] * ax[i];
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a.ainv[i * d + j] -= (weight * ax[i] * ax[j]) / denom;
      for (let i = 0; i < d; i++) a.b[i] += weight * reward * x[i];
    },
    observe(history) {
      if (!router.learning) return;
      const ep = episodeOf(history, caps);
      if (!ep) return;
      for (const dcs of ep.decisions) router.learn(dcs.request, dcs.index, stepReward(dcs.success, dcs.cost, dcs.durationMs, weights));
    },
    state() {
      const out: BanditState = { alpha, arms: {} };
      for (const [k, a] of [...arms].sort(([x], [y]) => x.localeCompare(y))) out.arms[k] = { ainv: Array.from(a.ainv), b: Array.from(a.b) };
      return out;
    },
  };
  return router;
}
