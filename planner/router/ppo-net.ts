import { createHash } from 'node:crypto';
import { seededRandom } from './rng.ts';

/**
 * The actor-critic's weights as plain arrays (row-major): one tanh hidden layer shared by a policy
 * head (one logit per catalog slot) and a value head. Plain arrays so a policy file is JSON, and
 * so `route` runs the forward pass in plain JS, synchronously, without touching tfjs.
 */
export interface PpoParams {
  inputs: number; hidden: number; actions: number;
  w1: number[]; b1: number[]; wp: number[]; bp: number[]; wv: number[]; bv: number[];
}

/**
 * Fresh weights, Glorot-uniform from a seeded generator (so a seed fixes the starting point), with
 * the policy head scaled down so the first policy is close to uniform.
 *
 * @example
 * initParams(75, 32, 3, 42).w1.length // 75 * 32
 */
export function initParams(inputs: number, hidden: number, actions: number, seed: number): PpoParams {
  const rnd = seededRandom(seed);
  const glorot = (fanIn: number, fanOut: number, scale = 1) => {
    const lim = scale * Math.sqrt(6 / (fanIn + fanOut));
    return Array.from({ length: fanIn * fanOut }, () => (rnd() * 2 - 1) * lim);
  };
  return {
    inputs, hidden, actions,
    w1: glorot(inputs, hidden), b1: new Array(hidden).fill(0),
    wp: glorot(hidden, actions, 0.01), bp: new Array(actions).fill(0),
    wv: glorot(hidden, 1), bv: [0],
  };
}

/**
 * Policy logits and value of one state.
 *
 * @example
 * const { logits, value } = forward(params, x);
 */
export function forward(p: PpoParams, x: Float32Array): { logits: number[]; value: number } {
  const h = new Array<number>(p.hidden);
  for (let j = 0; j < p.hidden; j++) {
    let s = p.b1[j];
    for (let i = 0; i < p.inputs; i++) if (x[i] !== 0) s += x[i] * p.w1[i * p.hidden + j];
    h[j] = Math.tanh(s);
  }
  const logits = p.bp.slice();
  let value = p.bv[0];
  for (let j = 0; j < p.hidden; j++) {
    for (let a = 0; a < p.actions; a++) logits[a] += h[j] * p.wp[j * p.actions + a];
    value += h[j] * p.wv[j];
  }
  return { logits, value };
}

/**
 * Softmax over the given slots only (the request's candidates), in the order of `slots`.
 *
 * @example
 * maskedSoftmax([0, 0, 5], [0, 1]) // [0.5, 0.5]
 */
export function maskedSoftmax(logits: readonly number[], slots: readonly number[]): number[] {
  const m = Math.max(...slots.map((s) => logits[s]));
  const e = slots.map((s) => Math.exp(logits[s] - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

/**
 * A short hash of the weights (rounded to 1e-6): equal hashes mean the same trained policy.
 *
 * @example
 * paramsHash(a) === paramsHash(b)
 */
export function paramsHash(p: PpoParams): string {
  const h = createHash('sha256');
  for (const k of ['w1', 'b1', 'wp', 'bp', 'wv', 'bv'] as const) h.update(p[k].map((v) => v.toFixed(6)).join(','));
  return h.digest('hex').slice(0, 16);
}
